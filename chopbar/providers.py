"""Builds the payment providers from the settings: the real APIs, or the bundled simulators."""
from channels.providers.campay.client import Campay
from channels.providers.mtn.client import MtnCredentials, MtnMomo
from channels.payments.router import PaymentRouter
from channels.providers.stripe.client import StripeCards
from channels.providers.africastalking.sender import AfricasTalkingSms
from channels.senders.sender import Sender
from channels.providers.twilio.sender import TwilioSms
from channels.providers.meta.sender import WhatsAppCloud
from chopbar.settings import Settings

# Which providers collect for each payment method, in order of preference (SPEC and PROTOCOLS):
# MTN numbers through MTN's own API or CamPay, Orange numbers through CamPay, cards through Stripe.
# Cash has no provider: the driver collects it.
PAYMENT_ROUTES = {"mtn": ("mtn", "campay"), "orange": ("campay",), "card": ("stripe",)}


def payment_router(settings: Settings) -> PaymentRouter:
    mtn = MtnMomo(
        settings.provider_url(settings.mtn_base_url, "mtn"),
        MtnCredentials(
            api_user=settings.mtn_api_user, api_key=settings.mtn_api_key,
            collection_key=settings.mtn_collection_key, disbursement_key=settings.mtn_disbursement_key,
            target_environment=settings.mtn_target_environment,
        ),
        callback_url=f"{settings.self_url}/payments/mtn/callback",
        timeout_s=settings.provider_timeout,
    )
    campay = Campay(
        settings.provider_url(settings.campay_base_url, "campay"), settings.campay_username, settings.campay_password,
        timeout_s=settings.provider_timeout,
    )
    stripe = StripeCards(settings.stripe_api_key, settings.provider_url(settings.stripe_base_url, "stripe"))
    return PaymentRouter({"mtn": mtn, "campay": campay, "stripe": stripe}, routes=PAYMENT_ROUTES)


def senders(settings: Settings) -> dict[str, Sender]:
    """Outbound messages by channel; WhatsApp falls back to SMS outside its 24-hour window."""
    if settings.sms_provider == "twilio":
        sms = TwilioSms(
            settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_number,
            status_callback=f"{settings.self_url}/twilio/status", base_url=settings.provider_url(settings.twilio_base_url, "twilio"),
        )
    else:
        sms = AfricasTalkingSms(
            settings.provider_url(settings.at_base_url, "at"), settings.at_username or "sandbox",
            settings.at_api_key or "sim-at-api-key", settings.at_sender_id,
        )
    whatsapp = WhatsAppCloud(
        settings.provider_url(settings.meta_base_url, "meta"), settings.meta_api_version,
        settings.meta_phone_number_id, settings.meta_access_token,
    )
    return {"sms": sms, "whatsapp": whatsapp}
