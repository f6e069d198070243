"""Any view becomes a WhatsApp message within the Cloud API's limits, and long lists page."""
from hypothesis import given, strategies as st

from menus.render import whatsapp
from menus.screen import Entry, View
from simulators.whatsapp_cloud import limits_broken

LABELS = st.text(min_size=1, max_size=80)


@given(labels=st.lists(LABELS, max_size=40), title=st.text(min_size=1, max_size=1500), page=st.integers(0, 6))
def test_every_view_fits_the_cloud_api(labels, title, page):
    view = View(screen="x", title=title, entries=[Entry(l) for l in labels], page=min(page, whatsapp.pages(View("x", "t", [Entry(l) for l in labels])) - 1))
    part = whatsapp.render(view)
    if part["type"] == "interactive":
        assert limits_broken(part) is None


def test_three_short_choices_are_buttons_and_more_are_a_list_that_pages():
    assert whatsapp.render(View("x", "t", [Entry("Oui"), Entry("Non")]))["interactive"]["type"] == "button"
    long = View("x", "t", [Entry(f"Restaurant {n}") for n in range(1, 15)], labels={"more": "Suite"})
    rows = whatsapp.render(long)["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [str(n) for n in range(1, 10)] + ["98"]
    long.page = 1
    rows = whatsapp.render(long)["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [str(n) for n in range(10, 15)]
