"""The restaurant's menu editor, hours and sales pages over plain HTTP, as a browser with scripts
off meets them (and htmx's fragment answers): each change through the same use cases as REST,
owners and managers only."""
import csv
import io
import re

import pytest

from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_console import place
from tests.channels.test_api_ordering import menu_item
from tests.console.helpers import console_sign_in, csrf_of

OWNER, STAFF = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone


async def _dish(chopbar) -> tuple[int, dict]:
    restaurant_id, item_id = await menu_item(chopbar)
    menu = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    return restaurant_id, next(d for d in menu["dishes"] if d["id"] == item_id)


async def _public_dish(chopbar, restaurant_id: int, item_id: int) -> dict | None:
    menu = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    return next((d for d in menu["dishes"] if d["id"] == item_id), None)


def _dish_form(page: str, dish: dict, **changes) -> dict:
    form = {"csrf": csrf_of(page), "name_fr": dish["name_fr"], "name_en": dish["name_en"], "price_xaf": str(dish["price_xaf"]),
            "available": "on"}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


async def test_the_owner_reprices_a_dish_with_a_plain_form_and_the_menu_shows_it(chopbar):
    restaurant_id, dish = await _dish(chopbar)
    await console_sign_in(chopbar, OWNER)
    editor = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/menu")).text()
    assert f'value="{dish["name_fr"]}"' in editor and f'for="d{dish["id"]}-price"' in editor
    saved = await chopbar.post(f"/console/restaurants/{restaurant_id}/menu/dishes/{dish['id']}",
                               data=_dish_form(editor, dish, price_xaf="3150"), allow_redirects=False)
    assert saved.status == 303 and saved.headers["Location"] == f"/console/restaurants/{restaurant_id}/menu"
    again = await (await chopbar.get(saved.headers["Location"])).text()
    assert "Saved." in again and 'value="3150"' in again
    assert (await _public_dish(chopbar, restaurant_id, dish["id"]))["price_xaf"] == 3150


async def test_htmx_marks_a_dish_sold_out_and_gets_the_menu_back(chopbar):
    restaurant_id, dish = await _dish(chopbar)
    await console_sign_in(chopbar, OWNER)
    editor = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/menu")).text()
    fragment = await chopbar.post(f"/console/restaurants/{restaurant_id}/menu/dishes/{dish['id']}",
                                  data=_dish_form(editor, dish, available=None), headers={"HX-Request": "true"})
    body = await fragment.text()
    assert fragment.status == 200 and body.startswith('<section id="menu"') and "Saved." in body
    assert f'<li class="dish sold-out" id="dish-{dish["id"]}">' in body
    assert (await _public_dish(chopbar, restaurant_id, dish["id"]))["available"] is False


async def test_a_bad_price_is_told_and_changes_nothing(chopbar):
    restaurant_id, dish = await _dish(chopbar)
    await console_sign_in(chopbar, OWNER)
    editor = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/menu")).text()
    for price in ("cheap", "10"):
        answer = await chopbar.post(f"/console/restaurants/{restaurant_id}/menu/dishes/{dish['id']}",
                                    data=_dish_form(editor, dish, price_xaf=price))
        text = await answer.text()
        assert answer.status == 200 and ("whole number" in text or "price_xaf" in text), text
    assert (await _public_dish(chopbar, restaurant_id, dish["id"]))["price_xaf"] == dish["price_xaf"]


async def test_a_category_and_a_dish_added_then_the_dish_deleted(chopbar):
    restaurant_id, _ = await _dish(chopbar)
    await console_sign_in(chopbar, OWNER)
    editor = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/menu")).text()
    base = f"/console/restaurants/{restaurant_id}/menu"
    await chopbar.post(base + "/categories", data={"csrf": csrf_of(editor), "name_fr": "Jus", "name_en": "Juices"})
    editor = await (await chopbar.get(base)).text()
    category_id = re.search(r'id="category-(\d+)">\s*<h2>Juices', editor).group(1)
    await chopbar.post(f"{base}/categories/{category_id}/dishes",
                       data={"csrf": csrf_of(editor), "name_fr": "Jus de foléré", "name_en": "Hibiscus juice", "price_xaf": "500"})
    menu = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    added = next(d for d in menu["dishes"] if d["name_en"] == "Hibiscus juice")
    assert added["price_xaf"] == 500
    await chopbar.post(f"{base}/dishes/{added['id']}/delete", data={"csrf": csrf_of(editor)})
    assert await _public_dish(chopbar, restaurant_id, added["id"]) is None


async def test_an_option_made_unavailable_and_repriced(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    menu = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    dish = next(d for d in menu["dishes"] if d["option_groups"])
    option = dish["option_groups"][0]["options"][-1]
    await console_sign_in(chopbar, OWNER)
    editor = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/menu")).text()
    answer = await chopbar.post(f"/console/restaurants/{restaurant_id}/menu/options/{option['id']}",
                                data={"csrf": csrf_of(editor), "price_delta_xaf": "700"}, headers={"HX-Request": "true"})
    assert answer.status == 200 and "Saved." in await answer.text()
    owner = await sign_in(chopbar, OWNER)
    menu = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu/editable", headers=bearer(owner))).json()
    options = {o["id"]: o for c in menu["categories"] for d in c["dishes"] for g in d["option_groups"] for o in g["options"]}
    assert (options[option["id"]]["price_delta_xaf"], options[option["id"]]["available"]) == (700, False)


async def test_the_owner_sets_the_hours_and_closes_for_now(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    await console_sign_in(chopbar, OWNER)
    page = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/hours")).text()
    assert 'id="opens-0-0"' in page and 'value="00:00"' in page
    form = {"csrf": csrf_of(page), "opens-0-0": "11:00", "closes-0-0": "15:00", "opens-0-1": "18:00", "closes-0-1": "01:00",
            "opens-5-0": "10:00", "closes-5-0": "24:00"}
    saved = await chopbar.post(f"/console/restaurants/{restaurant_id}/hours", data=form, allow_redirects=False)
    assert saved.status == 303
    again = await (await chopbar.get(saved.headers["Location"])).text()
    assert "Opening hours saved." in again and 'value="18:00"' in again and 'value="01:00"' in again
    state = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/state", headers=bearer(await sign_in(chopbar, OWNER)))).json()
    assert state["hours"] == [{"weekday": 0, "opens": "11:00", "closes": "15:00"}, {"weekday": 0, "opens": "18:00", "closes": "01:00"},
                              {"weekday": 5, "opens": "10:00", "closes": "24:00"}]
    closed = await chopbar.post(f"/console/restaurants/{restaurant_id}/close", data={"csrf": csrf_of(again)})
    assert "Closed for now" in await closed.text() and state["paused"] is False
    reopened = await chopbar.post(f"/console/restaurants/{restaurant_id}/open", data={"csrf": csrf_of(again)})
    assert "Open in opening hours" in await reopened.text()


@pytest.mark.parametrize("form,said", [({"opens-2-0": "11:00"}, "give both"), ({"opens-2-0": "9h", "closes-2-0": "22:00"}, "HH:MM")])
async def test_half_a_span_or_a_bad_time_is_refused_and_changes_nothing(chopbar, form, said):
    restaurant_id, _ = await menu_item(chopbar)
    await console_sign_in(chopbar, OWNER)
    page = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/hours")).text()
    answer = await chopbar.post(f"/console/restaurants/{restaurant_id}/hours", data={"csrf": csrf_of(page), **form})
    assert answer.status == 400 and said in await answer.text() and "Wednesday" in await answer.text()
    again = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/hours")).text()
    assert 'value="00:00"' in again  # the all-day hours it had


async def test_the_sales_page_and_its_csv_show_the_days_orders(chopbar):
    served = await place(chopbar, "page-1")
    restaurant_id = served["restaurant_id"]
    await console_sign_in(chopbar, OWNER)
    page = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/sales?period=7d")).text()
    food = f'{served["subtotal_xaf"]:,} FCFA'
    assert '<dd id="orders">1</dd>' in page and '<dd id="served">0</dd>' in page
    assert page.count('<svg role="img"') == 3 and 'aria-current="page">7 days' in page
    assert "18/11/2026 – 24/11/2026" in page and "<style" not in page.split("</head>")[1]
    assert food not in page  # nothing served yet: no takings
    sheet = await chopbar.get(f"/console/restaurants/{restaurant_id}/sales.csv?period=30d")
    assert sheet.status == 200 and sheet.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(await sheet.text())))
    assert ["orders", "", "1"] in rows and ["period", "", "30d"] in rows
    assert (await chopbar.get(f"/console/restaurants/{restaurant_id}/sales?period=year")).status == 400


@pytest.mark.parametrize("path", ["menu", "hours", "sales", "sales.csv"])
async def test_staff_are_refused_the_menu_hours_and_sales(chopbar, path):
    restaurant_id, _ = await menu_item(chopbar)
    await console_sign_in(chopbar, STAFF)
    answer = await chopbar.get(f"/console/restaurants/{restaurant_id}/{path}")
    assert answer.status == 403 and "owner / manager" in await answer.text()


async def test_a_menu_form_without_the_csrf_token_is_refused(chopbar):
    restaurant_id, dish = await _dish(chopbar)
    await console_sign_in(chopbar, OWNER)
    editor = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/menu")).text()
    form = _dish_form(editor, dish, price_xaf="4000")
    del form["csrf"]
    answer = await chopbar.post(f"/console/restaurants/{restaurant_id}/menu/dishes/{dish['id']}", data=form)
    assert answer.status == 403
    assert (await _public_dish(chopbar, restaurant_id, dish["id"]))["price_xaf"] == dish["price_xaf"]


async def test_the_board_links_the_owner_to_the_menu_hours_and_sales_and_staff_to_none_of_them(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    board = await console_sign_in(chopbar, OWNER)
    for path in ("menu", "hours", "sales"):
        assert f'href="/console/restaurants/{restaurant_id}/{path}"' in board
    await chopbar.post("/console/logout", data={"csrf": csrf_of(board)})
    board = await console_sign_in(chopbar, STAFF)
    assert f'href="/console/restaurants/{restaurant_id}"' in board
    assert f'href="/console/restaurants/{restaurant_id}/menu"' not in board and "/sales" not in board


async def test_an_option_group_added_to_a_dish_then_deleted(chopbar):
    restaurant_id, dish = await _dish(chopbar)
    await console_sign_in(chopbar, OWNER)
    editor = await (await chopbar.get(f"/console/restaurants/{restaurant_id}/menu")).text()
    base = f"/console/restaurants/{restaurant_id}/menu"
    form = {"csrf": csrf_of(editor), "name_fr": "Taille", "name_en": "Size", "kind": "one", "option_fr": "Grand",
            "option_en": "Large", "price_delta_xaf": "500"}
    added = await chopbar.post(f"{base}/dishes/{dish['id']}/groups", data=form, headers={"HX-Request": "true"})
    assert "Saved." in await added.text()
    public = await _public_dish(chopbar, restaurant_id, dish["id"])
    [group] = public["option_groups"]
    assert (group["name_en"], group["min"], group["max"]) == ("Size", 1, 1)
    assert [(o["name_en"], o["price_delta_xaf"]) for o in group["options"]] == [("Large", 500)]
    refused = await chopbar.post(f"{base}/dishes/{dish['id']}/groups", data={**form, "kind": "many"})
    assert "kind" in await refused.text()
    await chopbar.post(f"{base}/groups/{group['id']}/delete", data={"csrf": csrf_of(editor)})
    assert (await _public_dish(chopbar, restaurant_id, dish["id"]))["option_groups"] == []
