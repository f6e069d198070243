"""Ratings over HTTP: asked once by SMS after a delivery or a pickup, accepted once from the
orderer by SMS, WhatsApp or the app, counted in the averages the API and USSD show, answered by
the restaurant; in English and French."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from channels.keys import DATABASE
from chopbar.worker import jobs_for
from core.drivers import driver_of, onboard
from core.models import Order, OutboxMessage, Rating
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_delivery_by_sms import RESTAURANT, accepted_order, dispatch, offered_to, online, order
from tests.payments import placed_order
from tests.sms import inbox, last, text
from tests.ussd import gateway_for, pick

CUSTOMERS = [demo.CUSTOMER_FR, demo.CUSTOMER_EN]
ASKED = {"fr": "Comment était la commande", "en": "How was order"}
THANKS = {"fr": "Merci ! Commande", "en": "Thank you! Order"}
HELP = {"fr": "Pour noter la commande", "en": "To rate order"}
CLOSED = {"fr": "ne se note plus", "en": "can no longer be rated"}


async def delivered(chopbar, phone: str) -> tuple[str, str]:
    """A cash order of this customer delivered by a driver, all by SMS: its code and the driver's number."""
    await online(chopbar)
    code = await placed_order(chopbar.app[DATABASE], method="cash", phone=phone)
    await text(chopbar, RESTAURANT, f"OUI {code} 15")
    await dispatch(chopbar)
    driver = (await offered_to(chopbar))[0]
    await text(chopbar, driver, f"PRENDRE {code}")
    await text(chopbar, RESTAURANT, f"PRET {code}")
    await text(chopbar, driver, f"RECUPERE {code}")
    await text(chopbar, driver, f"LIVRE {code} {(await order(chopbar, code)).handover_code}")
    return code, driver


async def collected(chopbar, phone: str) -> str:
    """A cash pickup order of this customer, collected at the counter: its code."""
    code = await placed_order(chopbar.app[DATABASE], method="cash", phone=phone, pickup=True)
    for command in (f"OUI {code} 15", f"PRET {code}", f"REMIS {code}"):
        await text(chopbar, RESTAURANT, command)
    return code


async def restaurant_id(chopbar) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        return (await demo.restaurant(unit)).id


async def averages(chopbar) -> dict:
    response = await chopbar.get(f"/api/v1/restaurants/{await restaurant_id(chopbar)}/rating")
    assert response.status == 200
    return await response.json()


async def asks(chopbar, code: str) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        bodies = await unit.session.scalars(select(OutboxMessage.body).where(OutboxMessage.kind == "rating.asked"))
        return sum(code in body for body in bodies)  # bodies are sealed: compared once read


async def stored(chopbar, code: str) -> Rating:
    async with chopbar.app[DATABASE].unit() as unit:
        return await unit.session.scalar(select(Rating).where(Rating.order_code == code))


@pytest.mark.parametrize("customer", CUSTOMERS, ids=["fr", "en"])
async def test_a_delivery_is_rated_once_by_sms_and_moves_both_averages(chopbar, customer):
    before = await averages(chopbar)
    code, driver_phone = await delivered(chopbar, customer.phone)
    assert ASKED[customer.language] in await last(chopbar, customer.phone) and await asks(chopbar, code) == 1

    await text(chopbar, customer.phone, "4 3 plat un peu froid")
    reply = await last(chopbar, customer.phone)
    assert THANKS[customer.language] in reply and "4/5" in reply and "3/5" in reply
    after = await averages(chopbar)
    assert after["rating_count"] == before["rating_count"] + 1
    assert after["rating_average"] == round((4 + (before["rating_average"] or 0) * before["rating_count"]) / after["rating_count"], 1)
    rating = await stored(chopbar, code)
    assert (rating.status, rating.restaurant_stars, rating.driver_stars, rating.comment) == ("RATED", 4, 3, "plat un peu froid")
    async with chopbar.app[DATABASE].unit() as unit:
        driver = await driver_of(unit, driver_phone)
        assert (driver.rating_count, driver.rating_total) == (1, 3)
    own = await chopbar.get("/api/v1/driver/rating", headers=bearer(await sign_in(chopbar, driver_phone)))
    assert await own.json() == {"rating_count": 1, "rating_average": 3.0}
    refused = await chopbar.get("/api/v1/driver/rating", headers=bearer(await sign_in(chopbar, customer.phone)))
    assert refused.status == 403

    await text(chopbar, customer.phone, "NOTE 1")  # accepted once: nothing waits any more
    assert THANKS[customer.language] not in await last(chopbar, customer.phone)
    assert (await averages(chopbar))["rating_count"] == after["rating_count"]
    assert await asks(chopbar, code) == 1


@pytest.mark.parametrize("customer", CUSTOMERS, ids=["fr", "en"])
async def test_a_collected_pickup_is_rated_once_in_the_app_and_only_by_its_orderer(chopbar, customer):
    code = await collected(chopbar, customer.phone)
    assert ASKED[customer.language] in await last(chopbar, customer.phone)
    other = next(p for p in CUSTOMERS if p is not customer)
    stranger = await chopbar.post(f"/api/v1/orders/{code}/rating", json={"restaurant_stars": 1},
                                  headers=bearer(await sign_in(chopbar, other.phone)))
    assert stranger.status == 404

    mine = bearer(await sign_in(chopbar, customer.phone))
    bad = await chopbar.post(f"/api/v1/orders/{code}/rating", json={"restaurant_stars": 6}, headers=mine)
    assert bad.status == 400
    rated = await chopbar.post(f"/api/v1/orders/{code}/rating", json={"restaurant_stars": 5, "comment": "Très bon"},
                               headers=mine)
    assert rated.status == 201, await rated.text()
    body = await rated.json()
    assert (body["status"], body["restaurant_stars"], body["driver_stars"], body["comment"]) == ("RATED", 5, None, "Très bon")
    again = await chopbar.post(f"/api/v1/orders/{code}/rating", json={"restaurant_stars": 1}, headers=mine)
    assert again.status == 409 and (await again.json())["error"]["code"] == "rating_closed"
    assert (await averages(chopbar))["rating_count"] == 1

    listed = await (await chopbar.get("/api/v1/restaurants", params={"city": "Yaounde"})).json()
    rid = await restaurant_id(chopbar)
    ours = next(r for r in listed["items"] if r["id"] == rid)
    assert (ours["rating_count"], ours["rating_average"]) == (1, 5.0)


async def test_an_order_not_yet_delivered_cannot_be_rated(chopbar):
    code = await placed_order(chopbar.app[DATABASE], method="cash")
    response = await chopbar.post(f"/api/v1/orders/{code}/rating", json={"restaurant_stars": 5},
                                  headers=bearer(await sign_in(chopbar, demo.CUSTOMER_FR.phone)))
    assert response.status == 409
    await text(chopbar, demo.CUSTOMER_FR.phone, "5")
    assert "Désolé" in await last(chopbar, demo.CUSTOMER_FR.phone)  # nothing to rate: the usual help


@pytest.mark.parametrize("customer", CUSTOMERS, ids=["fr", "en"])
async def test_a_reply_that_does_not_read_gets_the_rating_help_and_counts_nothing(chopbar, customer):
    code = await collected(chopbar, customer.phone)
    for reply in ("7", "super", "NOTE bien"):
        await text(chopbar, customer.phone, reply)
        said = await last(chopbar, customer.phone)
        assert HELP[customer.language] in said and code in said, reply
    assert (await stored(chopbar, code)).status == "ASKED"
    assert (await averages(chopbar))["rating_count"] == 0


@pytest.mark.parametrize("customer", CUSTOMERS, ids=["fr", "en"])
async def test_a_rating_after_the_window_is_refused_and_the_request_expires(chopbar, clock, settings, customer):
    code = await collected(chopbar, customer.phone)
    clock.advance(seconds=settings.rating_window + 60)
    await text(chopbar, customer.phone, "5")
    assert CLOSED[customer.language] in await last(chopbar, customer.phone)
    assert (await stored(chopbar, code)).status == "EXPIRED"
    late = await chopbar.post(f"/api/v1/orders/{code}/rating", json={"restaurant_stars": 5},
                              headers=bearer(await sign_in(chopbar, customer.phone)))
    assert late.status == 409
    assert (await averages(chopbar))["rating_count"] == 0


async def test_a_bare_1_answers_a_second_chance_to_pay_before_a_rating(chopbar):
    customer = demo.CUSTOMER_FR
    code = await collected(chopbar, customer.phone)
    waiting = await placed_order(chopbar.app[DATABASE], method="mtn", phone=customer.phone)
    async with chopbar.app[DATABASE].unit() as unit:  # its prompt failed once: a second chance stands
        unpaid = await unit.session.scalar(select(Order).where(Order.code == waiting))
        unpaid.payment_retry_until = unit.now() + timedelta(minutes=15)
    await text(chopbar, customer.phone, "1")
    assert (await stored(chopbar, code)).status == "ASKED"  # the 1 went to the payment
    await text(chopbar, customer.phone, "NOTE 2 attente longue")
    assert (await stored(chopbar, code)).restaurant_stars == 2


async def test_a_whatsapp_text_rates_the_order_outside_a_dialog(chopbar):
    customer = demo.CUSTOMER_EN
    code = await collected(chopbar, customer.phone)
    response = await chopbar.post("/sim/meta/inbound", json={"from": customer.phone, "text": "4 long wait"})
    assert (await response.json())["forwarded"] == 200
    rating = await stored(chopbar, code)
    assert (rating.status, rating.restaurant_stars, rating.comment, rating.channel) == ("RATED", 4, "long wait", "whatsapp")
    assert THANKS["en"] in (await inbox(chopbar, customer.phone))[-1]


async def test_a_twilio_whatsapp_text_rates_the_order_and_the_answer_comes_in_its_twiml(chopbar):
    customer = demo.CUSTOMER_FR
    code = await collected(chopbar, customer.phone)
    answer = await (await chopbar.post("/sim/twilio/inbound", json={"from": customer.phone, "body": "5 parfait",
                                                                    "whatsapp": True})).json()
    assert THANKS["fr"] in answer["twiml"]
    rating = await stored(chopbar, code)
    assert (rating.restaurant_stars, rating.comment, rating.channel) == (5, "parfait", "whatsapp")


async def test_a_whatsapp_dialog_keeps_its_keys_and_the_keyword_still_rates(chopbar):
    customer = demo.CUSTOMER_EN
    code = await collected(chopbar, customer.phone)
    await chopbar.post("/sim/meta/inbound", json={"from": customer.phone, "text": "hi"})  # the main menu
    await chopbar.post("/sim/meta/inbound", json={"from": customer.phone, "text": "1"})  # a key of the dialog
    assert (await stored(chopbar, code)).status == "ASKED"
    await chopbar.post("/sim/meta/inbound", json={"from": customer.phone, "text": "RATE 3"})
    assert (await stored(chopbar, code)).restaurant_stars == 3


async def test_a_new_rating_shows_beside_the_restaurant_on_ussd(chopbar):
    customer = demo.CUSTOMER_FR
    code = await collected(chopbar, customer.phone)
    await text(chopbar, customer.phone, "4")
    assert (await stored(chopbar, code)).restaurant_stars == 4
    session = gateway_for(chopbar).dial(demo.CUSTOMER_EN.phone)
    await session.open()
    await pick(session, "Order food")
    screen = await pick(session, "Yaounde")
    line = next(l for l in screen.split("\n") if demo.ALL_DAY_YAOUNDE.name in l)
    assert line.endswith("4.0*"), screen
    categories = await pick(session, demo.ALL_DAY_YAOUNDE.name)
    assert categories.split("\n")[0].endswith("4.0* (1)"), categories


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_the_restaurant_reads_comments_and_answers_one_by_api_and_the_customer_gets_it(chopbar, lang):
    customer = demo.CUSTOMER_FR if lang == "fr" else demo.CUSTOMER_EN
    code = await collected(chopbar, customer.phone)
    await text(chopbar, customer.phone, "3 riz trop salé")
    rid = await restaurant_id(chopbar)
    assert (await chopbar.get(f"/api/v1/restaurants/{rid}/ratings",
                              headers=bearer(await sign_in(chopbar, customer.phone)))).status == 403
    staff = bearer(await sign_in(chopbar, RESTAURANT))
    page = await (await chopbar.get(f"/api/v1/restaurants/{rid}/ratings", params={"commented": "true"}, headers=staff)).json()
    comment = next(r for r in page["items"] if r["order_code"] == code)
    assert comment["comment"] == "riz trop salé" and comment["answer"] is None
    answered = await chopbar.post(f"/api/v1/restaurants/{rid}/ratings/{comment['id']}/answer",
                                  json={"text": "Merci, nous allons corriger."}, headers=staff)
    assert answered.status == 200 and (await answered.json())["answer"] == "Merci, nous allons corriger."
    said = await last(chopbar, customer.phone)
    assert "Merci, nous allons corriger." in said and code in said
    assert ("répond" if lang == "fr" else "on your comment") in said
    twice = await chopbar.post(f"/api/v1/restaurants/{rid}/ratings/{comment['id']}/answer", json={"text": "encore"},
                               headers=staff)
    assert twice.status == 409
    empty = await chopbar.post(f"/api/v1/restaurants/{rid}/ratings/{comment['id']}/answer", json={"text": " "},
                               headers=staff)
    assert empty.status == 400


async def test_the_worker_closes_requests_left_unanswered_past_the_window(chopbar, clock, settings):
    code = await collected(chopbar, demo.CUSTOMER_FR.phone)
    jobs = {job.name: job for job in jobs_for(settings, chopbar.app[DATABASE])}
    assert await jobs["ratings"].run() == 0
    clock.advance(seconds=settings.rating_window + 1)
    assert await jobs["ratings"].run() == 1
    assert (await stored(chopbar, code)).status == "EXPIRED"
    await text(chopbar, demo.CUSTOMER_FR.phone, "5")
    assert (await averages(chopbar))["rating_count"] == 0


async def test_dispatch_offers_the_better_rated_of_equally_placed_drivers_first(chopbar):
    """Four new drivers living in Bastos, beside the restaurant: offers go three at a time, so
    the one with the poorest record waits, and the one with no rating yet is not last."""
    records = {"+237677888101": (50, 10), "+237677888102": (0, 0), "+237677888103": (1, 1), "+237677888104": (40, 20)}
    async with chopbar.app[DATABASE].unit() as unit:
        for phone, (total, count) in records.items():
            driver = await onboard(unit, phone, name="Paul Abena", city="Yaounde", zone=["Bastos"], language="fr",
                                   actor="support:test")
            driver.online, driver.rating_total, driver.rating_count = True, total, count
    await accepted_order(chopbar)
    assert await dispatch(chopbar) == 3
    offered = [p for p in records if any("PRENDRE" in m for m in await inbox(chopbar, p))]
    assert offered == ["+237677888101", "+237677888102", "+237677888103"]


async def test_a_1_naming_an_order_stays_the_second_chance_s_answer(chopbar):
    customer = demo.CUSTOMER_FR
    code = await collected(chopbar, customer.phone)
    await text(chopbar, customer.phone, f"1 {code}")
    assert (await stored(chopbar, code)).status == "ASKED"
