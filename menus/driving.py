"""The driver's USSD menu on the same service code: online or offline, the current job, earnings."""
from core.delivery import NotApproved
from core.errors import ChopbarError
from core.use_cases import driving
from menus.choices import Choice, Filled, Move, amount, static_choices
from menus.hopping import Hopping
from menus.screen import N_, Option, Screen
from menus.words import WORDS


async def recognise_driver(h: Hopping) -> None:
    """At the start of a session: a driver's number gets the driver menu."""
    driver = await driving.driver_of(h.unit, h.account_id)
    if driver is not None and driver.has_driver_menu:  # an applicant keeps the customer's menu
        h.state.known["driver"] = 1
        h.state.screen = "driver_home"


async def driver_home(h: Hopping) -> Filled:
    driver = await driving.driver_of(h.unit, h.account_id)
    facts = {"is_online": driver.online, "is_offline": not driver.online}
    state = h.t(WORDS["online" if driver.online else "offline"])
    values = {"name": driver.name.split(" ")[0], "state": state}
    return Filled(values=values, choices=static_choices(h, DRIVER_HOME, facts))


async def pick_driver_home(h: Hopping, choice: Choice) -> Move:
    if choice.action == "toggle_online":
        try:
            await driving.go_online(h.unit, h.account_id)
        except NotApproved:
            return Move(None, hint="suspended")
    return Move(choice.action)


async def driver_job(h: Hopping) -> Filled:
    job = await driving.current_job(h.unit, h.account_id)
    if job is None:
        return Filled(values={"job": h.t(WORDS["no_job"])})
    order = job.order
    restaurant = h.catalog.restaurant(order.restaurant_id)
    text = h.t(
        WORDS["job"], code=order.code, status=h.t(WORDS[f"job_{job.status}"]), restaurant=restaurant.name,
        landmark=restaurant.landmark, quarter=order.quarter_text, where=order.landmark,
    )
    facts = {"can_pick_up": job.status in ("ASSIGNED", "AT_PICKUP"), "can_hand_over": job.status == "PICKED_UP"}
    return Filled(values={"job": text}, choices=static_choices(h, DRIVER_JOB, facts))


async def pick_driver_job(h: Hopping, choice: Choice) -> Move:
    job = await driving.current_job(h.unit, h.account_id)
    if job is None:
        return Move(None)
    if choice.action == "got_food":
        try:
            await driving.pick_up(h.unit, h.account_id, driving.Job(job_id=job.id))
        except ChopbarError:
            return Move(None, hint="not_ready")
    h.state.order_code = job.order.code
    return Move(choice.action)


async def driver_code(h: Hopping) -> Filled:
    return Filled(values={"code": h.state.order_code or ""})


async def typed_handover(h: Hopping, text: str) -> Move:
    job = await driving.current_job(h.unit, h.account_id)
    if job is None:
        return Move("set_code")
    handed = await driving.hand_over(h.unit, h.account_id, driving.Job(job_id=job.id), text.strip())
    return Move("set_code") if handed.done else Move(None, hint="wrong_handover")


async def driver_earnings(h: Hopping) -> Filled:
    e = await driving.earnings(h.unit, h.account_id, h.tz)
    return Filled(values={"today_jobs": e.today_jobs, "today": amount(h, e.today_xaf), "week_jobs": e.week_jobs,
                          "week": amount(h, e.week_xaf)})


DRIVER_HOME = Screen(
    name="driver_home",
    title=N_("Chopbar driver {name}: {state}"),
    options=(
        Option("toggle_online", N_("Go offline"), shown_if="is_online"),
        Option("toggle_online", N_("Go online"), shown_if="is_offline"),
        Option("my_job", N_("My current job")),
        Option("my_earnings", N_("My earnings")),
        Option("language", "Language/Langue"),
    ),
    back=False,
    fill=driver_home,
    pick=pick_driver_home,
)
DRIVER_JOB = Screen(
    name="driver_job",
    title=N_("{job}"),
    options=(
        Option("got_food", N_("I have the food"), shown_if="can_pick_up"),
        Option("enter_code", N_("Delivered: enter the customer code"), shown_if="can_hand_over"),
    ),
    fill=driver_job,
    pick=pick_driver_job,
)
DRIVER_CODE = Screen(
    name="driver_code", title=N_("Order {code}"), prompt=N_("The customer's 4-digit code:"),
    fill=driver_code, typed=typed_handover,
)
DRIVER_EARNINGS = Screen(
    name="driver_earnings", title=N_("Today: {today_jobs} jobs, {today}\nThis week: {week_jobs} jobs, {week}"),
    fill=driver_earnings,
)
