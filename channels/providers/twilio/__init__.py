"""Twilio: SMS and WhatsApp in (signed, TwiML replies), status callbacks, SMS out."""
