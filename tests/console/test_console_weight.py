"""Every console page stays light for a cheap phone on 3G: at most 100 KB on the wire for its
first load and 2 requests blocking its first render (benchmarks/console_weight.py's budget)."""
from benchmarks import console_weight
from tests import demo
from tests.channels.test_api_ordering import menu_item
from tests.console.helpers import cash_pickup_by_ussd


async def test_every_console_page_is_within_the_budget(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    await cash_pickup_by_ussd(chopbar, demo.CUSTOMER_EN.phone)  # a board with an order on it
    weights = await console_weight.weigh_all(str(chopbar.make_url("")).rstrip("/"), demo.ALL_DAY_YAOUNDE.phone)
    assert [w.path for w in weights] == ["/console/", *(p.format(restaurant=restaurant_id) for p in console_weight.PAGES)]
    over = [w.line() for w in weights if not w.within_budget]
    assert over == []
    for weight in weights:
        assert weight.requests == 3 and weight.blocking == 1  # the document; htmx and console.js are deferred
        assert weight.transferred > 10_000  # htmx itself, compressed: the count is of real bytes


def test_a_blocking_stylesheet_or_script_counts_and_a_deferred_one_does_not():
    found = console_weight._Subresources()
    found.feed('<link rel="stylesheet" href="/a.css"><script src="/b.js"></script><script src="/c.js" defer></script>'
               '<img src="/d.png">')
    assert found.blocking == ["/a.css", "/b.js"] and found.later == ["/c.js", "/d.png"]
    heavy = console_weight.Weight("/x", 200, 101 * 1024, 4, 3)
    assert not heavy.within_budget and "OVER BUDGET" in heavy.line()
