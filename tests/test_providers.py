"""The composition root registers the providers of its one list, each from its own package: their
webhooks, their settings, their payment clients and senders, and nothing else."""
from aiohttp import web

from chopbar.app import create_app
from chopbar.providers import PAYMENT_ROUTES, PROVIDERS, payment_router, senders
from chopbar.settings import Settings

PROVIDER_PATHS = ("/ussd/", "/sms/", "/twilio/", "/whatsapp/", "/payments/")


def routes(app: web.Application) -> set[tuple[str, str]]:
    return {(route.method, route.resource.canonical) for route in app.router.routes() if route.method != "HEAD"}


def mounted_by(provider) -> set[tuple[str, str]]:
    app = web.Application()
    provider.setup(app)
    return routes(app)


def test_the_list_names_each_provider_once():
    assert [p.name for p in PROVIDERS] == ["africastalking", "twilio", "meta", "mtn", "campay", "stripe"]


async def test_the_app_mounts_exactly_the_listed_providers_webhooks(settings):
    app = create_app(settings)
    webhooks = {(method, path) for method, path in routes(app) if path.startswith(PROVIDER_PATHS)}
    each = [mounted_by(p) for p in PROVIDERS]
    assert all(own for own in each)  # every provider has a webhook of its own
    assert webhooks == set().union(*each)
    assert sum(len(own) for own in each) == len(webhooks)  # and no two mount the same one


def test_each_provider_has_its_settings_on_the_service_settings():
    settings = Settings()
    for provider in PROVIDERS:
        assert isinstance(getattr(settings, provider.name), provider.settings)


async def test_the_payment_router_and_senders_are_built_from_the_list(settings):
    router = payment_router(settings)
    try:
        assert set(router.providers) == {p.name for p in PROVIDERS if p.payments is not None} == {"mtn", "campay", "stripe"}
        assert set().union(*PAYMENT_ROUTES.values()) <= set(router.providers)
    finally:
        await router.close()
    for sms_provider, expected in (("africastalking", "africastalking"), ("twilio", "twilio")):
        built = senders(settings.model_copy(update={"sms_provider": sms_provider}))
        try:
            assert {channel: sender.provider for channel, sender in built.items()} == {"sms": expected, "whatsapp": "meta"}
        finally:
            for sender in built.values():
                await sender.close()
