"""Signing in to the console with the SMS code the API sends (core.use_cases.signing_in):
/console/ asks the phone number, /console/code the code; then /console/ is the person's home:
the restaurants they work at (one: straight to its board), and the language switch. A support
or admin account goes on to its second factor (channels.console.second_factor). Wrong codes
lock an account as on the API (core.lockout)."""
from aiohttp import web
from aiohttp_session import get_session

from channels.api.limits import AUTH, check
from channels.console.foundation import PREFIX, end_login, language, page, person, see_other, start_login
from channels.keys import DATABASE, RATES, SETTINGS
from core.auth import read_access
from core.errors import AccountLocked, BadInput
from core.i18n import LANGUAGES, N_, translate
from core.phones import to_e164
from core.use_cases import customers, signing_in, upkeep


def _next(request: web.Request, form=None) -> str:
    """Where to go after signing in: a console page asked for, never another site."""
    wanted = (form or {}).get("next") or request.query.get("next") or ""
    return wanted if wanted.startswith(PREFIX + "/") and not wanted.startswith("//") else PREFIX + "/"


async def home(request: web.Request) -> web.Response:
    """Signed out: the phone number form. Signed in: where they work."""
    who = await person(request)
    if who is None:
        return page(request, "sign_in.html", next=_next(request), error=None)
    if who.second_factor:
        raise see_other(f"{PREFIX}/second-factor")
    places = [await upkeep.standing(request.config_dict[DATABASE], rid) for rid in who.restaurant_ids()]
    if len(places) == 1 and not (who.has_role("support") or who.has_role("admin")):
        raise see_other(f"{PREFIX}/restaurants/{places[0].id}")
    return page(request, "home.html", places=places)


async def send_code(request: web.Request) -> web.Response:
    form = await request.post()
    try:
        phone = to_e164(str(form.get("phone", "")))
    except BadInput:
        return page(request, "sign_in.html", status=400, next=_next(request, form),
                    error=translate(N_("That is not a phone number. Type it as 6XX XX XX XX."), language(request)))
    app = request.config_dict
    await check(app[RATES], f"auth:{phone}", AUTH)  # the API's limit, shared: 5 codes per number in 15 minutes
    await signing_in.send_code(app[DATABASE], phone, secret=app[SETTINGS].jwt_secret.get_secret_value(),
                               default_language=app[SETTINGS].default_language)
    session = await get_session(request)
    session["phone"] = phone
    raise see_other(f"{PREFIX}/code?next={_next(request, form)}")


async def code_page(request: web.Request) -> web.Response:
    session = await get_session(request)
    if not session.get("phone"):
        raise see_other(f"{PREFIX}/")
    return page(request, "code.html", phone=session["phone"], next=_next(request), error=None)


async def sign_in(request: web.Request) -> web.Response:
    session = await get_session(request)
    form = await request.post()
    phone = session.get("phone")
    if not phone:
        raise see_other(f"{PREFIX}/")
    app = request.config_dict
    code = str(form.get("code", "")).strip()[:12]
    try:
        tokens = await signing_in.sign_in(app[DATABASE], phone, code, secret=app[SETTINGS].jwt_secret.get_secret_value(),
                                          rules=app[SETTINGS].lock_rules(), address=request.remote) if code else None
    except AccountLocked as exc:
        return locked(request, "code.html", exc, phone=phone, next=_next(request, form))
    if tokens is None:  # the wrong try is counted: five, and the code is dead
        return page(request, "code.html", status=401, phone=phone, next=_next(request, form),
                    error=translate(N_("Wrong code. Check the SMS and type it again."), language(request)))
    claims = read_access(tokens.access_token, secret=app[SETTINGS].jwt_secret.get_secret_value(), now=app[DATABASE].clock())
    start_login(session, tokens, await customers.language_of(app[DATABASE], int(claims["sub"])))
    if claims.get("second_factor"):  # support or admin: the second step first
        raise see_other(f"{PREFIX}/second-factor?next={_next(request, form)}")
    raise see_other(_next(request, form))


def locked(request: web.Request, template: str, exc: AccountLocked, **context) -> web.Response:
    """The form again, 429 with Retry-After: every code is refused until the lock ends."""
    minutes = exc.retry_after_s // 60 + (1 if exc.retry_after_s % 60 else 0)
    response = page(request, template, status=429, **context, error=translate(
        N_("Too many wrong codes: this account is locked. Try again in {minutes} minutes."), language(request),
        minutes=minutes))
    response.headers["Retry-After"] = str(exc.retry_after_s)
    return response


async def log_out(request: web.Request) -> web.Response:
    await end_login(request)
    raise see_other(f"{PREFIX}/")


async def choose_language(request: web.Request) -> web.Response:
    """The switch: the page's language, and the account's on every channel when signed in."""
    form = await request.post()
    lang = str(form.get("lang", ""))
    if lang not in LANGUAGES:
        raise BadInput(translate(N_("Choose English or French."), language(request)))
    who = await person(request)
    if who is not None:
        await customers.choose_language(request.config_dict[DATABASE], who.account_id, lang)
    (await get_session(request))["lang"] = lang
    raise see_other(_next(request, form))


def setup(console: web.Application) -> None:
    console.router.add_get("/", home)
    console.router.add_post("/sign-in", send_code)
    console.router.add_get("/code", code_page)
    console.router.add_post("/code", sign_in)
    console.router.add_post("/logout", log_out)
    console.router.add_post("/language", choose_language)
