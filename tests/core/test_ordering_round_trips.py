"""A confirm writes the account if new, the order, its lines, its payment, the restaurant's SMS
and the audit row in a handful of round trips: at most four write statements on PostgreSQL."""
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import event, func, select

from core.catalog import Catalog
from core.models import Account, Address, AuditEvent, Order, OrderLine, OutboxMessage, Payment, Role
from core.orders import Destination, LineRequest
from core.use_cases import ordering
from tests import demo

TERMS = ordering.Terms(tz="Africa/Douala", payment_window_s=300)
WRITES = ("INSERT", "UPDATE", "DELETE")
NEW_CALLER = "+237677123456"


class Statements:
    """Every statement the engine sends to the database while counting."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    @property
    def writes(self) -> list[str]:
        return [s for s in self.sent if s.lstrip().upper().startswith(WRITES) or s.lstrip().upper().startswith("WITH")]


@contextmanager
def counted(db):
    statements = Statements()

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.sent.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", before)


async def _basket(db, *, method: str = "cash", lines: int = 2) -> tuple[Catalog, ordering.Basket]:
    async with db.unit() as unit:
        catalog = await Catalog.load(unit)
        restaurant = await demo.restaurant(unit)
        dishes = [d for d in catalog.dishes(restaurant.id) if d.available and not d.option_groups][:lines]
    destination = Destination(city="Yaounde", quarter_text="Bastos", landmark="Face Total", lat=3.89237, lon=11.51148)
    return catalog, ordering.Basket(restaurant.id, tuple(LineRequest(d.id, 2) for d in dishes), destination, method)


def _bound(db, postgres: int, sqlite: int) -> int:
    return postgres if db.is_postgres else sqlite


@pytest.mark.parametrize("method", ["cash", "mtn"])
async def test_a_new_caller_confirming_a_delivery_writes_everything_in_four_statements_on_postgres(db, method):
    catalog, basket = await _basket(db, method=method)
    with counted(db) as statements:
        placed = await ordering.place(db, catalog, basket, orderer=ordering.Orderer(phone=NEW_CALLER, language="fr"),
                                      channel="ussd", terms=TERMS, origin_key=f"ussd:ATUid_{method}")
    # PostgreSQL: the account with its role, the new address, the order with everything hanging on
    # it (three writes), and the one read that checks the snapshot's prices; SQLite: a write per table
    assert len(statements.writes) <= _bound(db, postgres=4, sqlite=8), statements.writes
    assert len(statements.sent) <= _bound(db, postgres=4, sqlite=9), statements.sent
    async with db.unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == placed.order.code))
        account = await unit.session.get(Account, order.account_id)
        assert account.phone == NEW_CALLER and [r.role for r in account.roles] == ["customer"]
        assert len(order.lines) == len(basket.lines)
        assert order.address_id == await unit.session.scalar(select(Address.id).where(Address.account_id == account.id))
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        assert (payment.method, payment.amount_xaf) == (method, order.total_xaf)
        told = await unit.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.order_id == order.id))
        assert told == (1 if method == "cash" else 0)  # a prepaid order reaches the restaurant once paid
        trail = await unit.session.scalars(select(AuditEvent.trigger).where(AuditEvent.entity_ref == order.code))
        assert list(trail) == ["place"]
    assert placed.wakes == (() if method == "cash" else ("payments",))


async def test_a_known_customer_at_a_saved_address_confirms_in_one_write_on_postgres(db):
    catalog, basket = await _basket(db)
    async with db.unit() as unit:
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
    orderer = ordering.Orderer(account_id=customer.id, phone=customer.phone, language="fr")
    first = await ordering.place(db, catalog, basket, orderer=orderer, channel="sms", terms=TERMS)
    async with db.unit() as unit:
        saved_id = await unit.session.scalar(select(Order.address_id).where(Order.code == first.order.code))
    again = replace(basket, destination=replace(basket.destination, address_id=saved_id))
    with counted(db) as statements:
        await ordering.place(db, catalog, again, orderer=orderer, channel="sms", terms=TERMS)
    assert len(statements.writes) <= _bound(db, postgres=1, sqlite=5), statements.writes
    assert len(statements.sent) <= _bound(db, postgres=2, sqlite=6), statements.sent


async def test_a_replayed_confirm_finds_the_first_order_and_writes_nothing_more(db):
    catalog, basket = await _basket(db, method="mtn")
    orderer = ordering.Orderer(phone=NEW_CALLER, language="en")
    first = await ordering.place(db, catalog, basket, orderer=orderer, channel="ussd", terms=TERMS, origin_key="ussd:ATUid_9")
    again = await ordering.place(db, catalog, basket, orderer=orderer, channel="ussd", terms=TERMS, origin_key="ussd:ATUid_9")
    assert again.order.code == first.order.code and again.account_id == first.account_id
    async with db.unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.origin_key == "ussd:ATUid_9"))
        assert await _count(unit, Payment, Payment.order_id == order.id) == 1
        assert await _count(unit, OrderLine, OrderLine.order_id == order.id) == len(basket.lines)
        assert await _count(unit, AuditEvent, AuditEvent.entity_ref == order.code) == 1
        assert await _count(unit, Address, Address.account_id == first.account_id) == 1  # the replay's copy went again
        assert await _count(unit, Role, Role.account_id == first.account_id) == 1


async def _count(unit, model, where) -> int:
    return await unit.session.scalar(select(func.count(model.id)).where(where))
