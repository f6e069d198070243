"""The restaurant's sales page, /console/restaurants/{id}/sales?period=today|7d|30d, for its owner
and managers (core.restaurant_roles.REPORT; staff are refused): orders, takings, average basket,
time to accept, the split by payment method, best dishes and busiest hours, as figures, tables and
SVG charts drawn on the server (channels.charts), and the same figures as a CSV download
(`/sales.csv`). Every figure is core.use_cases.sales's, as over REST.
"""
from aiohttp import web
from markupsafe import Markup

from channels import charts
from channels.console.board import RESTAURANT, restaurant_of
from channels.console.foundation import language, page, working_at
from channels.keys import DATABASE, SETTINGS
from core import restaurant_roles as roles
from core.formatting import money
from core.i18n import N_, translate
from core.use_cases import sales, upkeep

PERIODS = {"today": N_("Today"), "7d": N_("7 days"), "30d": N_("30 days")}
MINUTES = N_("{minutes} min {seconds} s")
SECONDS = N_("{seconds} s")


def wait_text(seconds: int | None, lang: str) -> str:
    """'2 min 05 s', '45 s', or a dash when nothing was accepted."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return translate(SECONDS, lang, seconds=seconds)
    return translate(MINUTES, lang, minutes=seconds // 60, seconds=f"{seconds % 60:02d}")


async def _report(request: web.Request) -> sales.SalesReport:
    restaurant_id = restaurant_of(request)
    await working_at(request, restaurant_id, roles.REPORT)
    app = request.config_dict
    return await sales.sales(app[DATABASE], restaurant_id, tz=app[SETTINGS].timezone,
                             period=request.query.get("period", "today"))


async def sales_page(request: web.Request) -> web.Response:
    report = await _report(request)
    lang = language(request)
    place = await upkeep.standing(request.config_dict[DATABASE], report.restaurant_id)
    return page(
        request, "sales.html", place=place, restaurant_id=report.restaurant_id, report=report, lang_money=lambda v: money(v, lang),
        periods=[(key, translate(label, lang)) for key, label in PERIODS.items()],
        methods=[(translate(charts.METHODS[m], lang), report.served_by_method.get(m, 0), report.takings_xaf.get(m, 0))
                 for m in charts.METHODS],
        median=wait_text(report.accept_median_s, lang), p90=wait_text(report.accept_p90_s, lang),
        busiest="-" if report.busiest_hour is None else translate(charts.HOUR, lang, hour=f"{report.busiest_hour:02d}"),
        by_day_chart=Markup(charts.takings_by_day(report, lang)),
        by_method_chart=Markup(charts.takings_by_method(report, lang)),
        by_hour_chart=Markup(charts.orders_by_hour(report, lang)),
    )


async def sales_file(request: web.Request) -> web.Response:
    report = await _report(request)
    name = f"sales-{report.restaurant_id}-{report.period}-{report.last_day.isoformat()}.csv"
    return web.Response(body=sales.sales_csv(report, language(request)).encode("utf-8"), content_type="text/csv",
                        charset="utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                  "Cache-Control": "no-store"})


def setup(console: web.Application) -> None:
    console.router.add_get(RESTAURANT + "/sales", sales_page)
    console.router.add_get(RESTAURANT + "/sales.csv", sales_file)
