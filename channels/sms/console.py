"""The restaurant's SMS console and the driver's keywords: ACCEPT, REJECT, READY, CLOSE, ..."""
from core import delivery_notices as D
from menus.choices import STATUS_WORDS
from core.codes import is_valid_code
from core.db import Unit
from core.errors import BadInput, ChopbarError, Forbidden, IllegalTransition, NotFound
from core.formatting import money
from core.i18n import translate
from core.models import Restaurant
from core.payouts import PayoutRules
from core.phones import display
from core.use_cases import driving, kitchen, paying_out, upkeep
from core.use_cases.driving import DriverView
from menus import sms_texts as T
from menus.keywords import Command
from state_machines.order import OrderStatus


async def restaurant_answer(unit: Unit, restaurant: Restaurant, phone: str, command: Command, lang: str,
                            payout_rules: PayoutRules | None = None) -> str:
    actor = f"restaurant:{restaurant.id}:{phone}"
    name = command.name
    if name == "payout":
        # Until the console answers each number by its person's role (may(role, PAYOUT)), the
        # main console number stands for the owner; the backup number is staff.
        if phone != restaurant.phone:
            return translate(T.PAYOUT_OWNER_ONLY, lang)
        return await payout_answer(unit, "restaurant", restaurant.id, lang, payout_rules, actor=actor)
    if name in ("close", "open"):
        await upkeep.open_or_close(unit, restaurant.id, name == "open", actor=actor)
        return translate(T.OPEN_NOW if name == "open" else T.CLOSED_NOW, lang, restaurant=restaurant.name)
    if name == "soldout":
        if not command.args or not command.args[0].isdigit():
            return translate(T.RESTAURANT_HELP, lang)
        try:
            item = await upkeep.sold_out(unit, restaurant.id, int(command.args[0]), actor=actor)
        except NotFound:
            return translate(T.NO_SUCH_DISH, lang, dish=command.args[0])
        return translate(T.SOLD_OUT, lang, dish=item.name_fr if lang == "fr" else item.name_en)
    if name not in ("accept", "reject", "ready"):
        return translate(T.RESTAURANT_HELP, lang)
    code = command.args[0] if command.args and command.args[0].isdigit() else None
    if code is not None and not is_valid_code(code):
        return translate(T.BAD_CODE, lang, code=code)
    staff = kitchen.Staff(restaurant_ids={restaurant.id}, actor=actor)
    try:
        order = await kitchen.order_to_answer(unit, code, by=staff)
    except (NotFound, Forbidden):
        return translate(T.NO_SUCH_ORDER, lang, code=code) if code else translate(T.RESTAURANT_HELP, lang)
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


async def driver_answer(unit: Unit, driver: DriverView, command: Command, lang: str, tz: str,
                        payout_rules: PayoutRules | None = None) -> str:
    name = command.name
    if name == "payout":
        return await payout_answer(unit, "driver", driver.account_id, lang, payout_rules, actor=f"driver:{driver.account_id}")
    if name in ("on", "off"):
        driver = await driving.go_online(unit, driver.account_id, name == "on")
        return translate(T.DRIVER_ONLINE if driver.online else T.DRIVER_OFFLINE, lang)
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
