"""One SMS in, one reply out: who is writing (someone of a restaurant, driver, customer), in their
language, through the keyword grammar. Every gateway's inbound handler ends here.

A restaurant's main and backup console numbers and the numbers of its owner, managers and
staff (roles on their accounts) all get the restaurant grammar, each keyword checked against
their role there (core.restaurant_roles, core.restaurants.workplaces_of).

A number over its text limit (channels.number_limits) gets one reply saying to wait, then
none; while Redis or the database is away, the message is kept and answered once they are
back (channels.inbound_keeper), the gateway being told 200 meanwhile.
"""
from dataclasses import dataclass

from channels.number_limits import NumberLimits
from channels.outages import which
from channels.session_store import SessionStore
from channels.sms.console import driver_answer, restaurant_answer
from channels.sms.customers import CustomerSms
from channels.sms import privacy
from channels.sms.help_desk import ask_support, wants_support
from core.payouts import PayoutRules
from core import outbox
from core.accounts import account_for, find_account
from core.catalog import Catalog, CatalogCache
from core.db import Database, Unit
from core.dedupe import first_time
from core.errors import Conflict
from core.i18n import translate
from core.support_notices import ALREADY_DRIVER
from core.models import Account, Restaurant
from core.restaurants import Workplace, workplaces_of
from core.use_cases import driving
from core.use_cases.driving import DriverView
from core.use_cases.helpdesk import Asker
from core.use_cases.rating import DEFAULT_WINDOW_S
from menus import refusals
from menus.keywords import APPLY_WORDS, Command, normalize, parse, privacy_of

HELP = Command("help")
# Replies whose kind core.consent lets through after STOP: the confirmations of STOP and START,
# and the answers about an order the customer is placing or following; the rest is chat.
REPLY_KINDS = {
    "stop": "account.stopped", "start": "account.started", "driver": "driver.application",
    **dict.fromkeys(("order", "yes", "status", "cancel", "retry", "cash"), "order.reply"),
}
PRIVACY_KINDS = {"mydata": "account.data", "erase": "account.erase"}  # asked by the person: sent after STOP
ATTEMPTS = 2
MENU_CHANGES = ("close", "open", "soldout", "available", "price", "auto")  # the catalog snapshot is dropped


@dataclass(frozen=True)
class Reply:
    text: str
    kind: str


@dataclass(frozen=True)
class Sender:
    """Who a number is, read without writing anything (no account is opened to find out)."""

    workplaces: tuple[Workplace, ...]  # the restaurants it acts for, the one its menu keywords name first
    account: Account | None
    driver: DriverView | None

    @property
    def restaurant(self) -> Restaurant | None:
        return self.workplaces[0].restaurant if self.workplaces else None

    @property
    def is_staff(self) -> bool:
        return self.restaurant is not None or self.driver is not None

    def language(self, default: str) -> str:
        if self.account is not None:
            return self.account.language
        return self.restaurant.language if self.restaurant is not None else default


async def sender_of(unit: Unit, phone: str) -> Sender:
    account = await find_account(unit, phone)
    workplaces = tuple(await workplaces_of(unit, phone, account))
    driver = None
    if not workplaces and account is not None:
        driver = await driving.driver_of(unit, account.id)
    return Sender(workplaces, account, driver)


class SmsConversations:
    def __init__(
        self, db: Database, store: SessionStore, catalog: CatalogCache, *, tz: str, default_language: str,
        ussd_code: str, payment_window_s: int, wake=lambda what: None, limits: NumberLimits | None = None,
        keeper=None, payout_rules: PayoutRules | None = None, rating_window_s: int = DEFAULT_WINDOW_S,
        public_url: str = "", export_link_ttl_s: int = 86_400, revoke=None,
    ) -> None:
        self.db = db
        self.store = store
        self.catalog = catalog
        self.tz = tz
        self.default_language = default_language
        self.ussd_code = ussd_code
        self.payment_window_s = payment_window_s
        self.wake = wake
        self.limits = limits
        self.keeper = keeper  # channels.inbound_keeper.InboundKeeper: where messages wait out an outage
        self.payout_rules = payout_rules or PayoutRules()
        self.rating_window_s = rating_window_s  # CHOPBAR_RATING_WINDOW
        self.public_url = public_url  # where an export link points
        self.export_link_ttl_s = export_link_ttl_s  # CHOPBAR_EXPORT_LINK_TTL
        self.revoke = revoke  # stores a Revocation (channels.api.revocations): an erased account's tokens

    async def _no_revocations(self, revocation) -> None:
        return None

    async def handle(
        self, provider: str, message_id: str, phone: str, text: str, *, channel: str = "sms", inline: bool = False,
        keep: bool = True,
    ) -> Reply | None:
        """Answers an inbound message once per gateway id; the reply is queued in the same transaction.

        None when the id was seen before (a gateway's retry gets no second reply), when the
        number is over its limit, or when Redis or the database is away: the message is then
        kept and answered later, through the outbox. `keep=False` raises the outage instead
        (the keeper answering a kept message).
        """
        try:
            return await self._answer_once(provider, message_id, phone, text, channel, inline)
        except Exception as exc:
            if not keep or self.keeper is None or which(exc) is None:
                raise
            await self.keeper.keep(provider, message_id, channel, phone, text, exc)
            return None

    async def _answer_once(self, provider: str, message_id: str, phone: str, text: str, channel: str, inline: bool) -> Reply | None:
        catalog = await self.catalog.get()  # before the unit: a reload opens one of its own
        for attempt in range(ATTEMPTS):
            try:
                async with self.db.unit() as unit:
                    if not await first_time(unit, provider, message_id):
                        return None
                    sender = None

                    async def is_staff() -> bool:
                        nonlocal sender
                        sender = await sender_of(unit, phone)
                        return sender.is_staff

                    reply = await self._limited(unit, phone, is_staff)
                    if reply is None:
                        reply = await self.answer(unit, catalog, phone, text, sender, channel=channel)
                    elif not reply.text:
                        return None  # over the limit and already told: recorded as seen, no answer
                    await outbox.enqueue(
                        unit, phone, reply.text, kind=reply.kind, channel=channel,
                        dedupe_key=f"reply:{provider}:{message_id}", inline_via=provider if inline else None,
                    )
                return reply
            except Conflict:  # someone changed the same order or job first: answer from what they left
                if attempt + 1 == ATTEMPTS:
                    raise
        return None

    async def _limited(self, unit: Unit, phone: str, is_staff) -> Reply | None:
        """None within the limit; over it, the one reply saying to wait, then an empty one."""
        if self.limits is None:
            return None
        verdict = await self.limits.text(phone, is_staff)
        if verdict.allowed:
            return None
        if not verdict.warn:
            return Reply("", "limit.wait")
        minutes = max(-(-verdict.retry_after_s // 60), 1)
        sender = await sender_of(unit, phone)
        return Reply(translate(refusals.TOO_MANY_TEXTS, sender.language(self.default_language), minutes=minutes), "limit.wait")

    async def answer(
        self, unit: Unit, catalog: Catalog, phone: str, text: str, sender: Sender | None = None, *, channel: str = "sms",
    ) -> Reply:
        sender = sender or await sender_of(unit, phone)
        mine = privacy_of(text)
        if mine is not None and (sender.account is not None or not sender.workplaces):  # a person, not a console number
            account = sender.account or await account_for(unit, phone, default_language=self.default_language)
            body = await privacy.answer(
                unit, account, mine, public_url=self.public_url, link_ttl_s=self.export_link_ttl_s,
                ussd_code=self.ussd_code, store=self.store, revoke=self.revoke or self._no_revocations,
            )
            return Reply(body, PRIVACY_KINDS[mine.name])
        if sender.workplaces:
            lang = sender.language(self.default_language)
            command = parse(text, "restaurant")
            if (message := wants_support(command, text)) is not None:
                asker = Asker(phone, "restaurant", lang, sender.account.id if sender.account else None,
                              sender.restaurant.id)
                return Reply(await ask_support(unit, asker, message, channel), "support.ack")
            body = await restaurant_answer(unit, sender.workplaces, phone, command or HELP, lang, self.tz, self.payout_rules)
            if command is not None and command.name in MENU_CHANGES:
                self.catalog.invalidate()  # this process sees it at once, others within the TTL
            if command is not None and command.name in ("accept", "ready"):
                self.wake("dispatch")
            if command is not None and command.name == "payout":
                self.wake("payouts")
            return Reply(body, "console.reply")
        account = sender.account or await account_for(unit, phone, default_language=self.default_language)
        driver = sender.driver
        if driver is not None and driver.has_driver_menu:  # an applicant writes as a customer still
            command = parse(text, "driver")
            if (message := wants_support(command, text)) is not None:
                asker = Asker(phone, "driver", account.language, account.id)
                return Reply(await ask_support(unit, asker, message, channel), "support.ack")
            if command is None and (normalize(text) or [""])[0] in APPLY_WORDS:
                return Reply(translate(ALREADY_DRIVER, account.language), "driver.reply")
            body = await driver_answer(unit, driver, command or HELP, account.language, self.tz, self.payout_rules)
            if command is not None and command.name == "payout":
                self.wake("payouts")
            return Reply(body, "driver.reply")
        command = parse(text, "customer")
        customer = CustomerSms(
            unit=unit, store=self.store, catalog=catalog, account=account, tz=self.tz,
            ussd_code=self.ussd_code, payment_window_s=self.payment_window_s, channel=channel,
            default_language=self.default_language,
            rating_window_s=self.rating_window_s,
        )
        body = await customer.answer(command, text)
        for what in customer.woken:
            self.wake(what)
        kind = REPLY_KINDS.get(command.name, "customer.reply") if command is not None else "customer.reply"
        if wants_support(command, text) is not None:
            kind = "support.ack"  # the person asked us something: answered even after STOP
        return Reply(body, kind)
