"""The operations console's business charts, drawn on the server as SVG by pygal: orders and
takings by day, payment success per provider, and the USSD funnel.

Drawn as the sales charts are (pygal, no tooltip script, its config and comments stripped), so a
page carries its charts in the markup: nothing for a cheap phone to fetch or run, readable with
scripts off, a few KB compressed. Each chart has a table of the same figures beside it.
"""
import re
from collections.abc import Callable

import pygal
from babel.numbers import format_decimal
from pygal.style import Style

from core.formatting import LOCALES, money
from core.i18n import N_, translate
from core.use_cases.business import Business

ORDERS_BY_DAY = N_("Orders by day")
TAKINGS_BY_DAY = N_("Takings by day")
PAYMENT_SUCCESS = N_("Payments approved, per provider (%)")
USSD_FUNNEL = N_("USSD sessions reaching each screen")
NOTHING_YET = N_("Nothing yet")
# The screens of the customer's way to an order, as people know them.
SCREENS = {
    "home": N_("Main menu"), "places": N_("City"), "restaurants": N_("Restaurants"), "categories": N_("Categories"),
    "dishes": N_("Dishes"), "choice": N_("Dish options"), "quantity": N_("Quantity"), "basket": N_("Basket"),
    "fulfilment": N_("Delivery or pickup"), "addresses": N_("Address"), "payment": N_("Payment"),
    "summary": N_("Summary"), "placed": N_("Order placed"),
}
_UNUSED = re.compile(r"<script\b.*?</script>|<!--.*?-->", re.S)
# Style attributes: the page policy lets in each chart's <style> by its hash, never an attribute.
# pygal writes them only on its (empty, scriptless) tooltip.
_STYLE_ATTRIBUTE = re.compile(r' style="[^"]*"')
PRINTED_UP_TO = 12  # bars whose values are printed on them; more would overlap

# Dark text on white, bars dark enough for their contrast: readable in the sun.
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1a1a1a", foreground_strong="#000000",
    foreground_subtle="#595959", colors=("#1d5e3a",), value_colors=("#1a1a1a",), font_family="system-ui, sans-serif",
    title_font_size=18, label_font_size=13, major_label_font_size=13, value_font_size=13, no_data_font_size=20,
    opacity="1", opacity_hover="1", transition="0s",
)


def screen_label(screen: str, language: str) -> str:
    return translate(SCREENS[screen], language) if screen in SCREENS else screen


def _chart(kind: type, title: str, language: str, *, printed: bool, formatter: Callable[[float], str], height: int = 320,
           **config):
    return kind(
        style=STYLE, js=(), disable_xml_declaration=True, show_legend=False, title=title,
        no_data_text=translate(NOTHING_YET, language), formatter=formatter, value_formatter=_number(language),
        print_values=printed, print_values_position="top", print_zeroes=False, truncate_label=-1, width=640,
        height=height, margin=12, explicit_size=False, **config,
    )


def _svg(chart, title: str) -> str:
    if not chart.raw_series:  # nothing drawn: no axes (pygal's own would count 0, 0, 1, 1 of nothing)
        chart.show_x_labels = chart.show_y_labels = False
    # role=img named by its title: a screen reader says what the picture is; the table beside it
    # reads the figures one by one.
    svg = _STYLE_ATTRIBUTE.sub("", _UNUSED.sub("", chart.render(is_unicode=True)))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attribute(title)}" ', 1)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _number(language: str) -> Callable[[float], str]:
    return lambda value: format_decimal(int(round(value)), locale=LOCALES.get(language, "fr_CM")).replace("\u202f", " ")


def _money(language: str) -> Callable[[float], str]:
    return lambda value: money(int(round(value)), language)


def _ticks(values) -> list[int]:
    """Whole-number axis marks from 0 past the largest value, about five of them: pygal's own
    would fall between counts (0.2 orders) and print rounded as 0, 0, 1, 1."""
    top = max([*values, 1])
    step = -(-top // 5)
    return list(range(0, top + step, step))


def _days(figures: Business) -> dict:
    many = len(figures.days) > PRINTED_UP_TO
    return {"x_label_rotation": 45 if many else 0, "show_minor_x_labels": not many, "x_labels_major_every": 7}


def orders_by_day(figures: Business, language: str) -> str:
    title = translate(ORDERS_BY_DAY, language)
    chart = _chart(pygal.Bar, title, language, printed=len(figures.days) <= PRINTED_UP_TO, formatter=_number(language),
                   **_days(figures))
    chart.x_labels = [d.day.strftime("%d/%m") for d in figures.days]
    if figures.orders:
        chart.y_labels = _ticks(d.orders for d in figures.days)
        chart.add(title, [d.orders or None for d in figures.days])
    return _svg(chart, title)


def takings_by_day(figures: Business, language: str) -> str:
    title = translate(TAKINGS_BY_DAY, language)
    chart = _chart(pygal.Bar, title, language, printed=len(figures.days) <= PRINTED_UP_TO, formatter=_money(language),
                   **_days(figures))
    chart.x_labels = [d.day.strftime("%d/%m") for d in figures.days]
    if figures.takings_xaf:
        chart.y_labels = _ticks(d.takings_xaf for d in figures.days)
        chart.add(title, [d.takings_xaf or None for d in figures.days])
    return _svg(chart, title)


def payment_success(figures: Business, language: str) -> str:
    title = translate(PAYMENT_SUCCESS, language)
    rated = [p for p in figures.providers if p.success_percent is not None]
    chart = _chart(pygal.Bar, title, language, printed=True, formatter=lambda v: f"{int(round(v))} %", range=(0, 100))
    chart.x_labels = [p.provider for p in rated]
    if rated:
        chart.y_labels = list(range(0, 101, 20))
        chart.add(title, [p.success_percent for p in rated])
    return _svg(chart, title)


def ussd_funnel(figures: Business, language: str) -> str:
    title = translate(USSD_FUNNEL, language)
    steps = [s for s in figures.funnel.steps if s.reached or s.screen in ("home", "placed")]
    chart = _chart(pygal.HorizontalBar, title, language, printed=True, formatter=_number(language),
                   height=max(240, 34 * len(steps) + 80))
    chart.x_labels = [screen_label(s.screen, language) for s in reversed(steps)]  # drawn bottom up: the menu on top
    if figures.funnel.dials:
        chart.y_labels = _ticks(s.reached for s in steps)
        chart.add(title, [s.reached or None for s in reversed(steps)])
    return _svg(chart, title)
