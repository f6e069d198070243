"""A restaurant's sales over today, 7 or 30 local days, for its owner and managers: the figures as
JSON (`GET .../sales`) and as CSV (`GET .../sales.csv`), the same the console's sales page shows
(`core.use_cases.sales`: the day report's rules over a longer period).
"""
from datetime import date
from typing import Literal

from aiohttp import web
from pydantic import Field

from channels.api.endpoints import Call, endpoint
from channels.api.requests import acting_for
from channels.api.schemas import Shape
from channels.keys import DATABASE, SETTINGS
from core import restaurant_roles as roles
from core.use_cases import sales

TAG = "restaurant"
WHO = "the restaurant's owner and managers"
PATH = "/api/v1/restaurants/{restaurant_id}/sales"
Period = Literal["today", "7d", "30d"]


class SalesPeriod(Shape):
    period: Period = Field("today", description="local days (CHOPBAR_TIMEZONE) ending today: 1, 7 or 30")


class SalesFile(SalesPeriod):
    language: Literal["fr", "en"] = Field("fr", description="the language of the dishes' names")


class MethodSales(Shape):
    takings_xaf: int
    served: int


class ByMethod(Shape):
    cash: MethodSales
    mtn: MethodSales
    orange: MethodSales
    card: MethodSales


class DishSales(Shape):
    name_en: str
    name_fr: str
    quantity: int
    takings_xaf: int


class DaySales(Shape):
    day: date
    orders: int
    served: int
    takings_xaf: int


class SalesOut(Shape):
    restaurant_id: int
    period: Period
    first_day: date
    last_day: date
    orders: int = Field(description="orders that reached the restaurant in the period")
    served: int = Field(description="of those, accepted and not called off since")
    total_xaf: int = Field(description="food of the served orders")
    average_basket_xaf: int = Field(description="total over served orders, to the franc; 0 when none")
    by_method: ByMethod
    best_dishes: list[DishSales] = Field(description=f"the {sales.TOP_DISHES} dishes sold most, by quantity")
    accepted: int = Field(description="orders accepted in the period")
    accept_median_s: int | None = Field(description="seconds from reaching the restaurant to its accept; null: none")
    accept_p90_s: int | None = Field(description="nine accepts in ten came within this many seconds")
    busiest_hour: int | None = Field(description="the local hour (0-23) with the most orders")
    orders_by_hour: list[int] = Field(description="24 counts, local hours 0 to 23")
    by_day: list[DaySales] = Field(description="every day of the period, oldest first")


async def _report(call: Call) -> sales.SalesReport:
    restaurant_id = acting_for(call.claims, call.path["restaurant_id"], roles.REPORT)
    return await sales.sales(call.app[DATABASE], restaurant_id, tz=call.app[SETTINGS].timezone, period=call.query.period)


@endpoint("GET", PATH, tag=TAG, query=SalesPeriod, response=SalesOut, roles=WHO,
          summary="Sales over today, 7 or 30 days: takings by payment method, best dishes, time to accept, busy hours")
async def sales_figures(call: Call) -> SalesOut:
    report = await _report(call)
    return SalesOut(
        restaurant_id=report.restaurant_id, period=report.period, first_day=report.first_day, last_day=report.last_day,
        orders=report.orders, served=report.served, total_xaf=report.total_xaf,
        average_basket_xaf=report.average_basket_xaf,
        by_method=ByMethod(**{m: MethodSales(takings_xaf=report.takings_xaf.get(m, 0), served=report.served_by_method.get(m, 0))
                              for m in ("cash", "mtn", "orange", "card")}),
        best_dishes=[DishSales.model_validate(d, from_attributes=True) for d in report.best],
        accepted=report.accepted, accept_median_s=report.accept_median_s, accept_p90_s=report.accept_p90_s,
        busiest_hour=report.busiest_hour, orders_by_hour=list(report.by_hour),
        by_day=[DaySales.model_validate(d, from_attributes=True) for d in report.by_day],
    )


@endpoint("GET", PATH + ".csv", tag=TAG, query=SalesFile, text_response="text/csv", roles=WHO,
          summary="The same sales figures as CSV: one figure,key,value row each")
async def sales_file(call: Call) -> web.Response:
    report = await _report(call)
    name = f"sales-{report.restaurant_id}-{report.period}-{report.last_day.isoformat()}.csv"
    return web.Response(body=sales.sales_csv(report, call.query.language).encode("utf-8"), content_type="text/csv",
                        charset="utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'})
