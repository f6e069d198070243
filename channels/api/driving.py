"""The driver's app: the jobs offered and in hand, take, pick up, hand over, fail, earnings; and
delivery tracking for whoever may read the order.

The same core functions answer the driver's SMS keywords and USSD menu, so a job taken in the app
is the job the SMS console knows. A wrong handover code counts as a try: it is committed before
the refusal, as a wrong sign-in code is.
"""
from typing import Annotated

from pydantic import Field, StringConstraints

from channels.api.endpoints import Call, endpoint
from channels.api.orders import visible_order
from channels.api.requests import has_role
from channels.api.schemas import Reason, Shape
from channels.keys import DATABASE, SETTINGS, WAKE
from core.errors import BadInput, Forbidden, NotFound
from core.use_cases import driving


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


def _driver(call: Call) -> int:
    if not has_role(call.claims, "driver"):
        raise Forbidden("only drivers have delivery jobs")
    return call.account_id


def _which(call: Call) -> driving.Job:
    return driving.Job(job_id=call.path["job_id"])  # the path already kept it in 32 bits


def _shown(job: driving.JobView) -> DriverJob:
    order = job.order
    return DriverJob(
        id=job.id, order_code=order.code, status=job.status, order_status=order.status,
        restaurant=PickupPlace(name=job.restaurant.name, quarter=job.restaurant.quarter, landmark=job.restaurant.landmark),
        customer=DropoffPlace(quarter=order.quarter_text, landmark=order.landmark, directions=order.directions),
        fee_xaf=job.fee_xaf, collect_cash=order.payment_method == "cash", cash_xaf=job.cash_xaf,
    )


@endpoint("GET", "/api/v1/driver/jobs", tag="driver", response=DriverJobs,
          summary="The jobs offered to me and the jobs I am delivering", roles="drivers")
async def jobs(call: Call) -> DriverJobs:
    offered, active = await driving.jobs(call.app[DATABASE], _driver(call))
    return DriverJobs(offered=[_shown(j) for j in offered], active=[_shown(j) for j in active])


async def _act(call: Call, change, *args) -> DriverJob:
    job = await change(call.app[DATABASE], _driver(call), _which(call), *args)
    call.app[WAKE].set()  # the outbox worker sends the restaurant's and customer's messages now
    return _shown(job)


@endpoint("POST", "/api/v1/driver/jobs/{job_id}/take", tag="driver", response=DriverJob,
          summary="Take a job offered to me; the first driver to take it gets it",
          roles="drivers the job was offered to")
async def take(call: Call) -> DriverJob:
    return await _act(call, driving.take)


@endpoint("POST", "/api/v1/driver/jobs/{job_id}/pickup", tag="driver", response=DriverJob,
          summary="I have the food: the customer gets the handover code", roles="the job's driver")
async def pick_up(call: Call) -> DriverJob:
    return await _act(call, driving.pick_up)


@endpoint("POST", "/api/v1/driver/jobs/{job_id}/deliver", tag="driver", body=HandoverIn, response=DriverJob,
          summary="Hand the food over against the customer's code", roles="the job's driver")
async def deliver(call: Call) -> DriverJob:
    handed = await driving.hand_over(call.app[DATABASE], _driver(call), _which(call), call.body.code)
    call.app[WAKE].set()  # messages to send: the customer's and restaurant's, or support's after wrong codes
    if not handed.done:  # the wrong try is stored before the refusal
        raise BadInput(f"wrong handover code for order {handed.job.order.code}: ask the customer again "
                       f"({handed.tries_left} tries left)")
    return _shown(handed.job)


@endpoint("POST", "/api/v1/driver/jobs/{job_id}/fail", tag="driver", body=FailIn, response=DriverJob,
          summary="The food could not be handed over; support and the customer are told", roles="the job's driver")
async def fail(call: Call) -> DriverJob:
    return await _act(call, driving.fail, call.body.reason.lower())


@endpoint("GET", "/api/v1/driver/earnings", tag="driver", response=EarningsOut,
          summary="Delivery fees earned today and this week", roles="drivers")
async def earnings(call: Call) -> EarningsOut:
    e = await driving.earnings(call.app[DATABASE], _driver(call), call.app[SETTINGS].timezone)
    return EarningsOut(today_jobs=e.today_jobs, today_xaf=e.today_xaf, week_jobs=e.week_jobs, week_xaf=e.week_xaf)


@endpoint("GET", "/api/v1/orders/{code}/delivery", tag="orders", response=DeliveryOut,
          summary="Follow an order's delivery: its status and, once taken, the driver",
          roles="its customer, its restaurant's owner and staff, support, admin")
async def track(call: Call) -> DeliveryOut:
    order = await visible_order(call)
    found = await driving.followed(call.app[DATABASE], order.code)
    if found is None:
        if order.fulfilment != "delivery":
            raise NotFound(f"order {order.code} is collected at the restaurant: it has no delivery")
        raise NotFound(f"order {order.code} has no delivery job: one opens when the restaurant accepts the order")
    driver = found.driver
    return DeliveryOut(
        order_code=order.code, status=found.job.status, order_status=found.job.order.status, fee_xaf=found.job.fee_xaf,
        driver=DeliveryDriver(first_name=driver.first_name, phone=driver.phone) if driver else None,
    )
