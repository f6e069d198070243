"""CamPay: MTN and Orange collections and refunds out, its JWT-signed webhook in."""
