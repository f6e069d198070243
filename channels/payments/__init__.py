"""Payment providers at the edge: MTN MoMo, CamPay, Stripe, their callbacks, and the worker's jobs."""
