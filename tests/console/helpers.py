"""The web console over HTTP, as a browser without scripts meets it: signing in, and an order
to answer placed by USSD."""
import re

from tests.channels.test_api_auth import SECRETS, code_sent_to, secrets_of, totp_at
from tests.ussd import gateway_for, pick


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


async def console_sign_in(chopbar, phone: str, lang: str | None = "en", *, sms_only: bool = False) -> str:
    """Signs `phone` in (the client keeps the cookie), a support or admin account with its second
    factor too (enrolled first when it has none) unless `sms_only`, then switches to `lang`
    (None: the account's own); returns the page it lands on."""
    start = await (await chopbar.get("/console/")).text()
    sent = await chopbar.post("/console/sign-in", data={"phone": phone, "csrf": csrf_of(start)}, allow_redirects=False)
    assert sent.status == 303, await sent.text()
    code_page = await (await chopbar.get(sent.headers["Location"])).text()
    signed = await chopbar.post("/console/code", data={"code": await code_sent_to(chopbar, phone), "csrf": csrf_of(code_page)})
    assert signed.status == 200, await signed.text()
    if signed.url.path == "/console/second-factor" and not sms_only:
        signed = await console_second_factor(chopbar, phone, await signed.text(), signed.url.query.get("next", "/console/"))
    if lang is None:
        return await signed.text()
    page = await signed.text()
    switched = await chopbar.post("/console/language", data={"lang": lang, "next": str(signed.url.path), "csrf": csrf_of(page)})
    assert switched.status == 200
    return await switched.text()


async def console_second_factor(chopbar, phone: str, html: str, next_: str = "/console/"):
    """From the second-factor page: enrols when it offers to (the secret read from the page),
    then gives the code of the step before, of now, or of the step after; the page it lands on."""
    action = "/console/second-factor"
    if 'action="/console/second-factor/enrolment"' in html:
        enrolling = await chopbar.post("/console/second-factor/enrolment", data={"csrf": csrf_of(html), "next": next_})
        html = await enrolling.text()
        assert enrolling.status == 200, html
    if 'action="/console/second-factor/enrolment/confirm"' in html:
        SECRETS[phone] = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
        action += "/enrolment/confirm"
    for secret in secrets_of(phone):
        for drift in (-30, 0, 30):
            answer = await chopbar.post(action, data={"code": totp_at(chopbar, secret, drift), "csrf": csrf_of(html), "next": next_})
            if answer.status == 200:
                return answer
    raise AssertionError(f"no code of {phone}'s second factor was accepted: {await answer.text()}")


async def cash_pickup_by_ussd(chopbar, phone: str) -> str:
    """An English customer's pickup at Chez Maman Ngo, cash at the counter: it waits for the
    restaurant's answer at once. Returns its code."""
    session = gateway_for(chopbar).dial(phone)
    await session.open()
    for label in ("Order food", "Yaounde", "Chez Maman Ngo", "Plates", "Poulet DG"):
        await pick(session, label)
    while "(1-20)" not in session.last.text:  # the dish's options, first of each, then the quantity
        await session.press("1")
    await session.press("1")
    for label in ("Checkout", "collect", "Cash"):
        await pick(session, label)
    end = await pick(session, "Confirm")
    assert session.last.ended, end
    return end.split()[1].rstrip(":")
