"""The console's second step for support and admin accounts, after the SMS code: the 6 digits of
an authenticator app or a recovery code (/console/second-factor), or, for an account without a
second factor, its enrolment: the secret in groups of 4, its otpauth URI and QR code (inline
SVG), the ten recovery codes shown once, and a first code to confirm. Until then the operations
pages send the person here (foundation.SecondFactorNeeded). The same rules as the API's
(core.use_cases.signing_in): the SMS-only login ends, the new one says amr sms+totp, wrong
codes count for the lockout."""
import segno
from aiohttp import web
from aiohttp_session import get_session
from markupsafe import Markup

from channels.console.foundation import PREFIX, language, page, person, see_other, start_login
from channels.console.signing import _next, locked
from channels.keys import DATABASE, REVOCATIONS, SETTINGS
from core.errors import AccountLocked, BadInput
from core.i18n import N_, translate
from core.second_factor import Enrolment
from core.use_cases import customers, signing_in

WRONG = N_("Wrong code, or one already used. Type the code the app shows now.")


def _qr(uri: str) -> Markup:
    """The otpauth URI as a QR code, inline SVG: no image request, nothing leaves the page."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, title="otpauth"))


def _enrolment_page(request: web.Request, enrolment: Enrolment, *, status: int = 200, error: str | None = None):
    return page(request, "second_factor_enrol.html", status=status, secret=enrolment.secret_groups, uri=enrolment.uri,
                qr=_qr(enrolment.uri), recovery_codes=enrolment.recovery_codes, next=_next(request), error=error)


async def _who(request: web.Request):
    """The person still owing the second factor; others go home (signed out: the sign-in page)."""
    who = await person(request)
    if who is None or not who.second_factor:
        raise see_other(_next(request) if who else f"{PREFIX}/")
    return who


async def second_factor_page(request: web.Request) -> web.Response:
    who = await _who(request)
    if who.second_factor == "required":
        return page(request, "second_factor.html", next=_next(request), error=None)
    pending = await signing_in.pending_enrolment(request.config_dict[DATABASE], who.account_id)
    if pending is not None:
        return _enrolment_page(request, pending)
    return page(request, "second_factor_start.html", next=_next(request))


async def start_enrolment(request: web.Request) -> web.Response:
    who = await _who(request)
    app = request.config_dict
    enrolment = await signing_in.start_enrolment(app[DATABASE], who.account_id, secret=app[SETTINGS].jwt_secret.get_secret_value())
    return _enrolment_page(request, enrolment)


async def _code(request: web.Request) -> tuple[dict, str]:
    form = await request.post()
    return form, str(form.get("code", "")).strip()[:20]


async def _signed_in_with_factor(request: web.Request, tokens, form) -> web.Response:
    app = request.config_dict
    who = await person(request)
    start_login(await get_session(request), tokens, await customers.language_of(app[DATABASE], who.account_id))
    raise see_other(_next(request, form))


async def confirm_enrolment(request: web.Request) -> web.Response:
    who = await _who(request)
    form, code = await _code(request)
    app = request.config_dict
    pending = await signing_in.pending_enrolment(app[DATABASE], who.account_id)
    if pending is None:
        raise see_other(f"{PREFIX}/second-factor")
    try:
        tokens = await signing_in.confirm_enrolment(
            app[DATABASE], who.claims, code, secret=app[SETTINGS].jwt_secret.get_secret_value(),
            revoke=app[REVOCATIONS].revoke, rules=app[SETTINGS].lock_rules(), address=request.remote)
    except AccountLocked as exc:
        return locked(request, "second_factor_enrol.html", exc, secret=pending.secret_groups, uri=pending.uri,
                      qr=_qr(pending.uri), recovery_codes=[], next=_next(request, form))
    except BadInput:
        tokens = None
    if tokens is None:
        return _enrolment_page(request, pending, status=401, error=translate(WRONG, language(request)))
    return await _signed_in_with_factor(request, tokens, form)


async def give_code(request: web.Request) -> web.Response:
    who = await _who(request)
    if who.second_factor != "required":
        raise see_other(f"{PREFIX}/second-factor")
    form, code = await _code(request)
    app = request.config_dict
    try:
        tokens = await signing_in.second_step(
            app[DATABASE], who.claims, code, secret=app[SETTINGS].jwt_secret.get_secret_value(),
            revoke=app[REVOCATIONS].revoke, rules=app[SETTINGS].lock_rules(), address=request.remote)
    except AccountLocked as exc:
        return locked(request, "second_factor.html", exc, next=_next(request, form))
    except BadInput:
        tokens = None
    if tokens is None:
        return page(request, "second_factor.html", status=401, next=_next(request, form),
                    error=translate(WRONG, language(request)))
    return await _signed_in_with_factor(request, tokens, form)


def setup(console: web.Application) -> None:
    console.router.add_get("/second-factor", second_factor_page)
    console.router.add_post("/second-factor", give_code)
    console.router.add_post("/second-factor/enrolment", start_enrolment)
    console.router.add_post("/second-factor/enrolment/confirm", confirm_enrolment)
