"""One SMS in, one reply out: who is writing (restaurant console, driver, customer), in their
language, through the keyword grammar. Every gateway's inbound handler ends here.
"""
from dataclasses import dataclass

from sqlalchemy import select

from channels.session_store import SessionStore
from channels.sms.console import driver_answer, restaurant_answer
from channels.sms.customers import CustomerSms
from core import outbox
from core.accounts import account_for, find_account
from core.catalog import Catalog, CatalogCache, restaurant_by_phone
from core.db import Database, Unit
from core.dedupe import first_time
from core.errors import Conflict
from core.models import Driver
from menus.keywords import Command, parse

HELP = Command("help")
ACCOUNT_KINDS = {"stop": "account.stopped", "start": "account.started"}  # sent whatever STOP said (core.consent)
ATTEMPTS = 2


@dataclass(frozen=True)
class Reply:
    text: str
    kind: str


class SmsConversations:
    def __init__(
        self, db: Database, store: SessionStore, catalog: CatalogCache, *, tz: str, default_language: str,
        ussd_code: str, payment_window_s: int, wake=lambda what: None,
    ) -> None:
        self.db = db
        self.store = store
        self.catalog = catalog
        self.tz = tz
        self.default_language = default_language
        self.ussd_code = ussd_code
        self.payment_window_s = payment_window_s
        self.wake = wake

    async def handle(
        self, provider: str, message_id: str, phone: str, text: str, *, channel: str = "sms", inline: bool = False
    ) -> Reply | None:
        """Answers an inbound message once per gateway id; the reply is queued in the same transaction.

        None when the id was seen before: a gateway's retry gets no second reply.
        """
        catalog = await self.catalog.get()  # before the unit: a reload opens one of its own
        for attempt in range(ATTEMPTS):
            try:
                async with self.db.unit() as unit:
                    if not await first_time(unit, provider, message_id):
                        return None
                    reply = await self.answer(unit, catalog, phone, text)
                    await outbox.enqueue(
                        unit, phone, reply.text, kind=reply.kind, channel=channel,
                        dedupe_key=f"reply:{provider}:{message_id}", inline_via=provider if inline else None,
                    )
                return reply
            except Conflict:  # someone changed the same order or job first: answer from what they left
                if attempt + 1 == ATTEMPTS:
                    raise
        return None

    async def answer(self, unit: Unit, catalog: Catalog, phone: str, text: str) -> Reply:
        restaurant = await restaurant_by_phone(unit, phone)
        if restaurant is not None:
            account = await find_account(unit, phone)
            lang = account.language if account else restaurant.language
            command = parse(text, "restaurant")
            body = await restaurant_answer(unit, restaurant, phone, command or HELP, lang)
            if command is not None and command.name in ("close", "open", "soldout"):
                self.catalog.invalidate()  # this process sees it at once, others within the TTL
            if command is not None and command.name in ("accept", "ready"):
                self.wake("dispatch")
            return Reply(body, "console.reply")
        account = await account_for(unit, phone, default_language=self.default_language)
        driver = await unit.session.scalar(select(Driver).where(Driver.account_id == account.id))
        if driver is not None:
            command = parse(text, "driver")
            body = await driver_answer(unit, driver, command or HELP, account.language, self.tz)
            return Reply(body, "driver.reply")
        command = parse(text, "customer")
        customer = CustomerSms(
            unit=unit, store=self.store, catalog=catalog, account=account, tz=self.tz,
            ussd_code=self.ussd_code, payment_window_s=self.payment_window_s,
        )
        body = await customer.answer(command, text)
        for what in customer.woken:
            self.wake(what)
        kind = ACCOUNT_KINDS.get(command.name, "customer.reply") if command is not None else "customer.reply"
        return Reply(body, kind)
