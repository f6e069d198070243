"""A simulated CamPay: token, collect from MTN and Orange numbers, status, withdraw, and JWT-signed GET webhooks."""
import asyncio
import json
import re
import secrets
import time
from collections.abc import Callable
from datetime import date, datetime, time as day_time, timedelta, timezone

import aiohttp
import jwt
from aiohttp import web

from simulators.payment_book import PaymentBook, SimPayment, new_reference

PREFIX = "/sim/campay"
TOKEN_LIFETIME_S = 3600
# National numbers after 237, as CamPay routes them (libphonenumber's carrier data).
MTN = re.compile(r"6(?:5[0-4]|7\d|8[0-3])\d{6}")
ORANGE = re.compile(r"6(?:5[5-9]|8[6-9]|9\d|4[0-2])\d{6}")
USSD = {"MTN": "*126#", "ORANGE": "#150*50#"}
WHOLE = re.compile(r"[0-9]+")


def operator_of(msisdn: str) -> str | None:
    """MTN or ORANGE for a 2376XXXXXXXX number, None for any other carrier."""
    national = msisdn.removeprefix("237")
    if MTN.fullmatch(national):
        return "MTN"
    if ORANGE.fullmatch(national):
        return "ORANGE"
    return None


def _error(code: str, message: str) -> web.Response:
    return web.json_response({"message": message, "error_code": code}, status=400)


class CampaySimulator:
    def __init__(self, book: PaymentBook, webhook_url: Callable[[], str], webhook_key: str) -> None:
        self.book = book
        self.webhook_url = webhook_url
        self.webhook_key = webhook_key
        self.tokens: dict[str, float] = {}  # token -> expires at
        book.notifiers["campay"] = self.webhook

    async def _guard(self, request: web.Request, *, token: bool = True) -> web.Response | None:
        failing = await self.book.apply_faults("campay")
        if failing:
            return web.json_response({"message": "Service temporarily unavailable"}, status=failing)
        if not token:
            return None
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Token" or not given:
            return web.json_response({"detail": "Authentication credentials were not provided."}, status=401)
        if time.monotonic() >= self.tokens.get(given, 0.0):
            return web.json_response({"detail": "Invalid token."}, status=401)
        return None

    async def token(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request, token=False)) is not None:
            return failed
        body = await _json(request)
        if not all(isinstance(body.get(k), str) and body[k] for k in ("username", "password")):
            return web.json_response({"non_field_errors": ["Unable to log in with provided credentials."]}, status=400)
        token = secrets.token_hex(20)
        self.tokens[token] = time.monotonic() + TOKEN_LIFETIME_S
        return web.json_response({"token": token, "expires_in": TOKEN_LIFETIME_S})

    async def _read(self, request: web.Request, party: str) -> tuple[dict, str, int, str] | web.Response:
        """The body of a collect or withdraw, checked in CamPay's order: number, carrier, amount."""
        body = await _json(request)
        number = str(body.get(party, ""))
        if not number.startswith("237"):
            return _error("ER101", "Invalid phone number. Phone number must start with country code 237 e.g 2376XXXXXXXX")
        operator = operator_of(number)
        if operator is None:
            return _error("ER102", "This number is not an MTN or Orange number. Only MTN and Orange numbers are supported")
        amount = str(body.get("amount", ""))
        if not WHOLE.fullmatch(amount) or int(amount) <= 0:
            return _error("ER201", "Invalid amount. Decimal amounts are not allowed")
        return body, number, int(amount), operator

    def _new(self, body: dict, number: str, amount: int, operator: str, kind: str) -> SimPayment:
        stamp = datetime.now(timezone.utc).strftime("%y%m%d")
        return SimPayment(
            reference=new_reference(), provider="campay", phone="+" + number, amount=amount,
            currency=str(body.get("currency") or "XAF"), external_reference=str(body.get("external_reference") or ""),
            kind=kind, operator=operator,
            detail={
                "code": f"CP{stamp}T{secrets.randbelow(10**5):05d}",
                "operator_reference": f"{'MP' if operator == 'MTN' else 'CI'}{stamp}.{secrets.randbelow(10**8):08d}",
                "description": str(body.get("description") or ""),
            },
        )

    async def collect(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request)) is not None:
            return failed
        read = await self._read(request, "from")
        if isinstance(read, web.Response):
            return read
        payment = self.book.add(self._new(*read, kind="collection"))
        return web.json_response(
            {"reference": payment.reference, "ussd_code": USSD[payment.operator], "operator": payment.operator}
        )

    async def withdraw(self, request: web.Request) -> web.Response:
        """A payout (our refunds): CamPay pays it from the app's balance at once."""
        if (failed := await self._guard(request)) is not None:
            return failed
        read = await self._read(request, "to")
        if isinstance(read, web.Response):
            return read
        payment = self._new(*read, kind="disbursement")
        if not self.book.can_pay("campay", payment.amount):
            return _error("ER301", "Insufficient balance")
        outcome = self.book.next_outcome("campay")
        self.book.transfer(payment, outcome)
        if outcome == "stall":
            await asyncio.sleep(self.book.stall_s)
        return web.json_response({"reference": payment.reference})

    async def history(self, request: web.Request) -> web.Response:
        """The app's transactions from start_date to end_date (UTC days, both included)."""
        if (failed := await self._guard(request)) is not None:
            return failed
        body = await _json(request)
        try:
            first, last = (date.fromisoformat(str(body[k])) for k in ("start_date", "end_date"))
        except (KeyError, ValueError):
            return web.json_response({"message": "start_date and end_date are YYYY-MM-DD"}, status=400)
        start = datetime.combine(first, day_time(), timezone.utc)
        end = datetime.combine(last + timedelta(days=1), day_time(), timezone.utc)
        return web.json_response([
            self.fields(p) | {"type": "collect" if p.kind == "collection" else "withdraw", "created_at": p.at.isoformat()}
            for p in self.book.in_window("campay", start, end)
        ])

    async def balance(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request)) is not None:
            return failed
        total = self.book.balances["campay"]
        return web.json_response({"total_balance": total, "mtn_balance": total, "orange_balance": 0, "currency": "XAF"})

    async def transaction(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request)) is not None:
            return failed
        payment = self.book.get(request.match_info["reference"])
        if payment is None or payment.provider != "campay":
            return web.json_response({"detail": "Not found."}, status=404)
        return web.json_response(self.fields(payment))

    @staticmethod
    def fields(payment: SimPayment) -> dict[str, str]:
        """A transaction as the status call answers it, and as the webhook's query carries it."""
        return {
            "reference": payment.reference, "external_reference": payment.external_reference,
            "status": payment.status.upper(), "amount": str(payment.amount), "currency": payment.currency,
            "operator": payment.operator or "", "code": payment.detail["code"],
            "operator_reference": payment.detail["operator_reference"],
        }

    async def webhook(self, payment: SimPayment) -> None:
        """A GET to the app's webhook URL with the fields and a JWT `signature` (HS256, webhook key)."""
        if payment.kind != "collection":
            return
        params = self.fields(payment)
        params["signature"] = jwt.encode(
            {"reference": payment.reference, "status": params["status"], "iat": int(time.time())},
            self.webhook_key, algorithm="HS256",
        )
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            async with http.get(self.webhook_url(), params=params) as response:
                await response.read()

    def setup(self, app: web.Application) -> None:
        app.router.add_post(f"{PREFIX}/api/token/", self.token)
        app.router.add_post(f"{PREFIX}/api/collect/", self.collect)
        app.router.add_get(f"{PREFIX}/api/transaction/{{reference}}/", self.transaction)
        app.router.add_post(f"{PREFIX}/api/withdraw/", self.withdraw)
        app.router.add_post(f"{PREFIX}/api/history/", self.history)
        app.router.add_get(f"{PREFIX}/api/balance/", self.balance)


async def _json(request: web.Request) -> dict:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}
