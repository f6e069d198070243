"""A simulated CamPay: collect from MTN and Orange numbers, transaction status, withdraw.

The webhook is a GET with the transaction's fields and a JWT `signature` (HS256, webhook key).
"""
import json
import secrets
import time
from collections.abc import Callable

import aiohttp
import jwt
from aiohttp import web

from simulators.payment_book import PaymentBook, SimPayment, new_reference

PREFIX = "/sim/campay"
MTN = ("650", "651", "652", "653", "654", "67", "680", "681", "682", "683")
ORANGE = ("655", "656", "657", "658", "659", "686", "687", "688", "689", "69", "640", "641", "642")
USSD = {"MTN": "*126#", "ORANGE": "#150*50#"}


def operator_of(msisdn: str) -> str | None:
    national = msisdn[3:]
    if national.startswith(MTN):
        return "MTN"
    if national.startswith(ORANGE):
        return "ORANGE"
    return None


def _error(code: str, message: str) -> web.Response:
    return web.json_response({"message": message, "error_code": code}, status=400)


class CampaySimulator:
    def __init__(self, book: PaymentBook, webhook_url: Callable[[], str], webhook_key: str) -> None:
        self.book = book
        self.webhook_url = webhook_url
        self.webhook_key = webhook_key
        self.tokens: set[str] = set()
        book.notifiers["campay"] = self.webhook

    async def _guard(self, request: web.Request, *, token: bool = True) -> web.Response | None:
        failing = await self.book.apply_faults("campay")
        if failing:
            return web.json_response({"message": "simulated failure"}, status=failing)
        if token and request.headers.get("Authorization", "").removeprefix("Token ") not in self.tokens:
            return web.json_response({"detail": "Invalid token."}, status=401)
        return None

    async def token(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request, token=False)) is not None:
            return failed
        try:
            body = await request.json()
        except json.JSONDecodeError:
            body = {}
        if not body.get("username") or not body.get("password"):
            return web.json_response({"non_field_errors": ["Unable to log in with provided credentials."]}, status=400)
        token = secrets.token_hex(20)
        self.tokens.add(token)
        return web.json_response({"token": token, "expires_in": 3600})

    async def _read(self, request: web.Request, party: str) -> tuple[dict, str, int] | web.Response:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _error("ER000", "invalid JSON")
        number = str(body.get(party, ""))
        if not number.startswith("237"):
            return _error("ER101", "Invalid phone number. Phone number must start with country code 237")
        amount = str(body.get("amount", ""))
        if not amount.isdigit():
            return _error("ER201", "Invalid amount. Decimal amounts are not allowed")
        return body, number, int(amount)

    async def collect(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request)) is not None:
            return failed
        read = await self._read(request, "from")
        if isinstance(read, web.Response):
            return read
        body, number, amount = read
        operator = operator_of(number)
        if operator is None:
            return _error("ER102", "Invalid phone number. Only MTN and Orange numbers are accepted")
        payment = self.book.add(
            SimPayment(
                reference=new_reference(), provider="campay", phone="+" + number, amount=amount, currency="XAF",
                external_reference=str(body.get("external_reference", "")), operator=operator,
                detail={"code": f"CP{int(time.time())}{secrets.randbelow(10**5):05d}"},
            )
        )
        return web.json_response({"reference": payment.reference, "ussd_code": USSD[operator], "operator": operator})

    async def transaction(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request)) is not None:
            return failed
        payment = self.book.get(request.match_info["reference"])
        if payment is None or payment.provider != "campay":
            return web.json_response({"detail": "Not found."}, status=404)
        return web.json_response(self.fields(payment))

    async def withdraw(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request)) is not None:
            return failed
        read = await self._read(request, "to")
        if isinstance(read, web.Response):
            return read
        body, number, amount = read
        payment = self.book.add(
            SimPayment(
                reference=new_reference(), provider="campay", phone="+" + number, amount=amount, currency="XAF",
                external_reference=str(body.get("external_reference", "")), kind="disbursement", status="successful",
                operator=operator_of(number), detail={"code": f"CPW{secrets.randbelow(10**8):08d}"},
            )
        )
        return web.json_response({"reference": payment.reference})

    def fields(self, payment: SimPayment) -> dict[str, str]:
        return {
            "reference": payment.reference, "external_reference": payment.external_reference,
            "status": payment.status.upper(), "amount": str(payment.amount), "currency": payment.currency,
            "operator": payment.operator or "", "code": payment.detail.get("code", ""),
            "operator_reference": f"OP{abs(hash(payment.reference)) % 10**10}",
        }

    async def webhook(self, payment: SimPayment) -> None:
        params = self.fields(payment)
        params["signature"] = jwt.encode(
            {"reference": payment.reference, "status": params["status"], "iat": int(time.time())},
            self.webhook_key, algorithm="HS256",
        )
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            await http.get(self.webhook_url(), params=params)

    def setup(self, app: web.Application) -> None:
        app.router.add_post(f"{PREFIX}/api/token/", self.token)
        app.router.add_post(f"{PREFIX}/api/collect/", self.collect)
        app.router.add_get(f"{PREFIX}/api/transaction/{{reference}}/", self.transaction)
        app.router.add_post(f"{PREFIX}/api/withdraw/", self.withdraw)
