"""The dialog engine shared by USSD, SMS and WhatsApp: sessions, keys, lists and side effects."""
