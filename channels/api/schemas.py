"""The API's shared shapes, as pydantic models: they validate requests, shape answers and are the
OpenAPI document's components. Endpoint-specific models live beside their endpoints."""
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from core.models import Order
from core.pricing import MAX_QUANTITY



def printable(text: str) -> str:
    """Text that is stored or sent by SMS: PostgreSQL refuses NUL, and SMS has no use for control characters."""
    if not text.isprintable():
        raise ValueError("printable text only: no control characters")
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(printable)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160), AfterValidator(printable)]
Landmark = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), AfterValidator(printable)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=32, pattern=r"^\+?[0-9][0-9 ().-]+$")]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
PaymentMethod = Literal["cash", "mtn", "orange", "card"]


class Shape(BaseModel):
    """Requests ignore fields they don't know (older and newer apps both work); answers are strict."""

    model_config = ConfigDict(extra="ignore")


class RestaurantBasics(Shape):
    id: int
    slug: str
    name: str
    city: str
    quarter: str


class ErrorDetail(Shape):
    code: str
    message: str


class ErrorOut(Shape):
    error: ErrorDetail


class Page(Shape):
    next: str | None = Field(description="cursor of the next page, or null on the last one")


def cut(rows: list, limit: int) -> tuple[list, str | None]:
    """One page of rows fetched with one extra, and the cursor of the next page if there is one."""
    page = rows[:limit]
    return page, str(page[-1].id) if len(rows) > limit else None


class LineIn(Shape):
    item_id: Id
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)
    option_ids: list[Id] = Field(default_factory=list, max_length=20)


class AddressIn(Shape):
    quarter: Text
    landmark: Landmark = ""


class ChosenOption(Shape):
    id: int
    name_en: str
    name_fr: str
    price_delta_xaf: int


class LineOut(Shape):
    item_id: int
    name_en: str
    name_fr: str
    quantity: int
    unit_price_xaf: int
    options: list[ChosenOption]


class OrderOut(Shape):
    code: str
    status: str
    restaurant_id: int
    channel: str
    fulfilment: Literal["delivery", "pickup"]
    payment_method: str
    subtotal_xaf: int
    delivery_fee_xaf: int
    discount_xaf: int = Field(0, description="an offer's or a promo code's, already taken off total_xaf")
    total_xaf: int
    points_spent: int = Field(0, description="loyalty points taken off the food")
    points_xaf: int = Field(0, description="what those points took off, in XAF (paid by Chopbar)")
    quarter: str
    landmark: str
    ready_in_minutes: int | None
    cancel_reason: str | None
    created_at: datetime
    lines: list[LineOut]

    @classmethod
    def of(cls, order: Order) -> "OrderOut":
        return cls(
            code=order.code, status=order.status, restaurant_id=order.restaurant_id, channel=order.channel,
            fulfilment=order.fulfilment, payment_method=order.payment_method, subtotal_xaf=order.subtotal_xaf,
            delivery_fee_xaf=order.delivery_fee_xaf, discount_xaf=order.discount_xaf, total_xaf=order.total_xaf,
            quarter=order.quarter_text,
            points_spent=order.points_spent or 0, points_xaf=order.points_xaf or 0,
            landmark=order.landmark, ready_in_minutes=order.ready_in_minutes, cancel_reason=order.cancel_reason,
            created_at=order.created_at,
            lines=[
                LineOut(item_id=l.item_id, name_en=l.name_en, name_fr=l.name_fr, quantity=l.quantity,
                        unit_price_xaf=l.unit_price_xaf, options=l.options)
                for l in order.lines
            ],
        )


class OrderPage(Page):
    items: list[OrderOut]
