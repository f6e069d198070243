"""The second factor of support and admin accounts over HTTP, and the lockout of every account
after repeated wrong codes: enrolment, sign-in with a TOTP or a recovery code, replays, refresh,
an admin's reset and unlock, and the console's pages in English and French."""
import re

import pytest

from chopbar.demo_data import PEOPLE
from channels.keys import DATABASE
from tests import demo
from tests.channels.test_api_auth import SECRETS, bearer, claims_of, code_sent_to, sign_in, totp_now
from tests.console.helpers import console_sign_in, csrf_of

SUPPORT = next(p.phone for p in PEOPLE if p.role == "support")
ADMIN = next(p.phone for p in PEOPLE if p.role == "admin")
FACTOR = "/api/v1/auth/second-factor"
AUDIT = "/api/v1/admin/audit"


@pytest.fixture(autouse=True)
def demo_secrets():
    """Each test's database is fresh: its demo accounts have the demo's secret again."""
    SECRETS.clear()


def error_of(body: dict) -> str:
    return body["error"]["code"]


def wrong_code(chopbar, phone: str) -> str:
    """Six digits that are none of the codes accepted now (the step before, now, the step after)."""
    right = {totp_now(chopbar, phone, drift) for drift in (-30, 0, 30)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


async def account_id(chopbar, phone: str) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        return (await demo.account(unit, phone)).id


async def promoted_admin(chopbar) -> tuple[str, dict]:
    """A customer the demo admin makes admin: signed in by SMS code, with no second factor yet."""
    phone = demo.CUSTOMER_EN.phone
    admin = bearer(await sign_in(chopbar, ADMIN))
    body = {"roles": [{"role": "customer"}, {"role": "admin"}]}
    changed = await chopbar.put(f"/api/v1/admin/accounts/{await account_id(chopbar, phone)}/roles", json=body, headers=admin)
    assert changed.status == 200, await changed.text()
    return phone, await sign_in(chopbar, phone, sms_only=True)


async def test_an_admin_without_a_second_factor_may_only_enrol_then_confirms_with_a_first_code(chopbar):
    phone, tokens = await promoted_admin(chopbar)
    claims = claims_of(tokens)
    assert claims["amr"] == ["sms"] and claims["second_factor"] == "enrolment_required"
    for path in (AUDIT, "/api/v1/orders"):
        refused = await chopbar.get(path, headers=bearer(tokens))
        assert refused.status == 403 and error_of(await refused.json()) == "second_factor_enrolment_required"
    too_soon = await chopbar.post(FACTOR, json={"code": "123456"}, headers=bearer(tokens))
    assert too_soon.status == 409
    enrolled = await chopbar.post(f"{FACTOR}/enrolment", headers=bearer(tokens))
    assert enrolled.status == 201
    body = await enrolled.json()
    SECRETS[phone] = body["secret"]
    assert re.fullmatch(r"[A-Z2-7]{32}", body["secret"])
    assert body["uri"] == f"otpauth://totp/Chopbar:%2B{phone[1:]}?secret={body['secret']}&issuer=Chopbar"
    assert len(body["recovery_codes"]) == 10 and len(set(body["recovery_codes"])) == 10
    wrong = await chopbar.post(f"{FACTOR}/enrolment/confirm", json={"code": wrong_code(chopbar, phone)}, headers=bearer(tokens))
    assert wrong.status == 401
    confirmed = await chopbar.post(f"{FACTOR}/enrolment/confirm", json={"code": totp_now(chopbar, phone)}, headers=bearer(tokens))
    assert confirmed.status == 200, await confirmed.text()
    strong = await confirmed.json()
    assert claims_of(strong)["amr"] == ["sms", "totp"] and "second_factor" not in claims_of(strong)
    assert (await chopbar.get(AUDIT, headers=bearer(strong))).status == 200
    assert (await chopbar.get(AUDIT, headers=bearer(tokens))).status == 401  # the SMS-only login ended
    again = await chopbar.post(f"{FACTOR}/enrolment", headers=bearer(strong))
    assert again.status == 409


async def test_an_enrolled_admin_signs_in_with_a_totp_code_and_refreshing_keeps_it(chopbar):
    tokens = await sign_in(chopbar, ADMIN, sms_only=True)
    assert claims_of(tokens)["second_factor"] == "required"
    refused = await chopbar.get(AUDIT, headers=bearer(tokens))
    assert refused.status == 403 and error_of(await refused.json()) == "second_factor_required"
    own = await chopbar.get("/api/v1/orders", headers=bearer(tokens))  # what is not a power of support or admin
    assert own.status == 200
    given = await chopbar.post(FACTOR, json={"code": totp_now(chopbar, ADMIN)}, headers=bearer(tokens))
    assert given.status == 200
    strong = await given.json()
    refreshed = await (await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": strong["refresh_token"]})).json()
    assert claims_of(refreshed)["amr"] == ["sms", "totp"]
    assert (await chopbar.get(AUDIT, headers=bearer(refreshed))).status == 200
    old = await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert old.status == 401  # the SMS-only family ended with the second step


async def test_a_code_used_once_is_refused_the_second_time(chopbar):
    first, second = await sign_in(chopbar, ADMIN, sms_only=True), await sign_in(chopbar, ADMIN, sms_only=True)
    code = totp_now(chopbar, ADMIN)
    assert (await chopbar.post(FACTOR, json={"code": code}, headers=bearer(first))).status == 200
    replay = await chopbar.post(FACTOR, json={"code": code}, headers=bearer(second))
    assert replay.status == 401
    earlier = await chopbar.post(FACTOR, json={"code": totp_now(chopbar, ADMIN, -30)}, headers=bearer(second))
    assert earlier.status == 401  # a step before the one used is a replay too


async def test_a_recovery_code_works_once_and_new_ones_replace_the_old(chopbar):
    phone, tokens = await promoted_admin(chopbar)
    enrolment = await (await chopbar.post(f"{FACTOR}/enrolment", headers=bearer(tokens))).json()
    SECRETS[phone], codes = enrolment["secret"], enrolment["recovery_codes"]
    confirmed = await chopbar.post(f"{FACTOR}/enrolment/confirm", json={"code": totp_now(chopbar, phone)}, headers=bearer(tokens))
    assert confirmed.status == 200
    later = await sign_in(chopbar, phone, sms_only=True)
    used = await chopbar.post(FACTOR, json={"code": codes[0].upper()}, headers=bearer(later))
    assert used.status == 200 and claims_of(await used.json())["amr"] == ["sms", "totp"]
    again = await sign_in(chopbar, phone, sms_only=True)
    assert (await chopbar.post(FACTOR, json={"code": codes[0]}, headers=bearer(again))).status == 401
    strong = await (await chopbar.post(FACTOR, json={"code": codes[1]}, headers=bearer(again))).json()
    renewed = await chopbar.post(f"{FACTOR}/recovery-codes", json={"code": totp_now(chopbar, phone, 30)}, headers=bearer(strong))
    assert renewed.status == 201
    fresh = (await renewed.json())["recovery_codes"]
    last = await sign_in(chopbar, phone, sms_only=True)
    assert (await chopbar.post(FACTOR, json={"code": codes[2]}, headers=bearer(last))).status == 401
    assert (await chopbar.post(FACTOR, json={"code": fresh[0]}, headers=bearer(last))).status == 200
    garbage = await chopbar.post(FACTOR, json={"code": "not a code"}, headers=bearer(await sign_in(chopbar, phone, sms_only=True)))
    assert garbage.status == 400


async def test_wrong_codes_lock_the_account_even_for_the_right_code_until_the_wait_ends(chopbar, clock):
    tokens = await sign_in(chopbar, SUPPORT, sms_only=True)
    for _ in range(10):
        assert (await chopbar.post(FACTOR, json={"code": wrong_code(chopbar, SUPPORT)}, headers=bearer(tokens))).status == 401
    locked = await chopbar.post(FACTOR, json={"code": totp_now(chopbar, SUPPORT)}, headers=bearer(tokens))
    assert locked.status == 429 and error_of(await locked.json()) == "account_locked"
    assert 1 <= int(locked.headers["Retry-After"]) <= 900
    assert (await chopbar.post("/api/v1/auth/otp", json={"phone": SUPPORT})).status == 202
    sms = await chopbar.post("/api/v1/auth/token", json={"phone": SUPPORT, "code": await code_sent_to(chopbar, SUPPORT)})
    assert sms.status == 429 and error_of(await sms.json()) == "account_locked"  # every code, the SMS one too
    clock.advance(seconds=901)
    assert claims_of(await sign_in(chopbar, SUPPORT))["amr"] == ["sms", "totp"]
    async with chopbar.app[DATABASE].unit() as unit:
        from sqlalchemy import select
        from core.models import SignInAttempt
        kinds = [(a.kind, a.succeeded) for a in await unit.session.scalars(
            select(SignInAttempt).where(SignInAttempt.account_id == await account_id(chopbar, SUPPORT)).order_by(SignInAttempt.id))]
    assert kinds[:11] == [("sms", True)] + [("totp", False)] * 10 and kinds[-1] == ("totp", True)


async def test_a_customer_is_locked_after_ten_wrong_sms_codes(chopbar, clock):
    phone = demo.CUSTOMER_FR.phone
    for _ in range(2):  # a code takes five tries
        await chopbar.post("/api/v1/auth/otp", json={"phone": phone})
        right = await code_sent_to(chopbar, phone)
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(5):
            assert (await chopbar.post("/api/v1/auth/token", json={"phone": phone, "code": wrong})).status == 401
    await chopbar.post("/api/v1/auth/otp", json={"phone": phone})
    refused = await chopbar.post("/api/v1/auth/token", json={"phone": phone, "code": await code_sent_to(chopbar, phone)})
    assert refused.status == 429 and "Retry-After" in refused.headers
    clock.advance(seconds=901)
    assert (await sign_in(chopbar, phone))["access_token"]


async def test_an_admin_resets_a_second_factor_and_unlocks_an_account(chopbar):
    admin = bearer(await sign_in(chopbar, ADMIN))
    support = await sign_in(chopbar, SUPPORT)
    sid = await account_id(chopbar, SUPPORT)
    by_support = await chopbar.delete(f"/api/v1/admin/accounts/{sid}/second-factor", headers=bearer(support))
    assert by_support.status == 403  # admins only
    assert (await chopbar.delete(f"/api/v1/admin/accounts/{sid}/second-factor", headers=admin)).status == 204
    assert (await chopbar.get(AUDIT, headers=bearer(support))).status == 401  # their logins ended
    again = await sign_in(chopbar, SUPPORT, sms_only=True)
    assert claims_of(again)["second_factor"] == "enrolment_required"
    assert (await chopbar.delete("/api/v1/admin/accounts/999999/second-factor", headers=admin)).status == 404
    enrolled = await sign_in(chopbar, SUPPORT)  # enrols anew
    assert claims_of(enrolled)["amr"] == ["sms", "totp"]
    tokens = await sign_in(chopbar, SUPPORT, sms_only=True)
    for _ in range(10):
        await chopbar.post(FACTOR, json={"code": wrong_code(chopbar, SUPPORT)}, headers=bearer(tokens))
    assert (await chopbar.post(FACTOR, json={"code": totp_now(chopbar, SUPPORT, 30)}, headers=bearer(tokens))).status == 429
    unlocked = await chopbar.post(f"/api/v1/admin/accounts/{sid}/unlock", headers=admin)
    assert unlocked.status == 200 and (await unlocked.json()) == {"was_locked": True}
    assert (await chopbar.post(FACTOR, json={"code": totp_now(chopbar, SUPPORT, 30)}, headers=bearer(tokens))).status == 200
    log = await (await chopbar.get(AUDIT, params={"entity": "account", "ref": str(sid)}, headers=admin)).json()
    assert {"second_factor_reset", "unlock", "second_factor_enrolled"} <= {e["trigger"] for e in log["items"]}


async def test_the_console_asks_the_second_factor_in_english(chopbar):
    page = await console_sign_in(chopbar, ADMIN, lang=None, sms_only=True)
    assert "Type the code of your authenticator app" in page
    ops = await chopbar.get("/console/ops", allow_redirects=False)
    assert ops.status == 303 and ops.headers["Location"].startswith("/console/second-factor")
    wrong = await chopbar.post("/console/second-factor", data={"code": wrong_code(chopbar, ADMIN), "csrf": csrf_of(page)})
    assert wrong.status == 401 and "Wrong code, or one already used" in await wrong.text()
    done = await chopbar.post("/console/second-factor", data={"code": totp_now(chopbar, ADMIN), "csrf": csrf_of(page),
                                                              "next": "/console/ops"})
    assert done.status == 200 and done.url.path == "/console/ops"


async def test_the_console_enrols_and_locks_in_french(chopbar):
    phone = demo.CUSTOMER_FR.phone
    admin = bearer(await sign_in(chopbar, ADMIN))
    body = {"roles": [{"role": "customer"}, {"role": "support"}]}
    assert (await chopbar.put(f"/api/v1/admin/accounts/{await account_id(chopbar, phone)}/roles", json=body, headers=admin)).status == 200
    page = await console_sign_in(chopbar, phone, lang=None, sms_only=True)
    assert "Configurez votre second facteur" in page
    assert (await chopbar.get("/console/", allow_redirects=False)).status == 303  # nothing else until enrolled
    enrolment = await (await chopbar.post("/console/second-factor/enrolment", data={"csrf": csrf_of(page)})).text()
    assert "<svg" in enrolment and "Codes de secours" in enrolment
    secret = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', enrolment).group(1)
    assert all(len(group) == 4 for group in secret.split(" "))
    assert len(re.findall(r"<li><code>[a-z2-9]{5}-[a-z2-9]{5}</code></li>", enrolment)) == 10
    SECRETS[phone] = secret.replace(" ", "")
    for _ in range(10):
        await chopbar.post("/console/second-factor/enrolment/confirm", data={"code": wrong_code(chopbar, phone), "csrf": csrf_of(enrolment)})
    locked = await chopbar.post("/console/second-factor/enrolment/confirm", data={"code": totp_now(chopbar, phone), "csrf": csrf_of(enrolment)})
    assert locked.status == 429 and "ce compte est bloqué" in await locked.text()
    unlocked = await chopbar.post(f"/api/v1/admin/accounts/{await account_id(chopbar, phone)}/unlock", headers=admin)
    assert unlocked.status == 200
    done = await chopbar.post("/console/second-factor/enrolment/confirm", data={"code": totp_now(chopbar, phone), "csrf": csrf_of(enrolment)})
    assert done.status == 200 and done.url.path == "/console/"
    assert (await chopbar.get("/console/ops")).status == 200
