"""A past order again: its basket, place and payment loaded, ready to confirm in one key."""
from core import destinations
from core.errors import ChopbarError
from core.order_views import OrderView
from menus.choices import Filled, amount, line_names, static_choices
from menus.hopping import Hopping
from menus.ordering.basket import basket_quote
from menus.ordering.checkout import pick_confirm
from menus.ordering.paying import payment_line
from menus.screen import N_, Option, Screen


async def load_reorder(h: Hopping, last: OrderView) -> None:
    """The basket, place and payment of a past order, ready to confirm in one key."""
    h.state.restaurant_id = last.restaurant_id
    h.state.lines = [[l.item_id, l.quantity, [o["id"] for o in l.options]] for l in last.lines]
    h.state.fulfilment = last.fulfilment
    h.state.payment = last.payment_method if last.payment_method in h.payment_methods else "cash"
    h.state.payer = last.payer_phone if h.state.payment != "cash" else None
    h.state.reorder_of = last.code
    where = destinations.of_order(h.catalog, last)
    h.state.address = destinations.fields(where) if where is not None else None


async def reorder(h: Hopping) -> Filled:
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    try:
        priced = basket_quote(h)
    except ChopbarError:  # a dish left the menu: the customer changes the basket instead
        return Filled(values={"restaurant": restaurant.name, "lines": "-", "total": "-", "payment": ""},
                      choices=static_choices(h, REORDER, {})[1:])
    values = {
        "restaurant": restaurant.name, "lines": line_names(h, priced.lines),
        "total": amount(h, priced.total_xaf), "payment": payment_line(h),
    }
    return Filled(values=values, choices=static_choices(h, REORDER, {}))


REORDER = Screen(
    name="reorder",
    title=N_("{restaurant}: {lines}\nTotal {total}\n{payment}"),
    options=(Option("confirm", N_("Confirm")), Option("change", N_("Change"))),
    fill=reorder,
    pick=pick_confirm,
)
