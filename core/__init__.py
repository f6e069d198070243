"""The Chopbar domain: catalog, carts, orders, payments, delivery, notifications, accounts."""
