"""A driver's day, by SMS, USSD or the app: online or not, the jobs offered and in hand, take,
pick up, hand over, fail, earnings; and a delivery followed by whoever may read its order.

A job is named by its order's code (SMS, USSD) or its id (the app). A wrong handover code counts
as a try: it is stored with the answer that says so, as a wrong sign-in code is.
"""
from dataclasses import dataclass

from sqlalchemy import select

from core import delivery, payments
from core.db import Unit, Units
from core.delivery import Earnings
from core.delivery_notices import first_name
from core.errors import Forbidden, NotFound
from core.models import Account, DeliveryJob, Driver, Restaurant
from core.order_views import OrderView, view_of
from state_machines.delivery import OPEN
from state_machines.driver import HAS_DRIVER_MENU, DriverStatus


@dataclass(frozen=True)
class DriverView:
    account_id: int
    name: str  # as the driver gave it; may be empty
    first_name: str  # to tell customers and restaurants: the name's first word, else the number
    phone: str
    online: bool
    status: str = DriverStatus.APPROVED.value  # state_machines.driver
    status_reason: str | None = None  # why refused or suspended

    @property
    def has_driver_menu(self) -> bool:
        """Approved and suspended drivers have the driver's keywords and menu; applicants do not yet."""
        return self.status in HAS_DRIVER_MENU


@dataclass(frozen=True)
class Pickup:
    name: str
    quarter: str
    landmark: str


@dataclass(frozen=True)
class JobView:
    id: int
    status: str
    fee_xaf: int
    order: OrderView
    restaurant: Pickup
    cash_xaf: int  # to collect at the door; 0 when paid in advance


@dataclass(frozen=True)
class Handed:
    job: JobView
    done: bool  # False: a wrong code, counted
    tries_left: int


@dataclass(frozen=True)
class Followed:
    job: JobView
    driver: DriverView | None  # once a driver has taken the job


@dataclass(frozen=True)
class Job:
    """Which job: by its id, or by its order's code."""

    job_id: int | None = None
    code: str | None = None


async def driver_of(units: Units, account_id: int | None) -> DriverView | None:
    """The driver profile of an account, if it has one."""
    if account_id is None:
        return None
    async with units.unit() as unit:
        driver = await unit.session.get(Driver, account_id)
        return _driver_view(driver) if driver is not None else None


async def go_online(units: Units, account_id: int, online: bool | None = None) -> DriverView:
    """ON and OFF (None: the other of what it is): whether the driver is offered jobs; only an
    approved driver goes online (`delivery.NotApproved` says why not)."""
    async with units.unit() as unit:
        driver = await _driver(unit, account_id)
        online = not driver.online if online is None else online
        if online:
            delivery.may_work(driver)
        driver.online = online
        driver.updated_at = unit.now()
        return _driver_view(driver)


async def current_job(units: Units, account_id: int) -> JobView | None:
    """The driver's oldest job not yet handed over."""
    async with units.unit() as unit:
        job = await unit.session.scalar(_active(account_id))
        return await _job_view(unit, job) if job is not None else None


async def jobs(units: Units, account_id: int) -> tuple[list[JobView], list[JobView]]:
    """The offers still open to the driver, and the driver's jobs not yet handed over."""
    async with units.unit() as unit:
        await _driver(unit, account_id)
        mine = list(await unit.session.scalars(_active(account_id)))
        waiting = await unit.session.scalars(
            select(DeliveryJob).where(DeliveryJob.status.in_([s.value for s in OPEN])).order_by(DeliveryJob.id)
        )
        offers = [j for j in waiting if account_id in j.offered_to and j.order.status in delivery.OFFERABLE]
        return [await _job_view(unit, j) for j in offers], [await _job_view(unit, j) for j in mine]


async def job(units: Units, account_id: int, which: Job) -> JobView:
    """One job as the driver sees it: offered to them, or theirs."""
    async with units.unit() as unit:
        return await _job_view(unit, await _job(unit, which, await _driver(unit, account_id)))


async def take(units: Units, account_id: int, which: Job) -> JobView:
    """The first driver to take an offered job gets it; the restaurant and the others are told."""
    return await _act(units, account_id, which, delivery.take)


async def pick_up(units: Units, account_id: int, which: Job) -> JobView:
    """The driver has the food: the customer gets the handover code."""
    return await _act(units, account_id, which, delivery.pick_up)


async def fail(units: Units, account_id: int, which: Job, reason: str) -> JobView:
    """The food could not be handed over: support and the customer are told."""
    return await _act(units, account_id, which, delivery.fail, reason)


async def hand_over(units: Units, account_id: int, which: Job, code: str) -> Handed:
    """The food handed over against the customer's code, and the money split; a wrong code counts."""
    async with units.unit() as unit:
        driver = await _driver(unit, account_id)
        found = await _job(unit, which, driver)
        done = await delivery.hand_over(unit, found, driver, code)
        return Handed(await _job_view(unit, found), done, max(delivery.MAX_WRONG_CODES - found.wrong_codes, 0))


async def earnings(units: Units, account_id: int, tz: str) -> Earnings:
    """Delivery fees earned today and this week, local time."""
    async with units.unit() as unit:
        await _driver(unit, account_id)
        return await delivery.earnings(unit, account_id, tz)


async def followed(units: Units, code: str) -> Followed | None:
    """An order's delivery and its driver, for whoever may read the order (the caller checks)."""
    async with units.unit() as unit:
        found = await delivery.job_for(unit, code)
        if found is None:
            return None
        driver = await unit.session.get(Driver, found.driver_account_id) if found.driver_account_id else None
        return Followed(await _job_view(unit, found), _driver_view(driver) if driver else None)


async def _act(units: Units, account_id: int, which: Job, change, *args) -> JobView:
    async with units.unit() as unit:
        driver = await _driver(unit, account_id)
        found = await _job(unit, which, driver)
        await change(unit, found, driver, *args)
        return await _job_view(unit, found)


def _active(account_id: int):
    return select(DeliveryJob).where(delivery.in_hand(account_id)).order_by(DeliveryJob.id)


async def _driver(unit: Unit, account_id: int) -> Driver:
    driver = await unit.session.get(Driver, account_id)
    if driver is None:
        raise Forbidden("this account has no driver profile: ask support")
    return driver


async def _job(unit: Unit, which: Job, driver: Driver) -> DeliveryJob:
    """The job named, if it was offered to the driver or is theirs; the domain checks the rest."""
    if which.job_id is not None:
        found = await unit.session.get(DeliveryJob, which.job_id)
        if found is None:
            raise NotFound(f"no job {which.job_id}")
        if driver.account_id not in found.offered_to and found.driver_account_id != driver.account_id:
            raise Forbidden(f"job {found.id} was not offered to you")
        return found
    found = await delivery.job_for(unit, which.code or "")
    if found is None:
        raise NotFound(f"no job for order {which.code}")
    return found


async def _job_view(unit: Unit, job_: DeliveryJob) -> JobView:
    order = job_.order
    restaurant = await unit.session.get(Restaurant, order.restaurant_id)
    cash = 0
    if order.payment_method == "cash":
        payment = await payments.payment_for(unit, order)
        cash = payment.amount_xaf if payment else order.total_xaf
    return JobView(
        id=job_.id, status=job_.status, fee_xaf=job_.fee_xaf, order=view_of(order),
        restaurant=Pickup(restaurant.name, restaurant.quarter.name, restaurant.landmark), cash_xaf=cash,
    )


def _driver_view(driver: Driver) -> DriverView:
    account: Account = driver.account
    return DriverView(driver.account_id, account.name or "", first_name(account), account.phone, driver.online,
                      driver.status, driver.status_reason)
