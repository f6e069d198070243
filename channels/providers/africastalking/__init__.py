"""Africa's Talking: USSD and SMS in (unsigned, optionally limited to its networks), SMS out."""
