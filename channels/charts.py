"""The sales page's charts, drawn on the server as SVG by pygal: takings by day, the split by
payment method, orders by hour of the day.

pygal (maintained, pure Python, no dependency of its own) draws each chart as an SVG string the
page embeds: nothing for a cheap phone to download or run, and the figures are in the markup (as
printed values and as each bar's `<desc>`), so they read with scripts off and compress to a few
KB. Its tooltip script is left out (`js=()`): it would come from a CDN, and a page policy
that runs only the service's own scripts would refuse it.
"""
import math
import re
from collections.abc import Callable, Sequence

import pygal
from babel.numbers import format_decimal
from pygal.style import Style

from core.formatting import LOCALES, money
from core.i18n import N_, translate
from core.use_cases.sales import SalesReport

TAKINGS_BY_DAY = N_("Takings by day")
TAKINGS_BY_METHOD = N_("Takings by payment method")
ORDERS_BY_HOUR = N_("Orders by hour of the day")
NO_ORDERS = N_("No orders yet")
METHODS = {"cash": N_("Cash"), "mtn": N_("MTN MoMo"), "orange": N_("Orange Money"), "card": N_("Card")}
HOUR = N_("{hour}h")
_UNUSED = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->| style=\"[^\"]*\"", re.S)
PRINTED_UP_TO = 12  # days whose takings are printed on their bars; 30 would overlap

# The sizes pygal lays labels out by; colours and fonts come from the page's sheet (`.chart`).
STYLE = Style(title_font_size=18, label_font_size=13, major_label_font_size=13, value_font_size=13, no_data_font_size=20)


def _chart(kind: type, title: str, language: str, *, printed: bool, formatter: Callable[[float], str], **config):
    return kind(
        style=STYLE, js=(), disable_xml_declaration=True, show_legend=False, title=title,
        no_data_text=translate(NO_ORDERS, language), formatter=formatter, value_formatter=_axis(language),
        print_values=printed, print_values_position="top", print_zeroes=False, truncate_label=-1, width=640,
        height=320, margin=12, explicit_size=False, **config,
    )


def _svg(chart, title: str) -> str:
    # role=img with the title as its name: a screen reader says what the picture is; the page's
    # table beside it has the same figures to read one by one.
    # pygal always writes its config for its tooltip script, its own stylesheet and credit
    # comments: a page whose policy runs and styles only what the service hashed would refuse the
    # first two (the console styles the charts from its own sheet, `.chart` rules), and all
    # three are weight for nothing.
    svg = _UNUSED.sub("", chart.render(is_unicode=True))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attribute(title)}" ', 1)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _money(language: str) -> Callable[[float], str]:
    return lambda value: money(int(round(value)), language)


def _axis(language: str) -> Callable[[float], str]:
    return lambda value: format_decimal(int(round(value)), locale=LOCALES.get(language, "fr_CM")).replace("\u202f", " ")


def _bars(amounts) -> list[int | None]:
    # no bar, and no "0 FCFA" printed over the axis, for a day or a method that took nothing
    return [amount or None for amount in amounts]


def _count(value: float) -> str:
    return str(int(round(value)))


def _day_label(report: SalesReport, language: str) -> Sequence[str]:
    return [day.day.strftime("%d/%m") for day in report.by_day]


def takings_by_day(report: SalesReport, language: str) -> str:
    title = translate(TAKINGS_BY_DAY, language)
    chart = _chart(pygal.Bar, title, language, printed=len(report.by_day) <= PRINTED_UP_TO, formatter=_money(language),
                   x_label_rotation=45 if len(report.by_day) > PRINTED_UP_TO else 0,
                   show_minor_x_labels=len(report.by_day) <= PRINTED_UP_TO, x_labels_major_every=5)
    chart.x_labels = _day_label(report, language)
    if report.served:
        chart.add(title, _bars(day.takings_xaf for day in report.by_day))
    return _svg(chart, title)


def takings_by_method(report: SalesReport, language: str) -> str:
    title = translate(TAKINGS_BY_METHOD, language)
    chart = _chart(pygal.Bar, title, language, printed=True, formatter=_money(language))
    chart.x_labels = [translate(METHODS[method], language) for method in METHODS]
    if report.served:
        chart.add(title, _bars(report.takings_xaf.get(method, 0) for method in METHODS))
    return _svg(chart, title)


def orders_by_hour(report: SalesReport, language: str) -> str:
    title = translate(ORDERS_BY_HOUR, language)
    chart = _chart(pygal.Bar, title, language, printed=True, formatter=_count, x_labels_major_every=3,
                   show_minor_x_labels=False)
    chart.x_labels = [translate(HOUR, language, hour=f"{hour:02d}") for hour in range(24)]
    if report.orders:
        step = math.ceil(max(report.by_hour) / 6)
        chart.y_labels = list(range(0, max(report.by_hour) + step, step))  # whole orders, not pygal's 0.5, 1.5...
        chart.add(title, list(report.by_hour))
    return _svg(chart, title)
