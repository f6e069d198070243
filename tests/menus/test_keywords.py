"""The SMS grammar: either language, any case and spacing, one typo, and nothing else."""
import pytest
from hypothesis import given, strategies as st

from menus.keywords import Command, after_keyword, amount_xaf, normalize, order_items, parse, privacy_of


@pytest.mark.parametrize("text", ["accept 482137 15", "OUI 482137 15", " Accept  482137 15 ", "acept 482137 15", "ACCPET 482137 15"])
def test_restaurant_accepts_in_either_language_with_a_typo(text):
    assert parse(text, "restaurant") == Command("accept", ("482137", "15"))


@pytest.mark.parametrize(
    "text,name",
    [("aide", "help"), ("HELP", "help"), ("Statut 123456", "status"), ("annuler 123456", "cancel"),
     ("lang en", "lang"), ("arret", "stop"), ("Commande 3 2x2 5", "order"), ("oui", "yes"), ("Menu bastos", "menu"),
     ("STAUTS", "status"), ("cancle 1", "cancel"), ("livreur Paul Bastos", "driver"), ("DRIVER Paul Bastos", "driver"),
     ("Livreru Paul Bastos", "driver")],
)
def test_customer_words(text, name):
    assert parse(text, "customer").name == name


@pytest.mark.parametrize(
    "text,name",
    [("ON", "on"), ("off", "off"), ("prendre 123456", "take"), ("RECUPERE 123456", "pickup"), ("livre 123456 4821", "done"),
     ("gains", "earnings"), ("EARNINGS", "earnings")],
)
def test_driver_words(text, name):
    assert parse(text, "driver").name == name


def test_the_same_word_means_what_the_senders_role_says():
    assert parse("OUI 482137", "restaurant").name == "accept"
    assert parse("OUI", "customer").name == "yes"


def test_cash_at_the_end_is_a_flag():
    command = parse("ORDER 3 2x2 5 ESPECES", "customer")
    assert command.cash and command.args == ("3", "2X2", "5")


def test_short_words_are_not_guessed():
    assert parse("of", "driver") is None
    assert parse("xyz", "customer") is None


def test_order_items_read_dishes_and_quantities():
    assert order_items(("3", "2X2", "5")) == (3, [(2, 2), (5, 1)])
    assert order_items(("3",)) is None
    assert order_items(("A", "2")) is None
    assert order_items(("3", "2X0")) is None


@given(st.text(max_size=80))
def test_any_text_parses_or_not_without_error(text):
    for role in ("customer", "restaurant", "driver"):
        parse(text, role)


@pytest.mark.parametrize("text,name", [
    ("DISPO 3", "available"), ("available 3", "available"), ("Avialable 3", "available"), ("disponible 3", "available"),
    ("PRIX 3 2500", "price"), ("price 3 2500", "price"), ("PRICR 3 2500", "price"),
    ("BILAN", "report"), ("report", "report"), ("Bilna", "report"), ("REPROT", "report"),
    ("AUTO ON", "auto"), ("auto off", "auto"), ("AUOT ON", "auto"),
    ("REMIS 482137", "collected"), ("collected 482137", "collected"), ("colected 482137", "collected"),
])
def test_the_new_restaurant_words_in_either_language_with_a_typo(text, name):
    assert parse(text, "restaurant").name == name


@pytest.mark.parametrize("typed,amount", [
    ("2500", 2500), ("2 500", 2500), ("2.500", 2500), ("2,500", 2500), ("2500F", 2500), ("2500 FCFA", 2500),
    ("2 500 F", 2500), ("25000XAF", 25000), ("1 250 000", 1_250_000), ("750", 750),
])
def test_amounts_are_read_as_people_type_them(typed, amount):
    assert amount_xaf(tuple(normalize(typed))) == amount


@pytest.mark.parametrize("typed", ["", "abc", "2.50", "2 5000", "2500 euros", "F", "1234 567 8", "deux mille"])
def test_what_is_no_amount_reads_as_none(typed):
    assert amount_xaf(tuple(normalize(typed))) is None


@pytest.mark.parametrize(
    "text,rest",
    [("AIDE Ma commande est froide!", "Ma commande est froide!"), ("  help   where is it?  ", "where is it?"),
     ("HELP", ""), ("", ""), ("livreur Aimé Ndongo Biyem-Assi", "Aimé Ndongo Biyem-Assi")],
)
def test_what_follows_the_keyword_is_kept_as_written(text, rest):
    assert after_keyword(text) == rest


@pytest.mark.parametrize("text,name,args", [
    ("MYDATA", "mydata", ()), ("mes données", "mydata", ()), ("MesDonnees", "mydata", ()), ("my data", "mydata", ()),
    ("MYDTA", "mydata", ()), ("delete", "erase", ()), ("Supprimer oui", "erase", ("OUI",)), ("DELETE YES", "erase", ("YES",)),
    ("effacer", "erase", ()),
])
def test_the_privacy_keywords_read_in_either_language_whoever_sends_them(text, name, args):
    assert privacy_of(text) == Command(name, args)


@pytest.mark.parametrize("text", ["MENU", "DATA", "my order", "", "DELIVER", "mes commandes"])
def test_other_words_are_no_privacy_keyword(text):
    assert privacy_of(text) is None
