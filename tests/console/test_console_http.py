"""The web console over plain HTTP, as a browser with scripts off meets it: signing in with the
SMS code, the cookie and the headers, CSRF, who may see a restaurant's board, answering orders
with plain forms, logout, and the board's event stream."""
import asyncio
import json
import re

from aiohttp import ClientSession

from tests import demo
from tests.channels.test_api_admin import ADMIN, account_id, signed_in
from tests.channels.test_api_auth import code_sent_to
from tests.channels.test_api_ordering import menu_item
from tests.console.helpers import cash_pickup_by_ussd, console_sign_in, csrf_of
from tests.sms import inbox

OWNER = demo.ALL_DAY_YAOUNDE.phone
OTHER_OWNER = "+237699100003"  # Saveurs d'Essos
CUSTOMER = demo.CUSTOMER_EN.phone


async def order_status(chopbar, code: str) -> str:
    tokens = await _api_tokens(chopbar, CUSTOMER)
    found = await chopbar.get(f"/api/v1/orders/{code}", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    return (await found.json())["status"]


async def _api_tokens(chopbar, phone: str) -> dict:
    await chopbar.post("/api/v1/auth/otp", json={"phone": phone})
    return await (await chopbar.post("/api/v1/auth/token", json={"phone": phone, "code": await code_sent_to(chopbar, phone)})).json()


async def test_the_sign_in_page_is_safe_to_serve(chopbar):
    response = await chopbar.get("/console/")
    assert response.status == 200 and "text/html" in response.headers["Content-Type"]
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console/" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain http here; CHOPBAR_CONSOLE_SECURE_COOKIE or an https public URL adds it
    assert 'name="phone"' in await response.text()
    assert (await chopbar.get("/console", allow_redirects=False)).headers["Location"] == "/console/"


async def test_an_owner_signs_in_with_the_sms_code_and_lands_on_the_board(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    page = await console_sign_in(chopbar, OWNER)
    assert demo.ALL_DAY_YAOUNDE.name in page and f"/console/restaurants/{restaurant_id}/events" in page


async def test_a_wrong_code_signs_nobody_in(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    start = await (await chopbar.get("/console/")).text()
    await chopbar.post("/console/sign-in", data={"phone": OWNER, "csrf": csrf_of(start)})
    code = await code_sent_to(chopbar, OWNER)
    page = await (await chopbar.get("/console/code")).text()
    wrong = await chopbar.post("/console/code", data={"code": "000000" if code != "000000" else "111111", "csrf": csrf_of(page)})
    assert wrong.status == 401 and "Code erroné" in await wrong.text()  # signed out: CHOPBAR_DEFAULT_LANGUAGE
    board = await chopbar.get(f"/console/restaurants/{restaurant_id}", allow_redirects=False)
    assert board.status == 303 and board.headers["Location"].startswith("/console/?next=")


async def test_a_bad_phone_number_is_told(chopbar):
    start = await (await chopbar.get("/console/")).text()
    refused = await chopbar.post("/console/sign-in", data={"phone": "hello", "csrf": csrf_of(start)})
    assert refused.status == 400 and "pas un numéro de téléphone" in await refused.text()


async def test_a_form_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    code = await cash_pickup_by_ussd(chopbar, CUSTOMER)
    page = await console_sign_in(chopbar, OWNER)
    accept = f"/console/restaurants/{restaurant_id}/orders/{code}/accept"
    assert (await chopbar.post(accept, data={"minutes": "20"})).status == 403
    assert (await chopbar.post(accept, data={"minutes": "20", "csrf": "x" + csrf_of(page)})).status == 403
    assert (await chopbar.post(accept, data={"minutes": "20"}, headers={"X-CSRF-Token": "forged"})).status == 403
    assert await order_status(chopbar, code) == "PENDING_RESTAURANT"
    logout = await chopbar.post("/console/logout", data={}, allow_redirects=False)
    assert logout.status == 403
    assert (await chopbar.get(f"/console/restaurants/{restaurant_id}")).status == 200  # still signed in


async def test_the_owner_accepts_with_a_plain_form_and_the_customer_gets_the_sms(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    code = await cash_pickup_by_ussd(chopbar, CUSTOMER)
    page = await console_sign_in(chopbar, OWNER)
    assert f"Order {code}" in page
    before = len(await inbox(chopbar, CUSTOMER))
    answered = await chopbar.post(f"/console/restaurants/{restaurant_id}/orders/{code}/accept",
                                  data={"minutes": "25", "csrf": csrf_of(page)}, allow_redirects=False)
    assert answered.status == 303 and answered.headers["Location"] == f"/console/restaurants/{restaurant_id}"
    assert await order_status(chopbar, code) == "ACCEPTED"
    texts = (await inbox(chopbar, CUSTOMER))[before:]
    assert any(code in t for t in texts), texts
    board = await (await chopbar.get(answered.headers["Location"])).text()
    kitchen = board.split("In the kitchen")[1]
    assert f"Order {code}" in kitchen and "Ready" in kitchen
    ready = await chopbar.post(f"/console/restaurants/{restaurant_id}/orders/{code}/ready", data={"csrf": csrf_of(board)})
    assert ready.status == 200 and await order_status(chopbar, code) == "READY"
    collected = await chopbar.post(f"/console/restaurants/{restaurant_id}/orders/{code}/collected", data={"csrf": csrf_of(board)})
    assert collected.status == 200 and await order_status(chopbar, code) == "COMPLETED"
    assert f"Order {code}" not in await collected.text()


async def test_a_reject_needs_its_reason_and_a_second_answer_is_told_not_applied(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    code = await cash_pickup_by_ussd(chopbar, CUSTOMER)
    page = await console_sign_in(chopbar, OWNER)
    reject = f"/console/restaurants/{restaurant_id}/orders/{code}/reject"
    told = await chopbar.post(reject, data={"reason": "  ", "csrf": csrf_of(page)})
    assert "Say why you refuse" in await told.text()
    assert await order_status(chopbar, code) == "PENDING_RESTAURANT"
    done = await chopbar.post(reject, data={"reason": "no more gas", "csrf": csrf_of(page)})
    assert done.status == 200 and await order_status(chopbar, code) == "REJECTED"
    again = await chopbar.post(f"/console/restaurants/{restaurant_id}/orders/{code}/accept", data={"csrf": csrf_of(page)})
    assert again.status == 200 and 'class="notice"' in await again.text()
    assert await order_status(chopbar, code) == "REJECTED"
    bad = await chopbar.post(f"/console/restaurants/{restaurant_id}/orders/{code}/accept", data={"minutes": "soon", "csrf": csrf_of(page)})
    assert "whole number" in await bad.text()


async def test_a_customer_and_another_restaurants_owner_are_refused(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    code = await cash_pickup_by_ussd(chopbar, CUSTOMER)
    for phone in (CUSTOMER, OTHER_OWNER):
        chopbar.session.cookie_jar.clear()
        page = await console_sign_in(chopbar, phone)
        board = await chopbar.get(f"/console/restaurants/{restaurant_id}")
        assert board.status == 403, phone
        for action in ("accept", "reject", "ready"):
            refused = await chopbar.post(f"/console/restaurants/{restaurant_id}/orders/{code}/{action}",
                                         data={"minutes": "10", "reason": "no", "csrf": csrf_of(page)})
            assert refused.status == 403, (phone, action)
        assert (await chopbar.get(f"/console/restaurants/{restaurant_id}/events")).status == 403
    assert await order_status(chopbar, code) == "PENDING_RESTAURANT"


async def test_logout_ends_the_session_even_for_a_copied_cookie(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    page = await console_sign_in(chopbar, OWNER)
    copied = {c.key: c.value for c in chopbar.session.cookie_jar}
    out = await chopbar.post("/console/logout", data={"csrf": csrf_of(page)}, allow_redirects=False)
    assert out.status == 303
    board = f"/console/restaurants/{restaurant_id}"
    assert (await chopbar.get(board, allow_redirects=False)).status == 303
    async with ClientSession(cookies=copied) as thief:
        stolen = await thief.get(chopbar.make_url(board), allow_redirects=False)
        assert stolen.status == 303 and stolen.headers["Location"].startswith("/console/?next=")


async def test_the_page_speaks_the_persons_language_and_the_switch_changes_it(chopbar):
    page = await console_sign_in(chopbar, demo.CUSTOMER_FR.phone, lang=None)
    assert "Où travaillez-vous" in page and 'lang="fr"' in page
    switched = await chopbar.post("/console/language", data={"lang": "en", "next": "/console/", "csrf": csrf_of(page)})
    assert "Where do you work today?" in await switched.text()
    tokens = await _api_tokens(chopbar, demo.CUSTOMER_FR.phone)
    me = await chopbar.get("/api/v1/orders", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status == 200
    odd = await chopbar.post("/console/language", data={"lang": "de", "csrf": csrf_of(page)})
    assert odd.status == 400


async def test_the_event_stream_says_when_a_new_order_reaches_the_board(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    await console_sign_in(chopbar, OWNER)
    stream = await chopbar.get(f"/console/restaurants/{restaurant_id}/events")
    assert stream.status == 200 and stream.headers["Content-Type"] == "text/event-stream"

    async def first_board_event() -> dict:
        while True:
            line = (await stream.content.readline()).decode()
            if line.startswith("data: "):
                return json.loads(line[6:])

    reading = asyncio.ensure_future(first_board_event())
    await asyncio.sleep(0.1)
    code = await cash_pickup_by_ussd(chopbar, CUSTOMER)
    said = await asyncio.wait_for(reading, 10)
    assert said == {"new": [code]}
    stream.close()
    fragment = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/board")).text()
    assert fragment.startswith('<section id="board"') and f"Order {code}" in fragment


async def test_static_files_are_compressed_and_cached_for_long(chopbar):
    page = await (await chopbar.get("/console/")).text()
    src = re.search(r'src="(/console/static/htmx\.min\.js\?v=\w+)"', page).group(1)
    script = await chopbar.get(src, headers={"Accept-Encoding": "gzip"})
    assert script.status == 200 and script.headers["Content-Encoding"] == "gzip"
    assert "immutable" in script.headers["Cache-Control"] and "max-age=31536000" in script.headers["Cache-Control"]
    assert (await chopbar.get("/console/static/nothing.js")).status == 404


async def test_roles_are_read_fresh_a_role_given_or_taken_shows_at_the_next_request(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    await console_sign_in(chopbar, CUSTOMER)
    board = f"/console/restaurants/{restaurant_id}"
    assert (await chopbar.get(board)).status == 403
    admin, customer = await signed_in(chopbar, ADMIN), await account_id(chopbar, CUSTOMER)
    staff = {"roles": [{"role": "customer"}, {"role": "staff", "restaurant_id": restaurant_id}]}
    assert (await chopbar.put(f"/api/v1/admin/accounts/{customer}/roles", json=staff, headers=admin)).status == 200
    assert (await chopbar.get(board)).status == 200  # no new sign-in: the token was refreshed with the new roles
    plain = {"roles": [{"role": "customer"}]}
    assert (await chopbar.put(f"/api/v1/admin/accounts/{customer}/roles", json=plain, headers=admin)).status == 200
    assert (await chopbar.get(board)).status == 403


async def test_a_person_working_at_two_restaurants_picks_one(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    other = (await (await chopbar.get("/api/v1/restaurants", params={"name": "essos"})).json())["items"][0]["id"]
    admin, customer = await signed_in(chopbar, ADMIN), await account_id(chopbar, CUSTOMER)
    both = {"roles": [{"role": "staff", "restaurant_id": restaurant_id}, {"role": "manager", "restaurant_id": other}]}
    assert (await chopbar.put(f"/api/v1/admin/accounts/{customer}/roles", json=both, headers=admin)).status == 200
    home = await console_sign_in(chopbar, CUSTOMER)
    assert "Where do you work today?" in home
    assert f'href="/console/restaurants/{restaurant_id}"' in home and f'href="/console/restaurants/{other}"' in home
    assert (await chopbar.get(f"/console/restaurants/{other}")).status == 200


async def test_an_expired_access_token_is_refreshed_once_for_requests_arriving_together(chopbar, clock):
    restaurant_id, _ = await menu_item(chopbar)
    await console_sign_in(chopbar, OWNER)
    clock.advance(minutes=16)  # past the access token's 15 minutes
    board = f"/console/restaurants/{restaurant_id}"
    answers = await asyncio.gather(*(chopbar.get(board, allow_redirects=False) for _ in range(3)))
    assert [a.status for a in answers] == [200, 200, 200]
    clock.advance(minutes=16)
    assert (await chopbar.get(board, allow_redirects=False)).status == 200  # the refresh token was used once: the login lives
