"""The sales page's SVG charts show the figures of sales made at known times and amounts."""
import pytest

from channels import charts
from core.formatting import money
from core.use_cases import sales
from tests.sales import TZ, a_week, dishes


@pytest.fixture
async def week(db, clock):
    return await a_week(db, clock)


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_charts_show_the_figures(db, week, language):
    restaurant_id, ndole, poulet = week
    report = await sales.sales(db, restaurant_id, tz=TZ, period="7d")
    by_day = charts.takings_by_day(report, language)
    assert by_day.startswith("<svg ") and "<script" not in by_day
    for day in report.by_day:
        assert f">{day.day.strftime('%d/%m')}<" in by_day
    for amount in (ndole.price_xaf, 3 * poulet.price_xaf, 3 * ndole.price_xaf):
        assert f">{money(amount, language)}<" in by_day
    by_method = charts.takings_by_method(report, language)
    assert f">{money(3 * poulet.price_xaf, language)}<" in by_method and f">{money(2 * ndole.price_xaf, language)}<" in by_method
    assert (">Espèces<" if language == "fr" else ">Cash<") in by_method and ">Orange Money<" in by_method
    by_hour = charts.orders_by_hour(report, language)
    assert ">4<" in by_hour and ">1<" in by_hour and ">12h<" in by_hour
    title = "Commandes par heure de la journée" if language == "fr" else "Orders by hour of the day"
    assert f'role="img" aria-label="{title}"' in by_hour


async def test_charts_of_a_quiet_period_say_there_are_no_orders(db):
    restaurant_id, _, _ = await dishes(db)
    report = await sales.sales(db, restaurant_id, tz=TZ, period="30d")
    for draw in (charts.takings_by_day, charts.takings_by_method, charts.orders_by_hour):
        assert "Pas encore de commande" in draw(report, "fr")
