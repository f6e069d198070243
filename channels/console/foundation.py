"""The console's machinery: the sub-application under /console, its session, CSRF check, security
headers, languages, error pages and static files. Pages use `page`, `person`, `signed_in`,
`working_at` and `operator`; see the package docstring for how to add one.

Session: aiohttp-session's EncryptedCookieStorage (Fernet, key derived from CHOPBAR_JWT_SECRET).
The cookie holds the same access and refresh tokens the API issues (core.auth), the CSRF token
and the language; nothing else is stored server-side. Each request checks the access token
against the API's revocation list, so logout (which ends the refresh family and revokes its
access tokens, as POST /api/v1/auth/logout does) kills a copied cookie at once, and a role
change revokes tokens carrying the old roles: the next request refreshes and reads the new ones.
A support or admin login without the second factor has those roles withheld, as on the API
(channels.api.requests.effective): the operations pages send it to /console/second-factor, and
an account not enrolled yet reaches no signed-in page but that one.
An expired access token is refreshed once per cookie: concurrent requests of one process share
the rotation (ROTATIONS), so they never present one refresh token twice.
"""
import asyncio
import base64
import gzip
import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import aiohttp_jinja2
import jinja2
from markupsafe import Markup, escape
from aiohttp import web
from aiohttp_session import Session, get_session, session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet

from channels.api.requests import effective, has_role, restaurants_of, role_at
from channels.keys import DATABASE, REVOCATIONS, SETTINGS
from core import revocation
from core.auth import read_access
from core.errors import ChopbarError, Forbidden, Unauthorized
from core.i18n import LANGUAGES, N_, language_or, translate
from core.restaurant_roles import may, roles_that_may
from core.revocation import Revocation
from core.use_cases import signing_in

HERE = Path(__file__).resolve().parent
PREFIX = "/console"
COOKIE = "chopbar_console"
SESSION_S = 12 * 3600  # a console sign-in lasts a working day; then the code again
CSRF_FIELD = "csrf"  # the hidden field every form carries: {{ csrf_field() }}
CSRF_HEADER = "X-CSRF-Token"  # or this header (the board's script sends it)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STATIC_MAX_AGE = 365 * 24 * 3600  # URLs carry the file's hash, so a change is a new URL
COMPRESSED_TYPES = ("text/html", "text/css", "application/javascript", "text/javascript", "image/svg+xml")

PERSON: web.RequestKey["Person | None"] = web.RequestKey("console_person", object)
CSRF: web.RequestKey[str] = web.RequestKey("console_csrf", str)
LANG: web.RequestKey[str] = web.RequestKey("console_lang", str)
CONSOLE: web.AppKey[web.Application] = web.AppKey("console", web.Application)
STATIC: web.AppKey[dict] = web.AppKey("console_static", dict)
INLINE_CSS: web.AppKey[str] = web.AppKey("console_css", str)


@dataclass(frozen=True)
class Person:
    """Who is signed in, as their access token says: read fresh (revocations checked) per request."""

    account_id: int
    phone: str
    roles: tuple[str, ...]
    claims: dict

    @property
    def actor(self) -> str:
        return f"console:{self.account_id}"  # how the audit log names what they did here

    def restaurant_ids(self) -> list[int]:
        return sorted(restaurants_of(self.claims))

    def role_at(self, restaurant_id: int) -> str | None:
        return role_at(self.claims, restaurant_id)

    def has_role(self, role: str) -> bool:
        return has_role(self.claims, role)

    @property
    def second_factor(self) -> str | None:
        """What the login still needs: "required", "enrolment_required", or None."""
        return self.claims.get("second_factor") if self.claims.get("withheld") else None


class NotSignedIn(Exception):
    """Raised by `signed_in`: the middleware sends the browser to the sign-in page."""


class SecondFactorNeeded(Exception):
    """Raised by `signed_in` and `operator`: the middleware sends the browser to the second factor."""


# --- who is asking -----------------------------------------------------------------------------

ROTATIONS: dict[str, tuple[float, asyncio.Future]] = {}  # refresh token -> (when, its rotation): one per cookie
ROTATION_KEPT_S = 30.0


async def person(request: web.Request) -> Person | None:
    """The signed-in person, or None. Their roles come from the access token, checked against the
    API's revocation list on every request (one round trip), refreshed when it has expired."""
    if PERSON in request:
        return request[PERSON]
    session = await get_session(request)
    found = None
    if session.get("access"):
        claims = await _fresh_claims(request, session)
        if claims is not None:
            claims = effective(claims)
            found = Person(int(claims["sub"]), claims.get("phone", ""), tuple(claims.get("roles", [])), claims)
        else:
            _forget_login(session)
    request[PERSON] = found
    return found


async def person_without_refresh(request: web.Request, *, again: bool = False) -> Person | None:
    """For a stream, whose headers (and so the cookie) are sent before it runs: the person while
    their access token is valid and not revoked, else None, never rotating the refresh token.
    `again` reads the revocation list anew (a stream checks it at each heartbeat)."""
    if PERSON in request and not again:
        return request[PERSON]
    session = await get_session(request)
    claims = await _fresh_claims(request, session, refresh=False) if session.get("access") else None
    claims = effective(claims) if claims else None
    found = Person(int(claims["sub"]), claims.get("phone", ""), tuple(claims.get("roles", [])), claims) if claims else None
    request[PERSON] = found
    return found


async def signed_in(request: web.Request) -> Person:
    """The signed-in person; a signed-out visitor is sent to the sign-in page, a support or admin
    account without a second factor yet to its enrolment."""
    found = await person(request)
    if found is None:
        raise NotSignedIn()
    if found.second_factor == "enrolment_required":
        raise SecondFactorNeeded()
    return found


async def working_at(request: web.Request, restaurant_id: int, action: str) -> Person:
    """The person, when their role at this restaurant allows the action (core.restaurant_roles,
    as the API's `acting_for`); 403 otherwise."""
    found = await signed_in(request)
    if not may(found.role_at(restaurant_id), action):
        raise Forbidden(translate(N_("Only this restaurant's {roles} may do this."), language(request),
                                  roles=" / ".join(roles_that_may(action))))
    return found


async def operator(request: web.Request, *roles: str) -> Person:
    """The person, when they hold one of these roles (default support or admin); 403 otherwise."""
    found = await signed_in(request)
    wanted = roles or ("support", "admin")
    if not any(found.has_role(r) for r in wanted):
        if any(r in found.claims.get("withheld", []) for r in wanted):
            raise SecondFactorNeeded()
        raise Forbidden(translate(N_("This page is for the Chopbar team."), language(request)))
    return found


async def _fresh_claims(request: web.Request, session: Session, *, refresh: bool = True) -> dict | None:
    app = request.config_dict
    secret = app[SETTINGS].jwt_secret.get_secret_value()
    now = app[DATABASE].clock()
    try:
        claims = read_access(session["access"], secret=secret, now=now)
    except Unauthorized:
        claims = None
    if claims is not None:
        stored = await app[REVOCATIONS].values(*revocation.keys_of(claims))
        if stored[0] is not None:  # the login ended (logout, or its refresh token reused)
            return None
        if revocation.refusal(claims, stored) is None:
            return claims
    if not refresh:
        return None
    tokens = await _rotated(request, session["refresh"], secret)
    if tokens is None:
        return None
    session["access"], session["refresh"] = tokens.access_token, tokens.refresh_token
    return read_access(tokens.access_token, secret=secret, now=now)


async def _rotated(request: web.Request, refresh_token: str, secret: str):
    """The new token pair for this refresh token, rotated once in this process however many of
    the cookie's requests ask at the same time (a second rotation would end the login)."""
    now = time.monotonic()
    for token, (at, _) in list(ROTATIONS.items()):
        if now - at > ROTATION_KEPT_S:
            del ROTATIONS[token]
    if refresh_token in ROTATIONS:
        return await asyncio.shield(ROTATIONS[refresh_token][1])
    rotation = asyncio.ensure_future(_rotate(request, refresh_token, secret))
    ROTATIONS[refresh_token] = (now, rotation)
    rotation.add_done_callback(lambda done: _forget_failed(refresh_token, done))
    return await asyncio.shield(rotation)


def _forget_failed(refresh_token: str, done: asyncio.Future) -> None:
    """A rotation that failed (the database away) is tried again by the next request."""
    if done.cancelled() or done.exception() is not None:
        ROTATIONS.pop(refresh_token, None)


async def _rotate(request: web.Request, refresh_token: str, secret: str):
    try:
        rotated = await signing_in.refresh(request.config_dict[DATABASE], refresh_token, secret=secret,
                                           revoke=request.config_dict[REVOCATIONS].revoke)
    except Unauthorized:
        return None
    return None if isinstance(rotated, Revocation) else rotated


def start_login(session: Session, tokens, lang: str) -> None:
    """After the right code: the tokens go in the cookie, with a new CSRF token (none carried over)."""
    session.changed()
    session["access"], session["refresh"] = tokens.access_token, tokens.refresh_token
    session[CSRF_FIELD] = secrets.token_urlsafe(24)
    session["lang"] = lang
    session.pop("phone", None)


async def end_login(request: web.Request) -> None:
    """Logout: the refresh family ends and its access tokens are revoked (stored before the
    commit, as the API's logout), then the cookie is emptied."""
    session = await get_session(request)
    if session.get("refresh"):
        app = request.config_dict
        await signing_in.log_out(app[DATABASE], session["refresh"], secret=app[SETTINGS].jwt_secret.get_secret_value(),
                                 revoke=app[REVOCATIONS].revoke)
    lang = session.get("lang")
    session.invalidate()
    if lang:
        (await get_session(request))["lang"] = lang


def _forget_login(session: Session) -> None:
    for key in ("access", "refresh"):
        session.pop(key, None)


# --- languages -----------------------------------------------------------------------------------

def language(request: web.Request) -> str:
    """The page's language: the session's (the account's, or the switch), else the default."""
    return request.get(LANG) or request.config_dict[SETTINGS].default_language


# --- rendering -----------------------------------------------------------------------------------

def page(request: web.Request, template: str, status: int = 200, **context) -> web.Response:
    """A page (or an htmx fragment) rendered in the person's language. Templates get `_`
    (translate an English msgid: `_("Accept")`, `_("{n} orders", n=3)`), `csrf_field()`,
    `static(name)`, `lang`, `person` and `path`."""
    lang = language(request)
    response = aiohttp_jinja2.render_template(template, request, {
        "_": lambda message, **values: translate(message, lang, **values),
        "lang": lang, "languages": LANGUAGES, "person": request.get(PERSON), "path": request.path_qs,
        "csrf_token": request.get(CSRF, ""),
        "csrf_field": lambda: Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(request.get(CSRF, ""))}">'), "css": request.config_dict[CONSOLE][INLINE_CSS], **context,
    }, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def see_other(location: str) -> web.HTTPSeeOther:
    """After a form POST: the browser GETs the page again (a reload repeats nothing)."""
    return web.HTTPSeeOther(location)


def _static_url(app: web.Application, name: str) -> str:
    return f"{PREFIX}/static/{name}?v={app[STATIC][name][2]}"


# --- middlewares -------------------------------------------------------------------------------

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' {style}; img-src 'self' data:; connect-src 'self'; "
       "media-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def _middlewares(settings, secret_key: bytes, style_hash: str) -> list:
    csp = CSP.format(style=style_hash)
    secure = settings.console_secure_cookie
    if secure is None:
        secure = settings.public_url.startswith("https://")
    storage = EncryptedCookieStorage(Fernet(secret_key), cookie_name=COOKIE, max_age=SESSION_S, path=PREFIX + "/",
                                     secure=secure, httponly=True, samesite="Lax")

    @web.middleware
    async def headers(request: web.Request, handler):
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = exc
        response.headers.setdefault("Content-Security-Policy", csp)  # the rest: channels.web_security, for every answer
        if isinstance(response, web.HTTPException):
            raise response
        return response

    @web.middleware
    async def guarded(request: web.Request, handler):
        """Language, CSRF, and errors as pages: 403 for a wrong or missing token (nothing runs),
        the sign-in page for the signed-out, the reason for a refusal."""
        session = await get_session(request)
        if CSRF_FIELD not in session:
            session[CSRF_FIELD] = secrets.token_urlsafe(24)
        request[CSRF] = session[CSRF_FIELD]
        request[LANG] = language_or(session.get("lang"), settings.default_language)
        try:
            if request.method not in SAFE_METHODS:
                sent = request.headers.get(CSRF_HEADER)
                if sent is None:
                    sent = (await request.post()).get(CSRF_FIELD)
                if not isinstance(sent, str) or not secrets.compare_digest(sent, session[CSRF_FIELD]):
                    return page(request, "error.html", status=403,
                                message=translate(N_("This form has expired. Go back, reload the page and try again."),
                                                  request[LANG]))
            response = await handler(request)
        except NotSignedIn:
            if request.headers.get("HX-Request"):
                return web.Response(status=401, headers={"HX-Redirect": f"{PREFIX}/"})
            raise web.HTTPSeeOther(f"{PREFIX}/?next={quote(request.path_qs)}") from None
        except SecondFactorNeeded:
            there = f"{PREFIX}/second-factor?next={quote(request.path_qs)}"
            if request.headers.get("HX-Request"):
                return web.Response(status=403, headers={"HX-Redirect": there})
            raise web.HTTPSeeOther(there) from None
        except ChopbarError as exc:
            if exc.status == 503:
                raise
            response = page(request, "error.html", status=exc.status, message=str(exc))
            if getattr(exc, "retry_after_s", None):
                response.headers["Retry-After"] = str(exc.retry_after_s)
            return response
        return response

    @web.middleware
    async def compressed(request: web.Request, handler):
        response = await handler(request)
        if (isinstance(response, web.Response) and response.content_type in COMPRESSED_TYPES
                and "Content-Encoding" not in response.headers):
            response.enable_compression()
        return response

    return [headers, compressed, session_middleware(storage), guarded]


# --- static files ------------------------------------------------------------------------------

def _load_static() -> dict:
    """Every file of static/, read once: its bytes, gzipped bytes and short hash (the URL's ?v=)."""
    files = {}
    for path in sorted((HERE / "static").iterdir()):
        if path.is_file():
            body = path.read_bytes()
            files[path.name] = (body, gzip.compress(body, 9, mtime=0), hashlib.sha256(body).hexdigest()[:12])
    return files


CONTENT_TYPES = {".js": "application/javascript", ".css": "text/css", ".svg": "image/svg+xml",
                 ".wav": "audio/wav", ".LICENSE": "text/plain"}


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    found = request.app[STATIC].get(name)
    if found is None:
        raise web.HTTPNotFound()
    body, zipped, digest = found
    headers = {"Cache-Control": f"public, max-age={STATIC_MAX_AGE}, immutable", "ETag": f'"{digest}"', "Vary": "Accept-Encoding"}
    if request.headers.get("If-None-Match") == f'"{digest}"':
        return web.Response(status=304, headers=headers)
    content_type = CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")
    if "gzip" in request.headers.get("Accept-Encoding", "") and content_type != "audio/wav":
        headers["Content-Encoding"] = "gzip"
        return web.Response(body=zipped, content_type=content_type, headers=headers)
    return web.Response(body=body, content_type=content_type, headers=headers)


# --- the sub-application -----------------------------------------------------------------------

def create(settings) -> web.Application:
    """The console as a sub-application: its own middlewares, mounted under /console by `setup`."""
    secret = settings.jwt_secret.get_secret_value().encode()
    key = base64.urlsafe_b64encode(hashlib.sha256(b"chopbar console session\0" + secret).digest())
    css = (HERE / "templates" / "console.css").read_text()
    style_hash = "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
    console = web.Application(middlewares=_middlewares(settings, key, style_hash))
    console[CONSOLE] = console
    console[STATIC] = _load_static()
    console[INLINE_CSS] = css
    env = aiohttp_jinja2.setup(console, loader=jinja2.FileSystemLoader(HERE / "templates"),
                               autoescape=jinja2.select_autoescape(["html"], default=True),
                               undefined=jinja2.StrictUndefined)
    env.globals["static"] = lambda name: _static_url(console, name)
    env.globals["csrf_name"] = CSRF_FIELD
    env.globals["may"] = may  # a page shows a link or a form only to whom core.restaurant_roles allows it
    console.router.add_get("/static/{name}", static)
    return console
