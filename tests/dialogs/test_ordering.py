"""A whole order through the engine: the browsing hops, the checkout, the order in the database."""
from sqlalchemy import func, select

from core.models import Order


async def _to_quantity(phone) -> None:
    await phone.dial()
    for label in ("Commander", "Yaounde", "Chez Maman Ngo", "Plats", "Poulet DG"):
        await phone.pick(label)
    while phone.last.view.screen == "choice":
        await phone.press("1")


async def test_a_cash_pickup_order_is_placed_once_even_when_the_confirm_is_replayed(caller, db):
    phone = caller()
    await _to_quantity(phone)
    basket = await phone.press("2")
    assert basket.view.screen == "basket"
    for label in ("Valider", "emporter", "comptoir"):
        await phone.pick(label)
    assert phone.last.view.screen == "summary"
    placed = await phone.pick("Confirmer")
    assert placed.view.screen == "placed" and placed.body.startswith("END Commande")
    again = await phone.replay()
    assert again.body == placed.body
    async with db.unit() as unit:
        orders = await unit.session.scalar(select(func.count()).select_from(Order))
    assert orders == 1


async def test_a_typed_quantity_out_of_range_is_refused_on_the_same_screen(caller):
    phone = caller()
    await _to_quantity(phone)
    refused = await phone.press("21")
    assert refused.view.screen == "quantity"
    assert refused.view.hint is not None
