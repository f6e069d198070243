"""Restaurants and menus for the apps: search by city, quarter, name and dish; ETags on reads."""


async def test_restaurants_of_a_city_open_ones_first(chopbar):
    body = await (await chopbar.get("/api/v1/restaurants", params={"city": "Yaounde"})).json()
    opens = [r["open_now"] for r in body["items"]]
    assert len(body["items"]) >= 8 and opens == sorted(opens, reverse=True)


async def test_search_near_a_typed_quarter_by_dish_and_by_name(chopbar):
    near = await (await chopbar.get("/api/v1/restaurants", params={"quarter": "bonapriso"})).json()
    assert near["items"][0]["city"] == "Douala" and near["items"][0]["distance_km"] is not None
    ndole = await (await chopbar.get("/api/v1/restaurants", params={"dish": "ndole"})).json()
    assert ndole["items"]
    named = await (await chopbar.get("/api/v1/restaurants", params={"name": "maman ngo"})).json()
    assert [r["slug"] for r in named["items"]] == ["mama-ngo-bastos"]


async def test_a_menu_with_options_and_an_etag(chopbar):
    first = await chopbar.get("/api/v1/restaurants", params={"name": "maman ngo"})
    restaurant_id = (await first.json())["items"][0]["id"]
    menu = await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")
    body = await menu.json()
    assert len(body["dishes"]) >= 8 and any(d["option_groups"] for d in body["dishes"])
    again = await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu", headers={"If-None-Match": menu.headers["ETag"]})
    assert again.status == 304


async def test_bad_searches_are_clear_4xx(chopbar):
    assert (await chopbar.get("/api/v1/restaurants", params={"city": "Kribi"})).status == 400
    assert (await chopbar.get("/api/v1/restaurants", params={"quarter": "zzyzx"})).status == 400
    assert (await chopbar.get("/api/v1/restaurants/abc/menu")).status == 404
    assert (await chopbar.get("/api/v1/restaurants/99999/menu")).status == 404
