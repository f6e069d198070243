"""A customer's SMS: HELP, STATUS, CANCEL, LANG, STOP/START, ordering with MENU, ORDER, YES, and
the answers 1 (try again) and 2 (cash) to a second chance to pay.

An SMS order in progress (the last list shown, the basket waiting for YES, the address asked
for) is kept in the session store under the phone number for 30 minutes.
"""
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from menus.choices import STATUS_WORDS
from channels.session_store import SessionStore
from channels.sms import second_chance
from core import notices, order_changes, orders
from core.accounts import set_language
from core.catalog import Catalog
from core.db import Unit
from core.errors import ChopbarError
from core.formatting import money
from core.i18n import translate
from core.models import Account, Address, Order
from core.orders import Destination, LineRequest, Placement, price_basket
from core.payments import ensure_payment, refund_owed
from core.phones import operator_of
from menus import sms_texts as T
from menus.keywords import Command, order_items
from state_machines.order import OrderStatus

PENDING_TTL_S = 30 * 60
LISTED = 6
CANCELLABLE = {OrderStatus.AWAITING_PAYMENT.value, OrderStatus.PENDING_RESTAURANT.value}


@dataclass
class CustomerSms:
    unit: Unit
    store: SessionStore
    catalog: Catalog
    account: Account
    tz: str
    ussd_code: str
    payment_window_s: int
    woken: list[str] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.account.language

    def t(self, text: str, /, **values: Any) -> str:
        return translate(text, self.lang, **values)

    @property
    def key(self) -> str:
        return f"sms:{self.account.phone}"

    async def answer(self, command: Command | None, text: str) -> str:
        pending = await self.store.get(self.key) or {}
        if command is None:
            if pending.get("basket") and pending.get("asking_address"):
                return await self.address_given(pending, text)
            return self.t(T.NOT_UNDERSTOOD)
        handler = getattr(self, f"on_{command.name}")
        return await handler(command, pending)

    async def on_help(self, command: Command, pending: dict) -> str:
        return self.t(T.CUSTOMER_HELP, code=self.ussd_code)

    async def _latest(self) -> Any:
        found = await orders.customer_orders(self.unit, self.account.id, limit=1)
        return found[0] if found else None

    async def named_order(self, command: Command) -> Any:
        if command.args and command.args[0].isdigit():
            order = await self.unit.session.scalar(
                select(Order).where(Order.code == command.args[0], Order.account_id == self.account.id)
            )
            return order
        return await self._latest()

    async def on_status(self, command: Command, pending: dict) -> str:
        order = await self.named_order(command)
        if order is None:
            return self.t(T.NO_ORDERS)
        return self.status_line(order)

    def status_line(self, order: Order) -> str:
        return self.t(
            T.STATUS, code=order.code, restaurant=self.catalog.restaurant(order.restaurant_id).name,
            status=self.t(STATUS_WORDS[OrderStatus(order.status)]), total=money(order.total_xaf, self.lang),
        )

    async def on_cancel(self, command: Command, pending: dict) -> str:
        order = await self.named_order(command)
        if order is None:
            return self.t(T.NO_ORDERS)
        if order.status == OrderStatus.CANCELLED.value:
            return self.t(T.CANCELLED, code=order.code)
        if order.status not in CANCELLABLE:
            return self.t(T.CANNOT_CANCEL, code=order.code)
        await order_changes.cancel_by_customer(self.unit, order, self.account, reason="cancelled by SMS")
        return notices.cancelled_by_you(order, await refund_owed(self.unit, order), self.lang)

    async def on_retry(self, command: Command, pending: dict) -> str:
        return await second_chance.try_again(self, command)

    async def on_cash(self, command: Command, pending: dict) -> str:
        return await second_chance.pay_cash(self, command)

    async def on_lang(self, command: Command, pending: dict) -> str:
        wanted = (command.args[0] if command.args else "").lower()
        if wanted not in ("en", "fr"):
            return self.t(T.CUSTOMER_HELP, code=self.ussd_code)
        set_language(self.account, wanted)
        return self.t(T.LANGUAGE_SET)

    async def on_stop(self, command: Command, pending: dict) -> str:
        self.account.opted_out = True
        return self.t(T.STOPPED)

    async def on_start(self, command: Command, pending: dict) -> str:
        self.account.opted_out = False
        return self.t(T.STARTED)

    async def on_no(self, command: Command, pending: dict) -> str:
        await self.store.delete(self.key)
        return self.t(T.NOTHING_TO_CONFIRM)

    async def _home_quarter(self) -> Any:
        address = await self.unit.session.scalar(
            select(Address).where(Address.account_id == self.account.id).order_by(Address.last_used_at.desc()).limit(1)
        )
        return self.catalog.quarter(address.quarter_id) if address and address.quarter_id else None

    async def on_menu(self, command: Command, pending: dict) -> str:
        if command.args and command.args[0].isdigit():
            return await self._dishes(int(command.args[0]), pending)
        if command.args:
            found = self.catalog.gazetteer.match(" ".join(command.args))
            if found is None:
                return self.t(T.UNKNOWN_QUARTER, text=" ".join(command.args).title())
            quarter = self.catalog.quarter(self.catalog.quarter_ids[(found.city, found.name)])
        else:
            quarter = await self._home_quarter() or self.catalog.quarter(self.catalog.quarter_ids[("Yaounde", "Centre-Ville")])
        listed = [l for l in self.catalog.restaurants_in(quarter.city, at=self.unit.now(), tz=self.tz, near=quarter) if l.is_open]
        listed = listed[:LISTED]
        await self.store.put(self.key, {"restaurants": [l.restaurant.id for l in listed], "quarter_id": quarter.id}, PENDING_TTL_S)
        shown = ", ".join(f"{n} {l.restaurant.name}" for n, l in enumerate(listed, 1))
        return self.t(T.MENU_PLACES, quarter=quarter.name, list=shown)

    def _restaurant(self, number: int, pending: dict) -> Any:
        ids = pending.get("restaurants") or []
        return self.catalog.restaurant(ids[number - 1]) if 0 < number <= len(ids) else None

    async def _dishes(self, number: int, pending: dict) -> str:
        restaurant = self._restaurant(number, pending)
        if restaurant is None:
            return self.t(T.NO_RESTAURANT, number=number)
        dishes = [d for d in self.catalog.dishes(restaurant.id) if d.available]
        shown = ", ".join(
            f"{d.position} {d.name_fr if self.lang == 'fr' else d.name_en} {money(d.price_xaf, self.lang).removesuffix(' FCFA')}"
            for d in dishes
        )
        return self.t(T.MENU_DISHES, restaurant=restaurant.name, list=shown, number=number)

    async def on_order(self, command: Command, pending: dict) -> str:
        read = order_items(command.args)
        if read is None:
            return self.t(T.ORDER_BAD)
        number, items = read
        restaurant = self._restaurant(number, pending)
        if restaurant is None:
            return self.t(T.NO_RESTAURANT, number=number)
        by_position = {d.position: d for d in self.catalog.dishes(restaurant.id)}
        lines = []
        for position, quantity in items:
            dish = by_position.get(position)
            if dish is None:
                return self.t(T.ORDER_BAD)
            # Required choices (a size) take the first offered; SMS keeps to the plain dish.
            options = [g.options[0].id for g in dish.option_groups if g.min_choices > 0]
            lines.append([dish.id, quantity, options])
        pending.update(basket={"restaurant_id": restaurant.id, "lines": lines, "cash": command.cash})
        address = await self.unit.session.scalar(
            select(Address).where(Address.account_id == self.account.id, Address.city == restaurant.city)
            .order_by(Address.last_used_at.desc()).limit(1)
        )
        if address is None:
            pending["asking_address"] = True
            await self.store.put(self.key, pending, PENDING_TTL_S)
            return self.t(T.ASK_ADDRESS)
        pending["address"] = {"id": address.id, "city": address.city, "quarter": address.quarter_text,
                              "quarter_id": address.quarter_id, "landmark": address.landmark}
        return await self._quote(pending)

    async def address_given(self, pending: dict, text: str) -> str:
        restaurant = self.catalog.restaurant(pending["basket"]["restaurant_id"])
        quarter_text, _, landmark = text.partition(",")
        found = self.catalog.gazetteer.match(quarter_text, city=restaurant.city)
        address = {"city": restaurant.city, "quarter": found.name if found else quarter_text.strip()[:80], "landmark": landmark.strip()[:120]}
        if found:
            address["quarter_id"] = self.catalog.quarter_ids[(found.city, found.name)]
        pending.update(address=address, asking_address=False)
        return await self._quote(pending)

    def _destination(self, pending: dict) -> Destination:
        a = pending["address"]
        quarter = self.catalog.quarter(a.get("quarter_id"))
        return Destination(
            city=a["city"], quarter_text=a["quarter"], landmark=a.get("landmark", ""), quarter_id=a.get("quarter_id"),
            lat=quarter.lat if quarter else None, lon=quarter.lon if quarter else None, address_id=a.get("id"),
        )

    def _lines(self, pending: dict) -> list[LineRequest]:
        return [LineRequest(i, q, tuple(o)) for i, q, o in pending["basket"]["lines"]]

    async def _quote(self, pending: dict) -> str:
        basket = pending["basket"]
        restaurant = self.catalog.restaurant(basket["restaurant_id"])
        try:
            priced = price_basket(restaurant, self.catalog.items, self._lines(pending), self._destination(pending))
        except ChopbarError:
            return self.t(T.ORDER_BAD)
        await self.store.put(self.key, pending, PENDING_TTL_S)
        names = ", ".join(f"{l.quantity}x {l.item.name_fr if self.lang == 'fr' else l.item.name_en}" for l in priced.lines)
        return self.t(
            T.ORDER_TOTAL, lines=names, food=money(priced.subtotal_xaf, self.lang), fee=money(priced.delivery_fee_xaf, self.lang),
            total=money(priced.total_xaf, self.lang), how=self.t(T.PAY_CASH if basket["cash"] else T.PAY_MOBILE),
        )

    async def on_yes(self, command: Command, pending: dict) -> str:
        basket = pending.get("basket")
        if not basket or pending.get("asking_address"):
            return self.t(T.NOTHING_TO_CONFIRM if not basket else T.ASK_ADDRESS)
        cash = basket["cash"] or command.cash
        restaurant = self.catalog.restaurant(basket["restaurant_id"])
        method = "cash" if cash else _mobile_method(self.account.phone)
        try:
            order = await orders.place_order(
                self.unit,
                Placement(
                    customer=self.account, restaurant_id=restaurant.id, lines=self._lines(pending), payment_method=method,
                    channel="sms", language=self.lang, destination=self._destination(pending),
                ),
                tz=self.tz, catalog=self.catalog,
            )
        except ChopbarError:
            return self.t(T.ORDER_CLOSED, restaurant=restaurant.name)
        if not pending["address"].get("id"):
            await self._save_address(pending["address"])
        await ensure_payment(self.unit, order, window_s=self.payment_window_s)
        await self.store.delete(self.key)
        if method == "cash":
            return self.t(T.PLACED_CASH, code=order.code, restaurant=restaurant.name, total=money(order.total_xaf, self.lang))
        self.woken.append("payments")
        return self.t(T.PLACED_MOBILE, code=order.code, total=money(order.total_xaf, self.lang))

    async def _save_address(self, a: dict) -> None:
        quarter = self.catalog.quarter(a.get("quarter_id"))
        now = self.unit.now()
        self.unit.session.add(
            Address(account_id=self.account.id, city=a["city"], quarter_id=a.get("quarter_id"), quarter_text=a["quarter"],
                    landmark=a.get("landmark", ""), lat=quarter.lat if quarter else None, lon=quarter.lon if quarter else None,
                    created_at=now, last_used_at=now)
        )


def _mobile_method(phone: str) -> str:
    return "orange" if operator_of(phone) == "orange" else "mtn"
