"""Owners and managers editing a whole menu over REST: categories, dishes, option groups and
options, the layout, deleting what past orders name; everyone else refused; and the change on
USSD and SMS at once."""
import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core.models import AuditEvent, MenuItem, Role
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import order_body
from tests.channels.test_api_shopping import keyed
from tests.sms import last, text
from tests.ussd import gateway_for, pick

OWNER, STAFF, OTHER_OWNER = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone, "+237699100003"
MANAGER = "+237699777001"
SKEWERS = {"name_fr": "Brochettes de boeuf", "name_en": "Beef skewers", "price_xaf": 1500,
           "description_fr": "Trois brochettes, piment à part", "description_en": "Three skewers, chilli aside",
           "option_groups": [{"name_fr": "Accompagnement", "name_en": "Side", "min_choices": 1, "max_choices": 1,
                              "options": [{"name_fr": "Miondo", "name_en": "Miondo"},
                                          {"name_fr": "Plantain frit", "name_en": "Fried plantain", "price_delta_xaf": 300}]}]}


async def restaurant_id_of(chopbar) -> int:
    found = await (await chopbar.get("/api/v1/restaurants", params={"name": "maman ngo"})).json()
    return found["items"][0]["id"]


async def manager_of(chopbar, restaurant_id: int) -> dict:
    """A person made manager of the restaurant, signed in with that role."""
    await sign_in(chopbar, MANAGER)
    async with chopbar.app[DATABASE].unit() as unit:
        account = await demo.account(unit, MANAGER)
        unit.session.add(Role(account_id=account.id, role="manager", restaurant_id=restaurant_id))
    return await sign_in(chopbar, MANAGER)


async def editable(chopbar, restaurant_id: int, tokens: dict) -> dict:
    answer = await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu/editable", headers=bearer(tokens))
    assert answer.status == 200, await answer.text()
    return await answer.json()


def dishes_of(menu: dict) -> list[dict]:
    return [d for c in menu["categories"] for d in c["dishes"]]


async def add_grills(chopbar, restaurant_id: int, tokens: dict, key: str = "g") -> tuple[dict, dict]:
    base = f"/api/v1/restaurants/{restaurant_id}/menu"
    category = await chopbar.post(f"{base}/categories", json={"name_fr": "Brochettes", "name_en": "Skewers"},
                                  headers=keyed(tokens, f"{key}-c"))
    assert category.status == 201, await category.text()
    category = await category.json()
    dish = await chopbar.post(f"{base}/dishes", json={**SKEWERS, "category_id": category["id"]}, headers=keyed(tokens, f"{key}-d"))
    assert dish.status == 201, await dish.text()
    return category, await dish.json()


async def test_an_owner_adds_a_dish_that_shows_at_once_on_ussd_and_by_sms(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    before = dishes_of(await editable(chopbar, restaurant_id, owner))
    session = gateway_for(chopbar).dial(demo.CUSTOMER_FR.phone)
    await session.open()  # the snapshot is loaded before the change
    category, dish = await add_grills(chopbar, restaurant_id, owner)
    assert dish["number"] == len(before) + 1 and dish["category_id"] == category["id"]
    assert dish["option_groups"][0]["options"][1]["price_delta_xaf"] == 300
    menu = await editable(chopbar, restaurant_id, owner)
    assert [c["name_fr"] for c in menu["categories"]][-1] == "Brochettes"
    assert [d["number"] for d in dishes_of(menu)] == list(range(1, len(before) + 2))

    await pick(session, "Commander")
    await pick(session, "Yaounde")
    await pick(session, "Chez Maman Ngo")
    await pick(session, "Brochettes")
    screen = await pick(session, "Brochettes de boeuf")
    assert "Accompagnement" in screen and "Plantain frit" in screen

    phone = demo.CUSTOMER_FR.phone
    await text(chopbar, phone, "MENU bastos")
    listing = await last(chopbar, phone)
    number = next(part.split()[0] for part in listing.split(": ", 1)[1].split(", ") if "Chez Maman Ngo" in part)
    await text(chopbar, phone, f"MENU {number}")
    assert f"{dish['number']} Brochettes de boeuf 1 500" in await last(chopbar, phone)

    async with chopbar.app[DATABASE].unit() as unit:
        triggers = list(await unit.session.scalars(
            select(AuditEvent.trigger).where(AuditEvent.entity == "restaurant", AuditEvent.entity_ref == str(restaurant_id))))
    assert {"category_added", "dish_added"} <= set(triggers)


async def test_a_manager_renames_moves_lays_out_and_deletes(chopbar):
    restaurant_id = await restaurant_id_of(chopbar)
    manager = await manager_of(chopbar, restaurant_id)
    category, dish = await add_grills(chopbar, restaurant_id, manager)
    base = f"/api/v1/restaurants/{restaurant_id}/menu"
    renamed = await chopbar.patch(f"{base}/categories/{category['id']}", json={"name_en": "From the grill"}, headers=bearer(manager))
    assert renamed.status == 200 and (await renamed.json())["name_en"] == "From the grill"
    first = (await editable(chopbar, restaurant_id, manager))["categories"][0]
    moved = await chopbar.patch(f"{base}/dishes/{dish['id']}", json={"category_id": first["id"], "price_xaf": 1800},
                                headers=bearer(manager))
    moved = await moved.json()
    assert moved["number"] == len(first["dishes"]) + 1 and moved["price_xaf"] == 1800  # last of the first category
    menu = await editable(chopbar, restaurant_id, manager)
    assert [d["number"] for d in dishes_of(menu)] == list(range(1, len(dishes_of(menu)) + 1))

    layout = [{"id": c["id"], "dish_ids": [d["id"] for d in reversed(c["dishes"])]} for c in reversed(menu["categories"])]
    laid = await chopbar.put(f"{base}/layout", json={"categories": layout}, headers=bearer(manager))
    assert laid.status == 200, await laid.text()
    laid = await laid.json()
    assert [c["id"] for c in laid["categories"]] == [c["id"] for c in layout]
    assert [d["id"] for d in dishes_of(laid)] == [i for c in layout for i in c["dish_ids"]]
    assert [d["number"] for d in dishes_of(laid)] == list(range(1, len(dishes_of(menu)) + 1))
    partial = await chopbar.put(f"{base}/layout", json={"categories": layout[1:]}, headers=bearer(manager))
    assert partial.status == 400 and "categories" in (await partial.json())["error"]["message"]

    assert (await chopbar.delete(f"{base}/categories/{first['id']}", headers=bearer(manager))).status == 409
    assert (await chopbar.delete(f"{base}/dishes/{dish['id']}", headers=bearer(manager))).status == 204
    assert (await chopbar.delete(f"{base}/categories/{category['id']}", headers=bearer(manager))).status == 204
    after = await editable(chopbar, restaurant_id, manager)
    assert dish["id"] not in {d["id"] for d in dishes_of(after)}
    assert [d["number"] for d in dishes_of(after)] == list(range(1, len(dishes_of(after)) + 1))
    async with chopbar.app[DATABASE].unit() as unit:
        assert await unit.session.get(MenuItem, dish["id"]) is None  # nothing named it: deleted, not archived


async def test_option_groups_and_options_are_added_changed_and_deleted(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    _, dish = await add_grills(chopbar, restaurant_id, owner)
    base = f"/api/v1/restaurants/{restaurant_id}/menu"
    group = await chopbar.post(f"{base}/dishes/{dish['id']}/groups", headers=keyed(owner, "grp"), json={
        "name_fr": "Suppléments", "name_en": "Extras", "min_choices": 0, "max_choices": 2,
        "options": [{"name_fr": "Oeuf", "name_en": "Egg", "price_delta_xaf": 200}]})
    assert group.status == 201, await group.text()
    group = await group.json()
    option = await chopbar.post(f"{base}/groups/{group['id']}/options", json={"name_fr": "Frites", "name_en": "Chips",
                                "price_delta_xaf": 500}, headers=keyed(owner, "opt"))
    assert option.status == 201
    option = await option.json()
    changed = await chopbar.patch(f"{base}/options/{option['id']}", json={"price_delta_xaf": 400, "available": False},
                                  headers=bearer(owner))
    assert (await changed.json()) == {**option, "price_delta_xaf": 400, "available": False}
    tighter = await chopbar.patch(f"{base}/groups/{group['id']}", json={"min_choices": 3}, headers=bearer(owner))
    assert tighter.status == 400 and "min_choices" in (await tighter.json())["error"]["message"]
    assert (await chopbar.delete(f"{base}/options/{option['id']}", headers=bearer(owner))).status == 204
    only = group["options"][0]["id"]
    assert (await chopbar.delete(f"{base}/options/{only}", headers=bearer(owner))).status == 409
    assert (await chopbar.delete(f"{base}/groups/{group['id']}", headers=bearer(owner))).status == 204
    shown = next(d for d in dishes_of(await editable(chopbar, restaurant_id, owner)) if d["id"] == dish["id"])
    assert [g["name_en"] for g in shown["option_groups"]] == ["Side"]


async def test_a_dish_past_orders_name_is_archived_and_the_order_keeps_its_line(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    menu = await editable(chopbar, restaurant_id, owner)
    dish = next(d for d in dishes_of(menu) if d["available"] and not d["option_groups"])
    customer = await sign_in(chopbar, demo.CUSTOMER_FR.phone)
    placed = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, dish["id"]), headers=keyed(customer, "o1"))
    code = (await placed.json())["code"]
    assert (await chopbar.delete(f"/api/v1/restaurants/{restaurant_id}/menu/dishes/{dish['id']}", headers=bearer(owner))).status == 204
    after = await editable(chopbar, restaurant_id, owner)
    assert dish["id"] not in {d["id"] for d in dishes_of(after)}
    assert [d["number"] for d in dishes_of(after)] == list(range(1, len(dishes_of(menu))))
    public = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    assert dish["id"] not in {d["id"] for d in public["dishes"]}
    order = await (await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(customer))).json()
    assert [line["name_fr"] for line in order["lines"]] == [dish["name_fr"]]
    again = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, dish["id"]), headers=keyed(customer, "o2"))
    assert again.status == 400 and "not on the menu" in (await again.json())["error"]["message"]
    async with chopbar.app[DATABASE].unit() as unit:
        kept = await unit.session.get(MenuItem, dish["id"])
        assert kept.archived_at is not None and kept.position == 0


@pytest.mark.parametrize("body, field", [
    ({"price_xaf": 10}, "price_xaf"),
    ({"name_fr": "x" * 41}, "name_fr"),
    ({"name_en": ""}, "name_en"),
    ({"option_groups": [{**SKEWERS["option_groups"][0], "min_choices": 2}]}, "min_choices"),
    ({"option_groups": [{**SKEWERS["option_groups"][0], "options": []}]}, "options"),
    ({"name_fr": "Ndolè"}, "name_fr"),  # already on the menu
])
async def test_a_bad_dish_is_a_400_naming_the_field(chopbar, body, field):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    menu = await editable(chopbar, restaurant_id, owner)
    taken = dishes_of(menu)[0]["name_fr"]
    body = {k: (taken if v == "Ndolè" else v) for k, v in body.items()}
    answer = await chopbar.post(f"/api/v1/restaurants/{restaurant_id}/menu/dishes", headers=keyed(owner, "bad"),
                                json={**SKEWERS, "category_id": menu["categories"][0]["id"], **body})
    assert answer.status == 400, await answer.text()
    assert field in (await answer.json())["error"]["message"]


async def test_a_category_of_another_restaurant_is_not_found(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    other = await (await chopbar.get("/api/v1/restaurants", params={"name": "essos"})).json()
    other_menu = await (await chopbar.get(f"/api/v1/restaurants/{other['items'][0]['id']}/menu")).json()
    answer = await chopbar.post(f"/api/v1/restaurants/{restaurant_id}/menu/dishes", headers=keyed(owner, "x"),
                                json={**SKEWERS, "category_id": other_menu["dishes"][0]["category_id"]})
    assert answer.status == 404 and "category_id" in (await answer.json())["error"]["message"]


async def test_staff_another_owner_and_a_customer_may_not_edit_the_menu(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    category, dish = await add_grills(chopbar, restaurant_id, owner)
    group, option = dish["option_groups"][0], dish["option_groups"][0]["options"][0]
    base = f"/api/v1/restaurants/{restaurant_id}/menu"
    calls = [
        ("GET", f"{base}/editable", None),
        ("PUT", f"{base}/layout", {"categories": []}),
        ("POST", f"{base}/categories", {"name_fr": "Boissons fraîches", "name_en": "Cold drinks"}),
        ("PATCH", f"{base}/categories/{category['id']}", {"name_fr": "Braise"}),
        ("DELETE", f"{base}/categories/{category['id']}", None),
        ("POST", f"{base}/dishes", {**SKEWERS, "name_fr": "Suya", "name_en": "Suya", "category_id": category["id"]}),
        ("PATCH", f"{base}/dishes/{dish['id']}", {"price_xaf": 2000}),
        ("DELETE", f"{base}/dishes/{dish['id']}", None),
        ("POST", f"{base}/dishes/{dish['id']}/groups", {**group, "name_fr": "Sauce", "name_en": "Sauce"}),
        ("PATCH", f"{base}/groups/{group['id']}", {"name_en": "Sides"}),
        ("DELETE", f"{base}/groups/{group['id']}", None),
        ("POST", f"{base}/groups/{group['id']}/options", {"name_fr": "Riz", "name_en": "Rice"}),
        ("PATCH", f"{base}/options/{option['id']}", {"available": False}),
        ("DELETE", f"{base}/options/{option['id']}", None),
        ("GET", f"{base}.csv", None),
        ("PUT", f"{base}.csv", "category_fr,dish_fr,price_xaf\nPlats,Ndole,2000\n"),
    ]
    for phone in (STAFF, OTHER_OWNER, demo.CUSTOMER_FR.phone):
        tokens = await sign_in(chopbar, phone)
        for n, (method, path, body) in enumerate(calls):
            sent = {"data": body.encode(), "headers": {**keyed(tokens, f"{phone}-{n}"), "Content-Type": "text/csv"}} \
                if isinstance(body, str) else {"json": body, "headers": keyed(tokens, f"{phone}-{n}")}
            answer = await chopbar.request(method, path, **sent)
            assert answer.status == 403, (phone, method, path, await answer.text())
    assert dish["id"] in {d["id"] for d in dishes_of(await editable(chopbar, restaurant_id, owner))}


async def test_a_category_without_dishes_is_not_shown_to_customers(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    made = await chopbar.post(f"/api/v1/restaurants/{restaurant_id}/menu/categories", headers=keyed(owner, "empty"),
                              json={"name_fr": "Desserts", "name_en": "Desserts"})
    assert made.status == 201
    public = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    assert "Desserts" not in {c["name_en"] for c in public["restaurant"]["categories"]}
    assert "Desserts" in {c["name_en"] for c in (await editable(chopbar, restaurant_id, owner))["categories"]}
