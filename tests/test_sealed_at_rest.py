"""No personal value is readable in any table: a whole order over USSD, MoMo, SMS and a driver is
placed, with a help ticket, an export link and an erasure asked for, then every column of every table is read raw (no column type between) and searched for
the customer's number, name and landmark, the driver's and the restaurant's numbers. Lookups by
number still work, through the blind index."""
from sqlalchemy import inspect, text

from channels.keys import DATABASE
from core import sealing
from core.accounts import caller_of, find_account
from core.catalog import restaurant_by_phone
from core.drivers import driver_of
from core.use_cases import support
from tests import demo
from tests.sms import text as sms
from tests.channels.test_payments_over_http import MTN_CUSTOMER
from tests.test_end_to_end import DRIVER, RESTAURANT, test_dial_pay_accept_dispatch_take_pick_up_hand_over_and_split as whole_order

NGOZI = next(p for p in demo.demo_data.PEOPLE if p.phone == MTN_CUSTOMER)


def forms(phone: str) -> list[str]:
    """A number as E.164 and as people write it at home."""
    return [phone, phone.removeprefix("+"), phone.removeprefix("+237")]


async def raw_tables(db) -> dict[str, list[tuple]]:
    async with db.engine.connect() as connection:
        names = await connection.run_sync(lambda c: inspect(c).get_table_names())
        return {name: [tuple(r) for r in (await connection.execute(text(f'SELECT * FROM "{name}"'))).all()]
                for name in names if name != "alembic_version"}


async def test_no_table_holds_a_personal_value_in_clear_and_numbers_are_still_found(chopbar, settings):
    await whole_order(chopbar, settings)
    await sms(chopbar, MTN_CUSTOMER, f"HELP I am {NGOZI.name}, {NGOZI.landmark}: call me on {MTN_CUSTOMER}")  # a ticket
    await sms(chopbar, MTN_CUSTOMER, "MYDATA")  # an export link
    await sms(chopbar, MTN_CUSTOMER, "DELETE")  # an erasure waiting for its YES
    db = chopbar.app[DATABASE]
    clear = [*forms(MTN_CUSTOMER), *forms(DRIVER.phone), *forms(RESTAURANT), NGOZI.name, NGOZI.landmark, DRIVER.name]
    tables = await raw_tables(db)
    assert tables["orders"] and tables["outbox"] and tables["audit_events"] and tables["delivery_jobs"]
    assert tables["tickets"] and tables["ticket_messages"] and tables["payments"] and tables["ratings"]
    assert len(tables["personal_data_requests"]) == 2
    found = [(table, value, str(cell)[:80]) for table, rows in tables.items() for row in rows for cell in row
             for value in clear if value in str(cell)]
    assert found == []

    async with db.unit() as unit:
        account = await find_account(unit, MTN_CUSTOMER)
        assert account is not None and account.name == NGOZI.name and account.phone == MTN_CUSTOMER
        assert (await caller_of(unit, MTN_CUSTOMER)).id == account.id
        assert (await restaurant_by_phone(unit, RESTAURANT)).phone == RESTAURANT
        assert (await driver_of(unit, DRIVER.phone)).account.phone == DRIVER.phone
    orders = await support.find_orders(db, status=None, restaurant_id=None, code=None, phone=MTN_CUSTOMER,
                                       limit=10, before_id=None)
    assert orders and all(o.landmark == NGOZI.landmark for o in orders if o.fulfilment == "delivery")
    assert sealing.blind(MTN_CUSTOMER) == sealing.blind("+237 677 00 00 02")
