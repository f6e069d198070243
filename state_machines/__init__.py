"""Every lifecycle as a `transitions` machine: order, payment, delivery, and the dialog."""
