"""Browsing through the engine itself: screens, back, paging and replays, no database session."""
from menus.browsing.restaurants import RESTAURANTS


async def test_browsing_from_the_main_menu_to_a_dish_opens_no_database_session(caller, dialogs, sessions_made):
    await dialogs.catalog.get()  # the snapshot is loaded once, in a unit of its own
    sessions_made[0] = 0
    phone = caller()
    home = await phone.dial()
    assert home.view.screen == "home"
    places = await phone.pick("Commander")
    assert places.view.screen == "places"
    restaurants = await phone.pick("Yaounde")
    assert restaurants.view.screen == "restaurants"
    categories = await phone.pick("Chez Maman Ngo")
    assert categories.view.screen == "categories"
    dishes = await phone.pick("Plats")
    assert dishes.view.screen == "dishes"
    dish = await phone.pick("Poulet DG")
    assert dish.view.screen in ("choice", "quantity")
    assert sessions_made[0] == 0  # the dial asks who is calling on a bare connection


async def test_back_returns_to_the_screen_before_and_a_replay_shows_the_same_screen(caller):
    phone = caller()
    await phone.dial()
    await phone.pick("Commander")
    restaurants = await phone.pick("Yaounde")
    await phone.pick("Chez Maman Ngo")
    back = await phone.press("0")
    assert back.body == restaurants.body
    again = await phone.replay()
    assert again.body == back.body


async def test_more_pages_the_list_and_numbering_goes_on_from_the_first_page(caller):
    phone = caller()
    await phone.dial()
    await phone.pick("Commander")
    first = await phone.pick("Yaounde")
    assert "98 " in first.body
    second = await phone.press("98")
    assert second.view.page == 1
    shown_first = [line.split(" ", 1)[0] for line in first.body.split("\n")[1:] if line[:1].isdigit() and not line.startswith(("98", "0 "))]
    shown_second = [line.split(" ", 1)[0] for line in second.body.split("\n")[1:] if line[:1].isdigit() and not line.startswith(("98", "0 "))]
    assert int(shown_second[0]) == int(shown_first[-1]) + 1
    while "98 " in phone.last.body:
        await phone.press("98")
    last = await phone.press("98")
    assert last.view.hint is not None  # no more pages: said so, the page stays
    assert last.view.page == phone.last.view.page


async def test_a_second_caller_on_the_same_catalog_is_shown_the_kept_screen(caller, dialogs):
    first, second = caller(), caller()
    for phone in (first, second):
        await phone.dial()
        await phone.pick("Commander")
        await phone.pick("Yaounde")
    assert second.last.view is first.last.view  # filled and rendered once
    assert first.last.view.screen == RESTAURANTS.name


async def test_a_new_catalog_version_shows_the_screen_afresh(caller, dialogs):
    first = caller()
    await first.dial()
    await first.pick("Commander")
    shown = await first.pick("Yaounde")
    dialogs.catalog.invalidate()
    second = caller()
    await second.dial()
    await second.pick("Commander")
    again = await second.pick("Yaounde")
    assert again.view is not shown.view
    assert again.body == shown.body


async def test_more_pages_with_the_count_kept_from_the_screen_shown_one_render_a_hop(caller, dialogs):
    rendered = []
    show = dialogs.renderers["ussd"]

    def counted(view):
        rendered.append(view.page)
        return show(view)

    dialogs.renderers["ussd"] = counted
    phone = caller()
    await phone.dial()
    await phone.pick("Commander")
    await phone.pick("Yaounde")
    before = len(rendered)
    second = await phone.press("98")
    assert second.view.page == 1
    assert rendered[before:] == [1]  # the page shown, and no paging of page 0 to count pages
