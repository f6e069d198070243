"""The favourites' and the popular list's hops through the engine: what they cost the database."""
from tests import demo


async def test_a_known_callers_browsing_after_the_dial_opens_no_database_session(caller, dialogs, sessions_made):
    await dialogs.catalog.get()
    phone = caller(demo.CUSTOMER_FR.phone)
    await phone.dial()  # who is calling, their history and favourites: read once, here
    sessions_made[0] = 0
    await phone.pick("Commander")
    await phone.pick("Yaounde")
    menu = await phone.pick("Chez Maman Ngo")
    assert "Ajouter aux favoris" in menu.body
    await phone.pick("Plats")
    dish = await phone.pick("Ndole")
    while dish.view.screen == "choice":  # its side dish first
        dish = await phone.press("1")
    assert "99 Ajouter aux favoris" in dish.body
    assert sessions_made[0] == 0
    marked = await phone.press("99")  # marking is a write: one unit
    assert "99 Retirer des favoris" in marked.body and sessions_made[0] == 1
    await phone.press("00")
    listed = await phone.pick("Favoris")  # the session knows it now
    assert "Ndole - Chez Maman Ngo" in listed.body
    again = await phone.pick("Ndole")
    while again.view.screen == "choice":
        again = await phone.press("1")
    assert "99 Retirer des favoris" in again.body and sessions_made[0] == 1


async def test_the_popular_list_is_read_once_for_many_hops_and_sessions(caller, dialogs, sessions_made):
    await dialogs.catalog.get()
    first = caller(demo.CUSTOMER_FR.phone)
    await first.dial()
    await first.pick("Commander")
    sessions_made[0] = 0
    await first.pick("Populaire")
    assert sessions_made[0] == 1  # the one query
    await first.press("0")
    await first.pick("Populaire")
    second = caller(demo.CUSTOMER_FR.phone)
    await second.dial()
    await second.pick("Commander")
    made = sessions_made[0]
    shown = await second.pick("Populaire")
    assert shown.view.screen == "popular" and sessions_made[0] == made
