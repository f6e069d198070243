"""MTN MoMo Open API: collections and refunds out, its unsigned callback in."""
