"""MTN MoMo Open API: collections, refunds and payouts out, its unsigned callback in."""
from channels.providers.mtn import routes
from channels.providers.mtn.client import MtnCredentials, MtnMomo
from channels.providers.mtn.settings import MtnSettings
from channels.providers.provider import Provider, Reach


def client(settings: MtnSettings, reach: Reach) -> MtnMomo:
    return MtnMomo(
        reach.url(settings.base_url, "mtn"),
        MtnCredentials(
            api_user=settings.api_user, api_key=settings.api_key.get_secret_value(),
            collection_key=settings.collection_key.get_secret_value(),
            disbursement_key=settings.disbursement_key.get_secret_value(), target_environment=settings.target_environment,
        ),
        callback_url=f"{reach.self_url}/payments/mtn/callback",
        timeout_s=reach.timeout_s,
        statement_url=None if settings.base_url else f"{reach.self_url}/sim/mtn",
    )


PROVIDER = Provider("mtn", MtnSettings, routes.setup, payments=client, payouts=client)
