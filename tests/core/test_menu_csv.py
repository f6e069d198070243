"""Reading and writing a menu's CSV file, without a database."""
import pytest

from core import menu_csv
from core.errors import BadInput


def test_a_file_written_is_read_back_as_the_same_menu():
    rows = [
        {"category_fr": "Plats", "category_en": "Plates", "dish_fr": "Ndolè", "dish_en": "Ndole", "price_xaf": 3000,
         "available": True, "group_fr": "Taille", "group_en": "Size", "group_min": 1, "group_max": 1,
         "option_fr": "Petit", "option_en": "Small", "option_delta_xaf": 0, "option_available": True},
        {"category_fr": "Plats", "category_en": "Plates", "dish_fr": "Ndolè", "dish_en": "Ndole", "price_xaf": 3000,
         "available": True, "group_fr": "Taille", "group_en": "Size", "group_min": 1, "group_max": 1,
         "option_fr": "Grand", "option_en": "Large", "option_delta_xaf": 1000, "option_available": False},
        {"category_fr": "Boissons", "category_en": "Drinks", "dish_fr": "Jus, \"maison\"", "dish_en": "Juice",
         "description_fr": "Gingembre; citron", "price_xaf": 500, "available": False},
    ]
    for separator in (",", ";"):
        sheet = menu_csv.read(menu_csv.write(rows, separator).encode())
        assert [c.name_en for c in sheet.categories] == ["Plates", "Drinks"]
        ndole, juice = sheet.dishes
        assert [(o.name_en, o.price_delta_xaf, o.available) for o in ndole.groups[0].options] == [
            ("Small", 0, True), ("Large", 1000, False)]
        assert (juice.name_fr, juice.description_fr, juice.available, juice.groups) == (
            'Jus, "maison"', "Gingembre; citron", False, [])


def test_blank_english_names_take_the_french_ones_and_prices_may_have_spaces_between_thousands():
    body = "dish_fr\tcategory_fr\tprice_xaf\nPoulet DG\tPlats\t4\u202f500\n".encode()
    dish = menu_csv.read(body).dishes[0]
    assert (dish.name_en, dish.price_xaf, dish.available) == ("Poulet DG", 4500, True)
    assert menu_csv.read(menu_csv.BOM.encode() + body).dishes[0].name_fr == "Poulet DG"


@pytest.mark.parametrize("row, said", [
    ("Plats,Ndole,40", "row 2 price_xaf"),
    ("Plats,Ndole,1000000000000", "row 2 price_xaf"),
    (",Ndole,1000", "row 2 category_fr"),
    ("Plats,Ndole,1000,extra", "row 2 column 4"),
])
def test_each_mistake_names_its_row_and_column(row, said):
    with pytest.raises(BadInput, match=said):
        menu_csv.read(f"category_fr,dish_fr,price_xaf\n{row}\n".encode())


def test_a_dish_given_twice_differently_is_refused_at_the_second_row():
    body = "category_fr,dish_fr,price_xaf,group_fr,option_fr\nPlats,Ndole,1000,Taille,Petit\nPlats,Ndole,1200,Taille,Grand\n"
    with pytest.raises(BadInput, match="row 3 price_xaf: differs from row 2"):
        menu_csv.read(body.encode())
