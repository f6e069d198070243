"""What people see and may answer: dialog screens and SMS keywords, declared once, rendered per channel."""
