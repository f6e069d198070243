"""The USSD funnel over HTTP: hops count nothing; the gateway's end-of-session notice counts the
session once, with every screen it showed and the one it was left on."""
from sqlalchemy import func, select

from channels.keys import DATABASE
from core.models import UssdScreenDay
from core.use_cases import business
from tests.channels.test_ussd_africastalking import pickup_in_cash
from tests.ussd import gateway_for, pick

TZ = "Africa/Douala"


async def _funnel(chopbar) -> business.Funnel:
    return (await business.business(chopbar.app[DATABASE], tz=TZ, days=1)).funnel


async def _rows(chopbar) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        return await unit.session.scalar(select(func.count(UssdScreenDay.id)))


async def test_a_session_left_on_the_restaurants_counts_there_once_the_gateway_says_it_ended(chopbar):
    session = gateway_for(chopbar).dial("+237699555201")
    await session.open()
    await pick(session, "Commander a manger")
    await pick(session, "Yaounde")
    assert await _rows(chopbar) == 0  # a hop writes nothing to the funnel
    assert await session.hang_up(status="Incomplete") == 200
    assert await session.hang_up(status="Incomplete") == 200  # the notice again: counted once
    funnel = await _funnel(chopbar)
    steps = {s.screen: (s.reached, s.left) for s in funnel.steps}
    assert (funnel.dials, funnel.placed) == (1, 0)
    assert steps["home"] == (1, 0) and steps["places"] == (1, 0) and steps["restaurants"] == (1, 1)
    assert steps["dishes"] == (0, 0)
    assert [(s.screen, s.left) for s in funnel.given_up] == [("restaurants", 1)]


async def test_a_placed_order_reaches_the_end_of_the_funnel_and_nobody_gave_up(chopbar):
    session = gateway_for(chopbar).dial("+237699555202")
    await session.open()
    end = await pickup_in_cash(session)
    assert session.last.ended, end
    await session.hang_up()
    funnel = await _funnel(chopbar)
    steps = {s.screen: s.reached for s in funnel.steps}
    assert (funnel.dials, funnel.placed, funnel.given_up) == (1, 1, ())
    assert steps["basket"] == steps["fulfilment"] == steps["payment"] == steps["summary"] == 1
    assert steps["addresses"] == 0  # a pickup never asks where


async def test_a_notice_for_a_session_we_never_had_counts_nothing(chopbar):
    response = await chopbar.post("/ussd/africastalking/events", data={"sessionId": "ATUid_unknown", "status": "Success"})
    assert response.status == 200 and await _rows(chopbar) == 0
    response = await chopbar.post("/ussd/africastalking/events", data={"status": "Failed"})
    assert response.status == 200 and await _rows(chopbar) == 0
