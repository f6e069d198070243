"""The restaurant's SMS console and the driver's keywords: ACCEPT, REJECT, READY, COLLECTED,
CLOSE, OPEN, SOLDOUT, AVAILABLE, PRICE, REPORT, AUTO; ON, OFF, TAKE, PICKUP, DONE...

Every restaurant keyword is asked of the sender's role there (core.restaurant_roles); one the
sender may not use gets a short refusal naming who may, not the help."""
from collections.abc import Sequence

from core import delivery_notices as D, restaurant_roles as roles, support_notices
from core.delivery import WORKING, NotApproved
from menus.choices import STATUS_WORDS
from core.codes import is_valid_code
from core.db import Unit
from core.errors import BadInput, ChopbarError, Forbidden, IllegalTransition, NotFound
from core.formatting import money
from core.i18n import translate
from core.payouts import PayoutRules
from core.phones import display
from core.restaurants import Workplace
from core.use_cases import driving, kitchen, paying_out, reporting, upkeep
from core.use_cases.driving import DriverView
from menus import sms_texts as T
from menus.keywords import RESTAURANT, Command, amount_xaf
from state_machines.order import OrderStatus


# What each restaurant keyword does, as core.restaurant_roles names it: asked of the sender's role.
ACTION_OF = {
    "accept": roles.ANSWER, "reject": roles.ANSWER, "ready": roles.ANSWER, "collected": roles.ANSWER,
    "soldout": roles.STOCK, "available": roles.STOCK, "close": roles.OPEN, "open": roles.OPEN,
    "price": roles.PRICES, "report": roles.REPORT, "auto": roles.AUTO, "payout": roles.PAYOUT,
}
REFUSALS = {(roles.OWNER,): T.ONLY_OWNER, (roles.OWNER, roles.MANAGER): T.ONLY_OWNER_OR_MANAGER}
PAID_HOW = {"card": T.PAY_CARD}


def keyword(name: str, lang: str) -> str:
    """The keyword as the sender's language spells it (the grammar lists English, then French)."""
    spellings = RESTAURANT[name]
    return spellings[1] if lang == "fr" and len(spellings) > 1 else spellings[0]


def refusal(name: str, lang: str) -> str:
    """Who may send this keyword, when the sender may not."""
    return translate(REFUSALS[roles.roles_that_may(ACTION_OF[name])], lang, keyword=keyword(name, lang))


def _dish_name(dish, lang: str) -> str:
    return dish.name_fr if lang == "fr" else dish.name_en


async def restaurant_answer(unit: Unit, places: Sequence[Workplace], phone: str, command: Command, lang: str,
                            tz: str, payout_rules: PayoutRules | None = None) -> str:
    """A keyword from someone of a restaurant: order keywords act on the order's restaurant, the
    others on the first of `places` (core.restaurants.workplaces_of), each if their role may."""
    name = command.name
    if name == "apply":
        return translate(support_notices.CONSOLE_CANNOT_DRIVE, lang)
    action = ACTION_OF.get(name)
    if action is None:
        return translate(T.RESTAURANT_HELP, lang)
    if action == roles.ANSWER:
        return await _order_answer(unit, places, phone, command, lang)
    here = places[0]
    if not roles.may(here.role, action):
        return refusal(name, lang)
    restaurant = here.restaurant
    actor = f"restaurant:{restaurant.id}:{phone}"
    if name == "payout":
        return await payout_answer(unit, "restaurant", restaurant.id, lang, payout_rules, actor=actor)
    if name in ("close", "open"):
        await upkeep.open_or_close(unit, restaurant.id, name == "open", actor=actor)
        return translate(T.OPEN_NOW if name == "open" else T.CLOSED_NOW, lang, restaurant=restaurant.name)
    if name == "report":
        report = await reporting.day_report(unit, restaurant.id, tz=tz)
        return report_text(report, lang)
    if name == "auto":
        return await _auto(unit, restaurant.id, command, lang, actor)
    if not command.args or not command.args[0].isdigit():
        if name == "price":
            return _price_how(lang)
        return translate(T.DISH_NUMBER, lang, keyword=keyword(name, lang))
    number = int(command.args[0])
    try:
        if name == "price":
            price = amount_xaf(command.args[1:])
            if price is None or not upkeep.MIN_PRICE_XAF <= price <= upkeep.MAX_PRICE_XAF:
                return _price_how(lang)
            dish = await upkeep.reprice(unit, restaurant.id, number, price, actor=actor)
            return translate(T.PRICE_SET, lang, dish=_dish_name(dish, lang), price=money(dish.price_xaf, lang))
        if name == "available":
            dish = await upkeep.back_on_sale(unit, restaurant.id, number, actor=actor)
            return translate(T.AVAILABLE_AGAIN, lang, dish=_dish_name(dish, lang))
        dish = await upkeep.sold_out(unit, restaurant.id, number, actor=actor)
        return translate(T.SOLD_OUT, lang, dish=_dish_name(dish, lang), number=dish.number)
    except NotFound:
        return translate(T.NO_SUCH_DISH, lang, dish=command.args[0])


def _price_how(lang: str) -> str:
    return translate(T.PRICE_HOW, lang, keyword=keyword("price", lang), low=money(upkeep.MIN_PRICE_XAF, lang),
                     high=money(upkeep.MAX_PRICE_XAF, lang))


async def _auto(unit: Unit, restaurant_id: int, command: Command, lang: str, actor: str) -> str:
    low, high = upkeep.AUTO_MINUTES
    how = translate(T.AUTO_HOW, lang, low=low, high=high)
    switch = command.args[0] if command.args else ""
    rest = command.args[1:]
    if switch not in ("ON", "OFF") or len(rest) > 1 or (rest and (switch == "OFF" or not rest[0].isdigit())):
        return how
    try:
        auto = await upkeep.auto_accept(unit, restaurant_id, switch == "ON", actor=actor,
                                        minutes=int(rest[0]) if rest else None)
    except BadInput:
        return how
    return translate(T.AUTO_ON, lang, minutes=auto.minutes) if auto.on else translate(T.AUTO_OFF, lang)


def report_text(report: reporting.DayReport, lang: str) -> str:
    takings = {method: money(amount, lang) for method, amount in report.takings_xaf.items()}
    text = translate(T.REPORT, lang, day=report.day.strftime("%d/%m"), orders=report.orders, served=report.served,
                     total=money(report.total_xaf, lang), **takings)
    if report.best is None:
        return text
    best = report.best.name_fr if lang == "fr" else report.best.name_en
    return f"{text} {translate(T.REPORT_BEST, lang, dish=best, quantity=report.best.quantity)}"


async def _order_answer(unit: Unit, places: Sequence[Workplace], phone: str, command: Command, lang: str) -> str:
    """ACCEPT, REJECT, READY, COLLECTED: on the order named (or the one waiting), at its restaurant."""
    name = command.name
    answering = {place.restaurant.id for place in places if roles.may(place.role, roles.ANSWER)}
    if not answering:
        return refusal(name, lang)
    code = command.args[0] if command.args and command.args[0].isdigit() else None
    if code is not None and not is_valid_code(code):
        return translate(T.BAD_CODE, lang, code=code)
    if name == "collected" and code is None:
        return translate(T.COLLECT_HOW, lang, keyword=keyword(name, lang))
    try:
        order = await kitchen.order_to_answer(unit, code, by=kitchen.Staff(restaurant_ids=answering, actor=phone))
    except (NotFound, Forbidden):
        return translate(T.NO_SUCH_ORDER, lang, code=code) if code else translate(T.RESTAURANT_HELP, lang)
    staff = kitchen.Staff(restaurant_ids={order.restaurant_id}, actor=f"restaurant:{order.restaurant_id}:{phone}")
    try:
        if name == "accept":
            minutes = int(command.args[1]) if len(command.args) > 1 and command.args[1].isdigit() else None
            await kitchen.accept(unit, order.code, by=staff, minutes=minutes)
            return translate(T.ACCEPTED, lang, code=order.code)
        if name == "reject":
            reason = " ".join(command.args[1:]).lower()
            if not reason:
                return translate(T.SAY_WHY, lang, code=order.code)
            await kitchen.reject(unit, order.code, by=staff, reason=reason)
            return translate(T.REJECTED, lang, code=order.code)
        if name == "collected":
            return await _collected(unit, order, staff, lang)
        await kitchen.mark_ready(unit, order.code, by=staff)
        return translate(T.READY, lang, code=order.code)
    except IllegalTransition as refused:
        return translate(T.TOO_LATE, lang, code=order.code, status=translate(STATUS_WORDS[OrderStatus(refused.state)], lang))
    except ChopbarError:
        return translate(T.RESTAURANT_HELP, lang)


async def payout_answer(unit: Unit, kind: str, beneficiary_id: int, lang: str, rules: PayoutRules | None, *, actor: str) -> str:
    """RETRAIT/PAYOUT: everything owed, sent now (or once approved), or why not."""
    asked = await paying_out.ask(unit, kind, beneficiary_id, rules or PayoutRules(), actor=actor)
    if asked.outcome == "too_little":
        return translate(T.PAYOUT_TOO_LITTLE, lang, amount=money(max(asked.owed_xaf, 0), lang), minimum=money(asked.minimum_xaf, lang))
    amount = money(asked.payout.amount_xaf, lang)
    if asked.outcome == "already_open":
        return translate(T.PAYOUT_ALREADY, lang, amount=amount)
    if asked.outcome == "awaiting_approval":
        return translate(T.PAYOUT_AWAITS_APPROVAL, lang, amount=amount, limit=money(asked.approval_above_xaf, lang))
    return translate(T.PAYOUT_STARTED, lang, amount=amount, phone=display(asked.payout.phone))


async def _collected(unit: Unit, order, staff: kitchen.Staff, lang: str) -> str:
    if order.fulfilment != "pickup":
        return translate(T.NOT_A_PICKUP, lang, code=order.code)
    done = await kitchen.collect(unit, order.code, by=staff)
    if done.already:
        return translate(T.COLLECTED_ALREADY, lang, code=order.code)
    if order.payment_method == "cash":
        return translate(T.COLLECTED_CASH, lang, code=order.code, total=money(order.total_xaf, lang))
    return translate(T.COLLECTED_PAID, lang, code=order.code, how=translate(PAID_HOW.get(order.payment_method, T.PAY_MOBILE), lang))


async def driver_answer(unit: Unit, driver: DriverView, command: Command, lang: str, tz: str,
                        payout_rules: PayoutRules | None = None) -> str:
    name = command.name
    if name == "payout":
        return await payout_answer(unit, "driver", driver.account_id, lang, payout_rules, actor=f"driver:{driver.account_id}")
    if name in ("on", "take"):
        try:  # a suspended driver is told why, and may still finish a job in hand
            if name == "on":
                driver = await driving.go_online(unit, driver.account_id, True)
                return translate(T.DRIVER_ONLINE, lang)
        except NotApproved as refused:
            return support_notices.driver_suspended(refused.reason, lang)
        if driver.status != WORKING:
            return support_notices.driver_suspended(driver.status_reason, lang)
    if name == "off":
        driver = await driving.go_online(unit, driver.account_id, False)
        return translate(T.DRIVER_OFFLINE, lang)
    if name == "earnings":
        e = await driving.earnings(unit, driver.account_id, tz)
        return translate(T.EARNINGS, lang, today_jobs=e.today_jobs, today=money(e.today_xaf, lang),
                         week_jobs=e.week_jobs, week=money(e.week_xaf, lang))
    if name not in ("take", "pickup", "done", "failed") or not command.args:
        return translate(T.DRIVER_HELP, lang)
    code = command.args[0]
    if not is_valid_code(code):
        return translate(T.BAD_CODE, lang, code=code)
    which = driving.Job(code=code)
    try:
        if name == "take":
            job = await driving.take(unit, driver.account_id, which)
            return D.assigned(job.order, job.restaurant, lang)
        if name == "pickup":
            job = await driving.pick_up(unit, driver.account_id, which)
            return D.picked_up_reply(job.order, lang)
        if name == "failed":
            await driving.fail(unit, driver.account_id, which, " ".join(command.args[1:]).lower() or "customer unreachable")
            return translate(T.FAILED_NOTED, lang, code=code)
        handed = await driving.hand_over(unit, driver.account_id, which, command.args[1] if len(command.args) > 1 else "")
        if handed.done:
            return D.delivered_reply(handed.job.order, handed.job.fee_xaf, lang)
        return D.wrong_code(handed.job.order, handed.tries_left, lang)
    except (NotFound, Forbidden):
        return translate(T.NO_JOB, lang, code=code)
    except IllegalTransition:
        status = (await driving.job(unit, driver.account_id, which)).order.status
        return translate(T.JOB_NOT_NOW, lang, code=code, status=translate(STATUS_WORDS[OrderStatus(status)], lang))
    except BadInput:
        return translate(T.ONE_JOB_AT_A_TIME, lang)
