"""The driver's app: the jobs offered and in hand, take, pick up, hand over, fail, earnings; and
delivery tracking for whoever may read the order.

The same core functions answer the driver's SMS keywords and USSD menu, so a job taken in the app
is the job the SMS console knows. A wrong handover code counts as a try: it is committed before
the refusal, as a wrong sign-in code is.
"""
from typing import Annotated

from pydantic import Field, StringConstraints
from sqlalchemy import select

from channels.api.endpoints import Call, endpoint
from channels.api.orders import visible_order
from channels.api.requests import has_role
from channels.api.schemas import Reason, Shape
from channels.keys import DATABASE, SETTINGS, WAKE
from core import delivery, payments
from core.db import Unit
from core.delivery_notices import first_name
from core.errors import BadInput, Forbidden, NotFound
from core.models import Account, DeliveryJob, Driver, Restaurant
from state_machines.delivery import ACTIVE, OPEN


class HandoverIn(Shape):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)] = Field(
        description="the code the customer received by SMS when the food was picked up"
    )


class FailIn(Shape):
    reason: Reason = Field("customer unreachable", description="why the food could not be handed over")


class PickupPlace(Shape):
    name: str
    quarter: str
    landmark: str


class DropoffPlace(Shape):
    quarter: str
    landmark: str
    directions: str


class DriverJob(Shape):
    id: int
    order_code: str
    status: str = Field(description="UNASSIGNED, OFFERED, ASSIGNED, AT_PICKUP, PICKED_UP, DELIVERED, FAILED, CANCELLED")
    order_status: str
    restaurant: PickupPlace
    customer: DropoffPlace
    fee_xaf: int = Field(description="what the driver earns for this delivery")
    collect_cash: bool = Field(description="the customer pays the driver in cash at the door")
    cash_xaf: int = Field(description="cash to collect at the door; 0 when paid in advance")


class DriverJobs(Shape):
    offered: list[DriverJob] = Field(description="offers still open to this driver: take one to get it")
    active: list[DriverJob] = Field(description="the driver's jobs not yet handed over")


class EarningsOut(Shape):
    today_jobs: int
    today_xaf: int
    week_jobs: int
    week_xaf: int = Field(description="since Monday, local time")


class DeliveryDriver(Shape):
    first_name: str
    phone: str


class DeliveryOut(Shape):
    order_code: str
    status: str = Field(description="the delivery job's status")
    order_status: str
    fee_xaf: int
    driver: DeliveryDriver | None = Field(description="once a driver has taken the job")


async def _driver(unit: Unit, call: Call) -> Driver:
    if not has_role(call.claims, "driver"):
        raise Forbidden("only drivers have delivery jobs")
    driver = await unit.session.get(Driver, call.account_id)
    if driver is None:
        raise Forbidden("this account has no driver profile: ask support")
    return driver


async def _job(unit: Unit, call: Call, driver: Driver) -> DeliveryJob:
    """The job in the path, if it was offered to the driver or is theirs; the domain checks the rest."""
    job_id = call.path["job_id"]
    job = await unit.session.get(DeliveryJob, job_id)  # the path already kept it in 32 bits
    if job is None:
        raise NotFound(f"no job {job_id}")
    if driver.account_id not in job.offered_to and job.driver_account_id != driver.account_id:
        raise Forbidden(f"job {job.id} was not offered to you")
    return job


async def _shown(unit: Unit, job: DeliveryJob) -> DriverJob:
    order = job.order
    restaurant = await unit.session.get(Restaurant, order.restaurant_id)
    cash = 0
    if order.payment_method == "cash":
        payment = await payments.payment_for(unit, order)
        cash = payment.amount_xaf if payment else order.total_xaf
    return DriverJob(
        id=job.id, order_code=order.code, status=job.status, order_status=order.status,
        restaurant=PickupPlace(name=restaurant.name, quarter=restaurant.quarter.name, landmark=restaurant.landmark),
        customer=DropoffPlace(quarter=order.quarter_text, landmark=order.landmark, directions=order.directions),
        fee_xaf=job.fee_xaf, collect_cash=order.payment_method == "cash", cash_xaf=cash,
    )


@endpoint("GET", "/api/v1/driver/jobs", tag="driver", response=DriverJobs,
          summary="The jobs offered to me and the jobs I am delivering", roles="drivers")
async def jobs(call: Call) -> DriverJobs:
    async with call.app[DATABASE].unit() as unit:
        driver = await _driver(unit, call)
        mine = await unit.session.scalars(
            select(DeliveryJob).where(DeliveryJob.driver_account_id == driver.account_id,
                                      DeliveryJob.status.in_([s.value for s in ACTIVE])).order_by(DeliveryJob.id)
        )
        waiting = await unit.session.scalars(
            select(DeliveryJob).where(DeliveryJob.status.in_([s.value for s in OPEN])).order_by(DeliveryJob.id)
        )
        offers = [j for j in waiting if driver.account_id in j.offered_to and j.order.status in delivery.OFFERABLE]
        return DriverJobs(offered=[await _shown(unit, j) for j in offers], active=[await _shown(unit, j) for j in mine])


async def _act(call: Call, change, *args) -> DriverJob:
    async with call.app[DATABASE].unit() as unit:
        driver = await _driver(unit, call)
        job = await _job(unit, call, driver)
        await change(unit, job, driver, *args)
        answer = await _shown(unit, job)
    call.app[WAKE].set()  # the outbox worker sends the restaurant's and customer's messages now
    return answer


@endpoint("POST", "/api/v1/driver/jobs/{job_id}/take", tag="driver", response=DriverJob,
          summary="Take a job offered to me; the first driver to take it gets it",
          roles="drivers the job was offered to")
async def take(call: Call) -> DriverJob:
    return await _act(call, delivery.take)


@endpoint("POST", "/api/v1/driver/jobs/{job_id}/pickup", tag="driver", response=DriverJob,
          summary="I have the food: the customer gets the handover code", roles="the job's driver")
async def pick_up(call: Call) -> DriverJob:
    return await _act(call, delivery.pick_up)


@endpoint("POST", "/api/v1/driver/jobs/{job_id}/deliver", tag="driver", body=HandoverIn, response=DriverJob,
          summary="Hand the food over against the customer's code", roles="the job's driver")
async def deliver(call: Call) -> DriverJob:
    async with call.app[DATABASE].unit() as unit:
        driver = await _driver(unit, call)
        job = await _job(unit, call, driver)
        handed = await delivery.hand_over(unit, job, driver, call.body.code)
        answer = await _shown(unit, job) if handed else None
    call.app[WAKE].set()  # messages to send: the customer's and restaurant's, or support's after wrong codes
    if answer is None:  # the wrong try is stored before the refusal
        left = max(delivery.MAX_WRONG_CODES - job.wrong_codes, 0)
        raise BadInput(f"wrong handover code for order {job.order.code}: ask the customer again ({left} tries left)")
    return answer


@endpoint("POST", "/api/v1/driver/jobs/{job_id}/fail", tag="driver", body=FailIn, response=DriverJob,
          summary="The food could not be handed over; support and the customer are told", roles="the job's driver")
async def fail(call: Call) -> DriverJob:
    return await _act(call, delivery.fail, call.body.reason.lower())


@endpoint("GET", "/api/v1/driver/earnings", tag="driver", response=EarningsOut,
          summary="Delivery fees earned today and this week", roles="drivers")
async def earnings(call: Call) -> EarningsOut:
    async with call.app[DATABASE].unit() as unit:
        driver = await _driver(unit, call)
        e = await delivery.earnings(unit, driver.account_id, call.app[SETTINGS].timezone)
    return EarningsOut(today_jobs=e.today_jobs, today_xaf=e.today_xaf, week_jobs=e.week_jobs, week_xaf=e.week_xaf)


@endpoint("GET", "/api/v1/orders/{code}/delivery", tag="orders", response=DeliveryOut,
          summary="Follow an order's delivery: its status and, once taken, the driver",
          roles="its customer, its restaurant's owner and staff, support, admin")
async def track(call: Call) -> DeliveryOut:
    order = await visible_order(call)
    async with call.app[DATABASE].unit() as unit:
        job = await delivery.job_for(unit, order.code)
        driver = await unit.session.get(Account, job.driver_account_id) if job and job.driver_account_id else None
    if job is None:
        if order.fulfilment != "delivery":
            raise NotFound(f"order {order.code} is collected at the restaurant: it has no delivery")
        raise NotFound(f"order {order.code} has no delivery job: one opens when the restaurant accepts the order")
    return DeliveryOut(
        order_code=order.code, status=job.status, order_status=job.order.status, fee_xaf=job.fee_xaf,
        driver=DeliveryDriver(first_name=first_name(driver), phone=driver.phone) if driver else None,
    )
