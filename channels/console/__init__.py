"""The web console under /console/: server-rendered pages for restaurants and the Chopbar team.

A channel like the others: a page parses the request, calls `core.use_cases`, renders a
template. No business rule lives here. `setup(app)` mounts it (chopbar/app.py).

Pieces (all in `channels/console/foundation.py` unless said):
- Templates: `templates/`, Jinja2 through aiohttp-jinja2, autoescaped. Every page extends
  `base.html` (inline CSS from `templates/console.css`, one deferred script: htmx, plus the
  tiny `static/console.js`). First load stays under 100 KB compressed and 2 blocking requests:
  `benchmarks/console_weight.py` checks it.
- Live updates: `board.py` streams Server-Sent Events from the real-time hub
  (channels.api.realtime, Redis pub/sub when configured) and `static/console.js` swaps the
  fragment in with htmx; copy it for another live page.
- Sign-in: `signing.py`, the API's SMS code (core.use_cases.signing_in) into an encrypted
  cookie session (aiohttp-session EncryptedCookieStorage: HttpOnly, SameSite=Lax, Secure over
  https or with CHOPBAR_CONSOLE_SECURE_COOKIE=1, 12 hours). The cookie carries the API's token
  pair; logout ends the login server-side (refresh family revoked, access tokens on the
  revocation list), so a copied cookie dies with it.

How to add a page:
1. Write a module here (e.g. `menu_editor.py`) with handlers and a `setup(console)` that adds
   routes relative to /console (`console.router.add_get(board.RESTAURANT + "/menu", menu)`: the id
   is digits, so `board.restaurant_of(request)` is an int); add the module to `PAGES` below.
2. In the handler, check who asks first:
   `who = await working_at(request, restaurant_id, roles.MENU)` for a restaurant page (the same
   `core.restaurant_roles.may(role, action)` table as the API: 403 when the role may not);
   `who = await operator(request)` for the operations pages (support or admin;
   `operator(request, "admin")` for admin only); `await signed_in(request)` for any person. A
   signed-out visitor is sent to the sign-in page and back. `who.actor` names them in the audit.
3. Render: `return page(request, "menu.html", dishes=...)`; the template starts with
   `{% extends "base.html" %}` and fills `{% block title %}` and `{% block main %}`.
4. Forms: every form includes `{{ csrf_field() }}`; the middleware refuses (403, nothing runs)
   any POST/PUT/PATCH/DELETE without the session's token in the `csrf` field or the
   `X-CSRF-Token` header. After a POST, `raise see_other(url)` (plain form + redirect works with
   scripts off); add `hx-post` to the same form to swap a fragment in place with scripts on.
5. Texts: English msgids. In templates `{{ _("Accept") }}` or `{{ _("{n} orders", n=3) }}`;
   in Python `translate(N_("..."), language(request))` (N_ marks it for extraction). babel.cfg
   extracts both (README "Translations"); write the French in locale/fr; tests/test_locale.py
   fails while one lacks it. A page's language is the account's (taken at sign-in), or the
   header's switch (POST /console/language, which sets the account's too).
6. Errors: raise core.errors (BadInput, NotFound, Forbidden...): the middleware shows them as a
   page with their status.
7. Weight and browser tests: add the page's path to `PAGES` in benchmarks/console_weight.py
   and to `PAGES` in tests/browser/test_accessibility.py (axe-core runs on each).
"""
from aiohttp import web

from channels.console import board, hours, menu_editor, operations, promotions, ratings, sales, second_factor, signing
from channels.console.foundation import PREFIX, create
from channels.keys import SETTINGS

PAGES = (signing, second_factor, board, menu_editor, hours, sales, promotions, ratings, operations)  # each module's setup(console) adds its routes


def setup(app: web.Application) -> None:
    console = create(app[SETTINGS])
    for module in PAGES:
        module.setup(console)
    app.router.add_get(PREFIX, _with_slash)
    app.add_subapp(PREFIX, console)


async def _with_slash(request: web.Request) -> web.Response:
    raise web.HTTPPermanentRedirect(PREFIX + "/")
