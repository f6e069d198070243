"""The customer's own things: past orders and cancelling one, a second chance to pay, the language."""
