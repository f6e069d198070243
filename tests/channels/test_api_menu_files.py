"""A whole menu as CSV over REST: exported and imported back unchanged, written by hand in
French Excel's semicolons, refused row by row when wrong (changing nothing), and applied by
name so that ids and past orders stay linked."""
import csv
import io

from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_menus import dishes_of, editable, restaurant_id_of
from tests.channels.test_api_ordering import order_body
from tests.channels.test_api_shopping import keyed
from tests.sms import last, text

OWNER = demo.ALL_DAY_YAOUNDE.phone
CSV = {"Content-Type": "text/csv"}

FRENCH = (
    "\ufeffcategory_fr;category_en;dish_fr;dish_en;description_fr;price_xaf;available;group_fr;group_en;group_min;"
    "group_max;option_fr;option_en;option_delta_xaf\r\n"
    "Plats;Plates;Ndole;Ndole;Ndolè aux crevettes;2 500;oui;Accompagnement;Side;1;1;Miondo;Miondo;0\r\n"
    "Plats;Plates;Ndole;Ndole;Ndolè aux crevettes;2 500;oui;Accompagnement;Side;1;1;Plantain mûr;Ripe plantain;200\r\n"
    "Plats;Plates;Poisson braisé;Grilled fish;\"Bar, piment; oignons\";4 000;oui;;;;;;;\r\n"
    "Boissons;Drinks;Jus de corossol;Soursop juice;;500;non;;;;;;;\r\n"
    ";;;;;;;;;;;;;\r\n"
)


async def export(chopbar, restaurant_id: int, tokens: dict, **params) -> str:
    answer = await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu.csv", params=params, headers=bearer(tokens))
    assert answer.status == 200 and answer.content_type == "text/csv", await answer.text()
    return (await answer.read()).decode("utf-8")


async def put(chopbar, restaurant_id: int, tokens: dict, body: str | bytes):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return await chopbar.put(f"/api/v1/restaurants/{restaurant_id}/menu.csv", data=data, headers={**bearer(tokens), **CSV})


async def test_an_exported_menu_imports_back_unchanged_and_exports_the_same(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    before = await editable(chopbar, restaurant_id, owner)
    first = await export(chopbar, restaurant_id, owner)
    assert first.startswith("\ufeffcategory_fr,category_en,dish_fr,dish_en,")
    rows = list(csv.DictReader(io.StringIO(first.removeprefix("\ufeff"))))
    assert len({r["dish_fr"] for r in rows}) == len(dishes_of(before))
    done = await put(chopbar, restaurant_id, owner, first)
    assert done.status == 200, await done.text()
    assert await done.json() == {"categories": len(before["categories"]), "dishes": len(dishes_of(before)), "added": 0,
                                 "removed": 0, "archived": 0}
    assert await editable(chopbar, restaurant_id, owner) == before  # ids, numbers, options: all as they were
    assert await export(chopbar, restaurant_id, owner) == first
    semicolons = await export(chopbar, restaurant_id, owner, separator="semicolon")
    assert semicolons.splitlines()[0].startswith("\ufeffcategory_fr;category_en;")
    assert (await put(chopbar, restaurant_id, owner, semicolons)).status == 200
    assert await export(chopbar, restaurant_id, owner) == first


async def test_a_french_excel_file_replaces_the_menu_and_keeps_what_past_orders_name(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    before = dishes_of(await editable(chopbar, restaurant_id, owner))
    ndole = next(d for d in before if d["name_fr"] == "Ndole")
    ordered = next(d for d in before if d["available"] and not d["option_groups"] and d["name_fr"] not in FRENCH)
    customer = await sign_in(chopbar, demo.CUSTOMER_FR.phone)
    assert (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, ordered["id"]), headers=keyed(customer, "o"))).status == 201
    done = await put(chopbar, restaurant_id, owner, FRENCH)
    assert done.status == 200, await done.text()
    summary = await done.json()
    assert summary["categories"] == 2 and summary["dishes"] == 3 and summary["added"] == 1
    assert summary["removed"] == len(before) - 2 and summary["archived"] == 1  # an order names it

    menu = await editable(chopbar, restaurant_id, owner)
    assert [c["name_fr"] for c in menu["categories"]] == ["Plats", "Boissons"]
    dishes = dishes_of(menu)
    assert [(d["number"], d["name_fr"], d["price_xaf"], d["available"]) for d in dishes] == [
        (1, "Ndole", 2500, True), (2, "Poisson braisé", 4000, True), (3, "Jus de corossol", 500, False)]
    assert dishes[0]["id"] == ndole["id"] and dishes[0]["description_fr"] == "Ndolè aux crevettes"
    assert [(o["name_en"], o["price_delta_xaf"]) for o in dishes[0]["option_groups"][0]["options"]] == [
        ("Miondo", 0), ("Ripe plantain", 200)]
    fish = next(d for d in before if d["name_en"] == "Grilled fish")  # found by its English name: same dish, options gone
    assert dishes[1]["id"] == fish["id"] and dishes[1]["option_groups"] == [] and dishes[1]["description_en"] == ""

    phone = demo.CUSTOMER_FR.phone
    await text(chopbar, phone, "MENU bastos")
    listing = await last(chopbar, phone)
    number = next(part.split()[0] for part in listing.split(": ", 1)[1].split(", ") if "Chez Maman Ngo" in part)
    await text(chopbar, phone, f"MENU {number}")
    shown = await last(chopbar, phone)
    assert "1 Ndole 2 500" in shown and "2 Poisson braisé 4 000" in shown and ordered["name_fr"] not in shown

    order = (await (await chopbar.get("/api/v1/orders", headers=bearer(customer))).json())["items"][0]
    assert [line["name_fr"] for line in order["lines"]] == [ordered["name_fr"]]


async def test_a_file_with_mistakes_names_each_row_and_column_and_changes_nothing(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    before = await export(chopbar, restaurant_id, owner)
    wrong = (
        "category_fr,dish_fr,dish_en,price_xaf,available,group_fr,group_min,group_max,option_fr\n"
        "Plats,Ndole,Ndole,cheap,yes,,,,\n"        # row 2: the price
        "Plats,,Eru,1500,yes,,,,\n"                 # row 3: no French name
        "Plats,Koki,Koki,1000,maybe,,,,\n"          # row 4: availability
        "Plats,Okok,Ndole,1200,yes,,,,\n"           # row 5: English name of row 2's dish
        "Plats,Achu,Achu,2000,yes,Taille,3,2,Grand\n"  # row 6: min above max
        "Plats,Soya,Soya,800,yes,,,,Piment\n"       # row 7: an option without its group
    )
    answer = await put(chopbar, restaurant_id, owner, wrong)
    assert answer.status == 400
    message = (await answer.json())["error"]["message"]
    for expected in ("row 2 price_xaf", "row 3 dish_fr", "row 4 available", "row 5 dish_en", "row 6 group_min",
                     "row 7 option_fr"):
        assert expected in message, (expected, message)
    assert await export(chopbar, restaurant_id, owner) == before


async def test_files_that_are_not_a_menu_get_a_clear_400(chopbar):
    restaurant_id, owner = await restaurant_id_of(chopbar), await sign_in(chopbar, OWNER)
    for body, said in (
        (b"", "empty"),
        ("category_fr;dish_fr\nPlats;Ndole\n".encode(), "price_xaf: this column is needed"),
        ("category_fr,dish_fr,price_xaf,colour\nPlats,Ndole,100,red\n".encode(), "row 1 colour: not a column"),
        ("category_fr,dish_fr,price_xaf\nPlats,Ndolè,100\n".encode("cp1252"), "UTF-8"),
        (b"category_fr,dish_fr,price_xaf\n", "no dish"),
        ("category_fr,dish_fr,price_xaf\nPlats,Ndole,100\nPlats,Ndole,100\n".encode(), "row 3 group_fr"),
    ):
        answer = await put(chopbar, restaurant_id, owner, body)
        assert answer.status == 400, (body, await answer.text())
        assert said in (await answer.json())["error"]["message"], (said, await answer.text())


async def test_staff_may_neither_export_nor_import(chopbar):
    restaurant_id, staff = await restaurant_id_of(chopbar), await sign_in(chopbar, demo.ALL_DAY_YAOUNDE.backup_phone)
    assert (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu.csv", headers=bearer(staff))).status == 403
    assert (await put(chopbar, restaurant_id, staff, FRENCH)).status == 403
