"""The USSD renderer: any list, of any length, pages cleanly within the limit, in ASCII."""
from hypothesis import given, strategies as st

from menus.render import ussd
from menus.screen import Entry, View

LABELS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)


def view(labels, *, page=0, hint=None, title="Restaurants a Yaounde:", back=True) -> View:
    return View(screen="x", title=title, entries=[Entry(l) for l in labels], page=page, hint=hint, back=back,
                labels={"more": "Suite", "back": "Retour"})


@given(labels=st.lists(LABELS, max_size=40), limit=st.integers(60, 182), hint=st.none() | LABELS, title=LABELS)
def test_every_page_fits_and_every_entry_is_on_exactly_one_page(labels, limit, hint, title):
    v = view(labels, hint=hint, title=title)
    pages = ussd.pages(v, limit)
    assert [i for page in pages for i in page] == list(range(len(labels)))
    for number in range(len(pages)):
        v.page = number
        screen = ussd.render(v, limit)
        assert len(screen) <= limit and screen.isascii()
        assert screen.startswith("CON ")
        if number < len(pages) - 1:
            assert "98 Suite" in screen


def test_numbers_continue_across_pages():
    labels = [f"Restaurant number {n}" for n in range(1, 20)]
    first = ussd.render(view(labels), 160)
    second = ussd.render(view(labels, page=1), 160)
    last_on_first = max(int(l.split()[0]) for l in first[4:].split("\n")[1:] if l[0].isdigit() and not l.startswith(("98", "0 ")))
    first_on_second = int(second[4:].split("\n")[1].split()[0])
    assert first_on_second == last_on_first + 1


def test_accents_are_transliterated():
    screen = ussd.render(view(["Poisson braisé", "Crêpes"], title="Où livrer?"), 160)
    assert "Poisson braise" in screen and "Crepes" in screen and "Ou livrer?" in screen


def test_an_end_screen_is_cut_to_the_limit():
    screen = ussd.render(View(screen="x", title="word " * 100, end=True), 160)
    assert screen.startswith("END ") and len(screen) <= 160


def test_the_home_screen_offers_no_back():
    screen = ussd.render(view(["Commander"], back=False), 160)
    assert "Retour" not in screen
