"""A customer's SMS: HELP, STATUS, CANCEL, LANG, STOP/START, ordering with MENU, FIND, ORDER, YES, the
answers 1 (try again) and 2 (cash) to a second chance to pay, and a rating after delivery
(`5`, `4 3 cold food`, `NOTE 4`: channels.sms.ratings).

An SMS order in progress (the last list shown, the basket waiting for YES, the address asked
for) is kept in the session store under the phone number for 30 minutes.
"""
from dataclasses import dataclass, field, replace
from typing import Any

from menus.choices import STATUS_WORDS
from channels.session_store import SessionStore
from channels.sms import dish_search, favourites as favourites_by_sms, ratings, second_chance
from channels.sms.help_desk import apply_to_drive, ask_support, wants_support
from core import destinations
from core.catalog import Catalog
from core.db import Unit
from core.errors import ChopbarError
from core.formatting import money
from core.i18n import translate
from core.models import Account
from core.order_views import OrderView
from core.orders import Destination, LineRequest
from core.phones import display, operator_of, to_e164
from core.promotions import PromoRefused
from core.use_cases import customers, helpdesk, loyalty, ordering
from core.use_cases.rating import DEFAULT_WINDOW_S
from menus import sms_texts as T
from menus.keywords import Command, order_items, promo_of
from state_machines.order import OrderStatus

PENDING_TTL_S = 30 * 60
LISTED = 6
_REFUSALS = {"own": T.INVITE_OWN, "customer": T.INVITE_CUSTOMER, "stopped": T.INVITE_STOPPED, "invited": T.INVITE_REPEAT}


@dataclass
class CustomerSms:
    unit: Unit
    store: SessionStore
    catalog: Catalog
    account: Account
    tz: str
    ussd_code: str
    payment_window_s: int
    channel: str = "sms"
    default_language: str = "fr"  # an invited friend's, whose language we cannot know
    rating_window_s: int = DEFAULT_WINDOW_S
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
        if command is None and pending.get("basket") and pending.get("asking_address"):
            return await self.address_given(pending, text)
        rated = await ratings.answer(
            self.unit, account_id=self.account.id, restaurant_name=lambda rid: self.catalog.restaurant(rid).name,
            command=command, text=text, language=self.lang, channel=self.channel, window_s=self.rating_window_s,
        )
        if rated is not None:
            return rated
        if command is None:
            return self.t(T.NOT_UNDERSTOOD)
        if (message := wants_support(command, text)) is not None:
            asker = helpdesk.Asker(self.account.phone, "customer", self.lang, self.account.id)
            return await ask_support(self.unit, asker, message, self.channel)
        if command.name == "driver":
            return await apply_to_drive(self.unit, self.catalog, self.account.phone, text, self.lang, self.channel)
        handler = getattr(self, f"on_{command.name}")
        return await handler(command, pending)

    async def on_help(self, command: Command, pending: dict) -> str:
        return self.t(T.CUSTOMER_HELP, code=self.ussd_code)

    async def named_order(self, command: Command) -> OrderView | None:
        """The customer's order the command names, or their latest."""
        code = command.args[0] if command.args and command.args[0].isdigit() else None
        return await ordering.customer_order(self.unit, self.account.id, code)

    async def on_status(self, command: Command, pending: dict) -> str:
        order = await self.named_order(command)
        if order is None:
            return self.t(T.NO_ORDERS)
        return self.status_line(order)

    def status_line(self, order: OrderView) -> str:
        return self.t(
            T.STATUS, code=order.code, restaurant=self.catalog.restaurant(order.restaurant_id).name,
            status=self.t(STATUS_WORDS[OrderStatus(order.status)]), total=money(order.total_xaf, self.lang),
        )

    async def on_cancel(self, command: Command, pending: dict) -> str:
        order = await self.named_order(command)
        if order is None:
            return self.t(T.NO_ORDERS)
        cancelled = await ordering.cancel(self.unit, order.code, account_id=self.account.id, language=self.lang,
                                          reason="cancelled by SMS")
        if cancelled.already:
            return self.t(T.CANCELLED, code=order.code)
        if not cancelled.done:
            return self.t(T.CANNOT_CANCEL, code=order.code)
        return cancelled.notice

    async def on_fav(self, command: Command, pending: dict) -> str:
        return await favourites_by_sms.answer(self, command, pending, kept_for=PENDING_TTL_S)

    async def on_retry(self, command: Command, pending: dict) -> str:
        return await second_chance.try_again(self, command)

    async def on_cash(self, command: Command, pending: dict) -> str:
        return await second_chance.pay_cash(self, command)

    async def on_lang(self, command: Command, pending: dict) -> str:
        wanted = (command.args[0] if command.args else "").lower()
        if wanted not in ("en", "fr"):
            return self.t(T.CUSTOMER_HELP, code=self.ussd_code)
        await customers.choose_language(self.unit, self.account.id, wanted)
        return self.t(T.LANGUAGE_SET)

    async def on_stop(self, command: Command, pending: dict) -> str:
        await customers.hear_from_us(self.unit, self.account.id, False)
        return self.t(T.STOPPED)

    async def on_start(self, command: Command, pending: dict) -> str:
        await customers.hear_from_us(self.unit, self.account.id, True)
        return self.t(T.STARTED)

    async def on_points(self, command: Command, pending: dict) -> str:
        got = await loyalty.standing(self.unit, self.account.id, movements=0)
        if not got.points:
            rules = loyalty.rules()
            return self.t(T.POINTS_NONE, rate=money(rules.xaf_per_point, self.lang), reward=rules.referral_points)
        return self.t(T.POINTS, points=got.points, worth=money(got.worth_xaf, self.lang), tier=got.tier.name(self.lang))

    async def on_invite(self, command: Command, pending: dict) -> str:
        if not command.args:
            return self.t(T.INVITE_HOW)
        number = "".join(command.args)
        try:
            done = await loyalty.invite(self.unit, self.account.id, number, language=self.default_language,
                                        ussd_code=self.ussd_code)
        except loyalty.InvitationRefused as refused:
            shown = display(to_e164(number))
            return self.t(_REFUSALS[refused.reason], phone=shown)
        except ChopbarError:
            return self.t(T.INVITE_BAD_NUMBER, text=number[:16])
        return self.t(T.INVITED, phone=display(done.phone), points=done.reward_points)

    async def on_no(self, command: Command, pending: dict) -> str:
        await self.store.delete(self.key)
        return self.t(T.NOTHING_TO_CONFIRM)

    async def _home_quarter(self) -> Any:
        saved = await customers.saved_destinations(self.unit, self.catalog, self.account.id, limit=1)
        return self.catalog.quarter(saved[0].quarter_id) if saved and saved[0].quarter_id else None

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

    async def on_find(self, command: Command, pending: dict) -> str:
        quarter = await self._home_quarter() or self.catalog.quarter(pending.get("quarter_id"))
        reply, listed = dish_search.answer(self.catalog, " ".join(command.args), near=quarter, at=self.unit.now(),
                                           tz=self.tz, lang=self.lang, t=self.t, most=LISTED)
        if listed:  # the numbers of the reply are the last list's, as after MENU
            await self.store.put(self.key, {"restaurants": listed, "quarter_id": quarter.id if quarter else None}, PENDING_TTL_S)
        return reply

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
        words, promo = promo_of(command.args)
        read = order_items(words)
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
        pending.update(basket={"restaurant_id": restaurant.id, "lines": lines, "cash": command.cash, "promo": promo,
                               "points": command.points})
        saved = await customers.saved_destinations(self.unit, self.catalog, self.account.id, city=restaurant.city, limit=1)
        if not saved:
            pending["asking_address"] = True
            await self.store.put(self.key, pending, PENDING_TTL_S)
            return self.t(T.ASK_ADDRESS)
        pending["address"] = destinations.fields(saved[0])
        return await self._quote(pending)

    async def address_given(self, pending: dict, text: str) -> str:
        restaurant = self.catalog.restaurant(pending["basket"]["restaurant_id"])
        quarter_text, _, landmark = text.partition(",")
        pending.update(address=destinations.fields(destinations.typed(self.catalog, restaurant.city, quarter_text, landmark)),
                       asking_address=False)
        return await self._quote(pending)

    def _destination(self, pending: dict) -> Destination:
        return destinations.kept(self.catalog, pending["address"])

    def _basket(self, pending: dict, *, cash: bool) -> ordering.Basket:
        basket = pending["basket"]
        return ordering.Basket(
            restaurant_id=basket["restaurant_id"], lines=tuple(LineRequest(i, q, tuple(o)) for i, q, o in basket["lines"]),
            destination=self._destination(pending), payment_method="cash" if cash else _mobile_method(self.account.phone),
            promo_code=basket.get("promo"),
        )

    async def _quote(self, pending: dict, refusal: str = "") -> str:
        """The basket's price as it will be charged; a promo code that does not apply is dropped,
        and the reply says why before the price without it."""
        basket = pending["basket"]
        try:
            priced = await ordering.priced(self.unit, self.catalog, self._basket(pending, cash=basket["cash"]),
                                           account_id=self.account.id, tz=self.tz)
        except PromoRefused as refused:
            basket["promo"] = None
            return await self._quote(pending, refused.text(self.lang))
        except ChopbarError:
            return self.t(T.ORDER_BAD)
        await self.store.put(self.key, pending, PENDING_TTL_S)
        names = ", ".join(f"{l.quantity}x {l.item.name_fr if self.lang == 'fr' else l.item.name_en}" for l in priced.lines)
        offered = await loyalty.offer(self.unit, self.account.id, priced) if basket.get("points") else None
        if offered is not None and not offered.points:
            return self.t(T.POINTS_TOO_FEW, points=offered.held, least=loyalty.rules().min_spend)
        off_xaf = offered.xaf if offered is not None else 0
        values = dict(
            lines=names, food=money(priced.subtotal_xaf, self.lang), fee=money(priced.delivery_fee_xaf, self.lang),
            total=money(priced.total_xaf - off_xaf, self.lang), how=self.t(T.PAY_CASH if basket["cash"] else T.PAY_MOBILE),
        )
        discount = money(priced.discount_xaf, self.lang)
        if off_xaf:
            points = dict(points=offered.points, off=money(off_xaf, self.lang))
            if priced.discount_xaf:
                text = self.t(T.ORDER_TOTAL_DISCOUNT_POINTS, discount=discount, **points, **values)
            else:
                text = self.t(T.ORDER_TOTAL_POINTS, **points, **values)
        elif priced.discount_xaf:
            text = self.t(T.ORDER_TOTAL_DISCOUNT, discount=discount, **values)
        else:
            text = self.t(T.ORDER_TOTAL, **values)
        return f"{refusal} {text}" if refusal else text

    async def on_yes(self, command: Command, pending: dict) -> str:
        basket = pending.get("basket")
        if not basket or pending.get("asking_address"):
            return self.t(T.NOTHING_TO_CONFIRM if not basket else T.ASK_ADDRESS)
        restaurant = self.catalog.restaurant(basket["restaurant_id"])
        wanted = self._basket(pending, cash=basket["cash"] or command.cash)
        if basket.get("points") or command.points:  # all the points the basket can take, as the total showed
            try:
                offered = await loyalty.offer(self.unit, self.account.id, await ordering.priced(
                    self.unit, self.catalog, replace(wanted, points=0), account_id=self.account.id, tz=self.tz))
            except ChopbarError:
                offered = await loyalty.offer(self.unit, self.account.id, ordering.price(self.catalog, wanted))
            if not offered.points:
                return self.t(T.POINTS_TOO_FEW, points=offered.held, least=loyalty.rules().min_spend)
            wanted = replace(wanted, points=offered.points)
        try:
            placed = await ordering.place(
                self.unit, self.catalog, wanted, channel="sms",
                orderer=ordering.Orderer(account_id=self.account.id, phone=self.account.phone, language=self.lang),
                terms=ordering.Terms(tz=self.tz, payment_window_s=self.payment_window_s),
            )
        except PromoRefused as refused:  # its last use went to another order meanwhile
            basket["promo"] = None
            return await self._quote(pending, refused.text(self.lang))
        except loyalty.NotEnoughPoints:  # spent on another channel since the total was shown
            held = (await loyalty.offer(self.unit, self.account.id, ordering.price(self.catalog, wanted))).held
            return self.t(T.POINTS_TOO_FEW, points=held, least=loyalty.rules().min_spend)
        except ChopbarError:
            return self.t(T.ORDER_CLOSED, restaurant=restaurant.name)
        await self.store.delete(self.key)
        self.woken.extend(placed.wakes)
        order = placed.order
        if order.payment_method == "cash":
            return self.t(T.PLACED_CASH, code=order.code, restaurant=restaurant.name, total=money(order.total_xaf, self.lang))
        return self.t(T.PLACED_MOBILE, code=order.code, total=money(order.total_xaf, self.lang))


def _mobile_method(phone: str) -> str:
    return "orange" if operator_of(phone) == "orange" else "mtn"
