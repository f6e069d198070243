"""A person's data over HTTP: MYDATA by SMS (a summary and a link that works once), the REST
export (theirs and nobody else's), and erasing by SMS and REST, refused during an open order,
leaving the ledger balanced and the restaurant's takings as they were."""
import json
import re

import pytest
from sqlalchemy import func, select

from channels.keys import DATABASE
from core.sealing import blind
from core import ledger
from core.accounts import find_account
from core.errors import NotFound
from core.models import Account, Address, OrderLine, Order, OutboxMessage, RefreshToken
from core.use_cases import kitchen, timeline
from core.use_cases.sales import sales
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.payments import placed_order
from tests.sms import last, text

FR, EN = demo.CUSTOMER_FR.phone, demo.CUSTOMER_EN.phone
TZ = "Africa/Douala"
LINK = re.compile(r"https?://\S+/api/v1/me/export/(\S+)")


async def collected_order(db, phone: str) -> tuple[str, int]:
    """A pickup order paid cash at the counter, finished: its code and restaurant."""
    code = await placed_order(db, method="cash", phone=phone, pickup=True)
    async with db.unit() as unit:
        restaurant_id = await unit.session.scalar(select(Order.restaurant_id).where(Order.code == code))
    staff = kitchen.Staff(restaurant_ids={restaurant_id}, actor=f"restaurant:{restaurant_id}:test")
    await kitchen.accept(db, code, by=staff, minutes=10)
    await kitchen.mark_ready(db, code, by=staff)
    await kitchen.collect(db, code, by=staff)
    return code, restaurant_id


async def path_of(reply: str) -> str:
    found = LINK.search(reply)
    assert found, reply
    return f"/api/v1/me/export/{found.group(1)}"


@pytest.mark.parametrize("phone,word,says", [(EN, "mydata", "Your data:"), (FR, "Mes données", "Vos données")])
async def test_mydata_by_sms_sums_up_and_its_link_works_once(chopbar, db, phone, word, says):
    code = await placed_order(db, method="cash", phone=phone)
    assert await text(chopbar, phone, word) == 200
    reply = await last(chopbar, phone)
    assert reply.startswith(says) and "points" in reply and len(reply) <= 160
    path = await path_of(reply)
    first = await chopbar.get(path)
    assert first.status == 200 and "attachment" in first.headers["Content-Disposition"]
    document = await first.json()
    assert document["account"]["phone"] == phone and code in [o["code"] for o in document["orders"]]
    assert (await chopbar.get(path)).status == 410
    assert (await chopbar.get("/api/v1/me/export/not-a-token-of-ours")).status == 404


async def test_an_export_link_past_its_time_is_gone(chopbar, clock):
    await text(chopbar, EN, "MYDATA")
    path = await path_of(await last(chopbar, EN))
    clock.advance(seconds=86_401)
    answer = await chopbar.get(path)
    assert answer.status == 410 and (await answer.json())["error"]["code"] == "gone"


async def test_the_export_holds_my_orders_and_messages_and_nothing_of_another_customer(chopbar, db):
    mine = await placed_order(db, method="cash", phone=FR)
    theirs = await placed_order(db, method="cash", phone=EN)  # same restaurant, another person
    await text(chopbar, FR, "STATUS")
    await text(chopbar, FR, "INVITE 690123456")  # a friend: their number is theirs, shown masked
    tokens = await sign_in(chopbar, FR)
    answer = await chopbar.get("/api/v1/me/export", headers=bearer(tokens))
    assert answer.status == 200
    document = await answer.json()
    assert document["schema_version"] == 1 and document["generated_at"]
    order = next(o for o in document["orders"] if o["code"] == mine)
    assert order["lines"] and order["payments"] and order["total_xaf"] > 0
    assert any(mine in m["body"] for m in document["messages_sent_to_you"])
    assert document["sign_ins"] and document["account"]["roles"]
    assert document["sign_in_attempts"] and document["second_factor"] == {"enrolled": False, "confirmed_at": None}
    whole = json.dumps(document)
    assert EN not in whole and theirs not in whole and demo.CUSTOMER_EN.name not in whole
    assert [i["phone"] for i in document["invitations"]] == ["+237******456"] and "690123456" not in whole
    assert "6 90 12 34 56" not in whole and any("+237******456" in m["body"] for m in document["messages_sent_to_you"])
    assert document["account"]["name"] == demo.CUSTOMER_FR.name
    assert (await chopbar.get("/api/v1/me/export")).status == 401


@pytest.mark.parametrize("phone,ask,confirm,said", [
    (EN, "DELETE", "delete yes", "Your Chopbar data is erased"),
    (FR, "Supprimer", "SUPPRIMER OUI", "Vos données Chopbar sont effacées"),
])
async def test_delete_by_sms_asks_then_erases_and_the_number_starts_again(chopbar, db, phone, ask, confirm, said):
    code, restaurant_id = await collected_order(db, phone)
    before = await sales(db, restaurant_id, tz=TZ)
    async with db.unit() as unit:
        balances = await ledger.balances(unit)
        account_id = (await find_account(unit, phone)).id
    await text(chopbar, phone, confirm)
    assert "DELETE" in await last(chopbar, phone) or "SUPPRIMER" in await last(chopbar, phone)  # nothing asked yet
    await text(chopbar, phone, ask)
    assert "10 minutes" in await last(chopbar, phone)
    await text(chopbar, phone, confirm)
    assert (await last(chopbar, phone)).startswith(said)
    async with db.unit() as unit:
        assert await find_account(unit, phone) is None
        erased = await unit.session.get(Account, account_id)
        assert erased.phone == f"del:{account_id}" and erased.name is None
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        assert order.account_id == account_id and order.payer_phone is None and order.total_xaf > 0
        assert await unit.session.scalar(select(func.count()).select_from(OrderLine).where(OrderLine.order_id == order.id))
        assert not await unit.session.scalar(select(func.count()).select_from(Address).where(Address.account_id == account_id))
        theirs = list(await unit.session.scalars(select(OutboxMessage).where(OutboxMessage.to_phone_key == blind(erased.phone))))
        assert theirs and all(m.body == "" and m.redacted_body is None for m in theirs)
        to_number = list(await unit.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.to_phone_key == blind(phone))))
        assert to_number == ["account.erase"]  # only the answer saying it is done
        assert await ledger.is_balanced(unit) and await ledger.balances(unit) == balances
    assert await sales(db, restaurant_id, tz=TZ) == before
    with pytest.raises(NotFound):
        await timeline.timeline(db, phone, limit=10, cursor=None)
    await text(chopbar, phone, "MENU")
    async with db.unit() as unit:
        again = await find_account(unit, phone)
        assert again is not None and again.id != account_id


async def test_delete_by_sms_is_refused_while_an_order_is_open(chopbar, db):
    await placed_order(db, method="cash", phone=FR)
    await text(chopbar, FR, "SUPPRIMER")
    assert "commande n'est pas terminée" in await last(chopbar, FR)
    await text(chopbar, FR, "SUPPRIMER OUI")
    assert "Rien à confirmer" in await last(chopbar, FR)
    async with db.unit() as unit:
        assert await find_account(unit, FR) is not None


async def test_a_confirmation_after_ten_minutes_erases_nothing(chopbar, db, clock):
    await text(chopbar, EN, "DELETE")
    clock.advance(seconds=601)
    await text(chopbar, EN, "DELETE YES")
    assert (await last(chopbar, EN)).startswith("Nothing to confirm")
    async with db.unit() as unit:
        assert await find_account(unit, EN) is not None


async def test_delete_over_rest_needs_confirm_is_refused_during_an_order_then_erases(chopbar, db):
    tokens = await sign_in(chopbar, EN)
    unconfirmed = await chopbar.delete("/api/v1/me", json={}, headers=bearer(tokens))
    assert unconfirmed.status == 400 and "confirm" in (await unconfirmed.json())["error"]["message"]
    code = await placed_order(db, method="cash", phone=EN)
    refused = await chopbar.delete("/api/v1/me", json={"confirm": True}, headers=bearer(tokens))
    assert refused.status == 409 and (await refused.json())["error"]["code"] == "erasure_refused"
    assert (await chopbar.post(f"/api/v1/orders/{code}/cancel", headers=bearer(tokens))).status == 200
    _, restaurant_id = await collected_order(db, EN)
    before = await sales(db, restaurant_id, tz=TZ)
    done = await chopbar.delete("/api/v1/me", json={"confirm": True}, headers=bearer(tokens))
    assert done.status == 200 and (await done.json())["erased"] is True
    assert (await chopbar.get("/api/v1/me/export", headers=bearer(tokens))).status == 401  # its tokens revoked
    refreshed = await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status == 401
    async with chopbar.app[DATABASE].unit() as unit:
        assert await find_account(unit, EN) is None and await ledger.is_balanced(unit)
        assert not await unit.session.scalar(select(func.count()).select_from(RefreshToken)
                                             .where(RefreshToken.account_id == (await unit.session.scalar(
                                                 select(Order.account_id).where(Order.code == code)))))
    assert await sales(db, restaurant_id, tz=TZ) == before


async def test_a_driver_asks_for_their_data_too(chopbar):
    driver = next(p for p in demo.demo_data.PEOPLE if p.role == "driver")
    await text(chopbar, driver.phone, "MES DONNEES")
    reply = await last(chopbar, driver.phone)
    assert reply.startswith("Vos données")
    document = await (await chopbar.get(await path_of(reply))).json()
    assert document["account"]["name"] == driver.name and {"role": "driver", "restaurant_id": None} in document["account"]["roles"]
    assert document["deliveries_driven"] == [] and FR not in json.dumps(document)
