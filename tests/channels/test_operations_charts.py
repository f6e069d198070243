"""The operations charts: SVG drawn on the server, no script, the figures in the markup, in both languages."""
from datetime import date

import pytest

from channels import operations_charts as charts
from core.use_cases.business import ORDER_PATH, Business, Day, Funnel, ProviderRate, Step

DAYS = tuple(Day(date(2026, 11, 18 + n), n + 1, n, 1, (n + 1) * 2500, (n + 1) * 250, 1) for n in range(7))
STEPS = tuple(Step(screen, 12 - n, 1 if screen == "restaurants" else 0) for n, screen in enumerate(ORDER_PATH))
FIGURES = Business(date(2026, 11, 18), date(2026, 11, 24), DAYS, 2, 6,
                   (ProviderRate("campay", 1, 3, 0), ProviderRate("mtn", 9, 1, 2)), Funnel(12, 0, STEPS, ()), 20)
EMPTY = Business(date(2026, 11, 24), date(2026, 11, 24), (Day(date(2026, 11, 24), 0, 0, 0, 0, 0, 0),), 0, 0, (),
                 Funnel(0, 0, tuple(Step(s, 0, 0) for s in ORDER_PATH), ()), 0)
ALL = [charts.orders_by_day, charts.takings_by_day, charts.payment_success, charts.ussd_funnel]


@pytest.mark.parametrize("draw", ALL, ids=[d.__name__ for d in ALL])
def test_each_chart_is_an_svg_image_named_by_its_title_with_no_script(draw):
    svg = draw(FIGURES, "en")
    assert svg.startswith('<svg role="img" aria-label="') and "<script" not in svg and "<!--" not in svg
    assert " style=" not in svg  # the page policy lets in its <style> by hash, never a style attribute


def test_the_figures_are_in_the_markup_in_the_readers_language():
    assert "17 500 FCFA" in charts.takings_by_day(FIGURES, "fr") and "17,500 FCFA" in charts.takings_by_day(FIGURES, "en")
    success = charts.payment_success(FIGURES, "en")
    assert "90 %" in success and "25 %" in success and "campay" in success
    funnel = charts.ussd_funnel(FIGURES, "fr")
    assert "Menu principal" in funnel and "Restaurants" in funnel and "Commande passée" in funnel
    assert funnel.index("Commande passée") < funnel.index("Menu principal")  # drawn bottom up: the menu on top


@pytest.mark.parametrize("draw", ALL, ids=[d.__name__ for d in ALL])
def test_a_chart_with_nothing_to_show_says_so(draw):
    assert "Rien pour l'instant" in draw(EMPTY, "fr") and "Nothing yet" in draw(EMPTY, "en")
