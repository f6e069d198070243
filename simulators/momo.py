"""A simulated MTN MoMo Open API: Collections (requesttopay), Disbursements (transfer), unsigned PUT callbacks."""
import base64
import binascii
import json
import re
import secrets
import time
import uuid

import asyncio
from datetime import datetime

import aiohttp
from aiohttp import web

from simulators.payment_book import PaymentBook, SimPayment

PREFIX = "/sim/mtn"
STATUS = {"pending": "PENDING", "successful": "SUCCESSFUL", "failed": "FAILED"}
TOKEN_LIFETIME_S = 3600
PARTY = {"collection": "payer", "disbursement": "payee"}
MSISDN = re.compile(r"[0-9]{8,15}")
DIGITS = re.compile(r"[0-9]+")
CURRENCY = re.compile(r"[A-Z]{3}")


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status)


def _is_msisdn(party: object) -> bool:
    """A party as MTN takes a phone: {"partyIdType": "MSISDN", "partyId": "2376XXXXXXXX"}."""
    return (
        isinstance(party, dict) and party.get("partyIdType") == "MSISDN"
        and isinstance(party.get("partyId"), str) and MSISDN.fullmatch(party["partyId"]) is not None
    )


def _denied(message: str) -> web.Response:
    """What MTN's API gateway answers before the request reaches the product."""
    return web.json_response({"statusCode": 401, "message": message}, status=401)


class MomoSimulator:
    def __init__(self, book: PaymentBook) -> None:
        self.book = book
        self.tokens: dict[str, tuple[str, float]] = {}  # token -> (product, expires at)
        book.notifiers["mtn"] = self.callback

    async def _faults(self) -> web.Response | None:
        failing = await self.book.apply_faults("mtn")
        return _error(failing, "INTERNAL_PROCESSING_ERROR", "An internal error occurred.") if failing else None

    async def token(self, request: web.Request) -> web.Response:
        if (failed := await self._faults()) is not None:
            return failed
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        try:
            user, _, key = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user = key = ""
        if scheme != "Basic" or not user or not key or not request.headers.get("Ocp-Apim-Subscription-Key"):
            return web.json_response({"error": "invalid_client"}, status=401)
        token = secrets.token_urlsafe(32)
        self.tokens[token] = (request.match_info["product"], time.monotonic() + TOKEN_LIFETIME_S)
        return web.json_response({"access_token": token, "token_type": "access_token", "expires_in": TOKEN_LIFETIME_S})

    def _refusal(self, request: web.Request, product: str) -> web.Response | None:
        if not request.headers.get("Ocp-Apim-Subscription-Key"):
            return _denied(
                "Access denied due to missing subscription key. "
                "Make sure to include subscription key when making requests to an API."
            )
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        issued_for, expires = self.tokens.get(token, ("", 0.0))
        if scheme != "Bearer" or issued_for != product or time.monotonic() >= expires:
            return _denied("Access denied due to invalid or expired access token.")
        if not request.headers.get("X-Target-Environment"):
            return _error(400, "INVALID_REQUEST", "X-Target-Environment header is required.")
        return None

    async def _create(self, request: web.Request) -> web.Response:
        product = request.match_info["product"]
        if (failed := await self._faults()) is not None or (failed := self._refusal(request, product)) is not None:
            return failed
        reference = request.headers.get("X-Reference-Id", "")
        try:
            uuid.UUID(reference)
        except ValueError:
            return _error(400, "INVALID_REQUEST", "X-Reference-Id must be a UUID.")
        body = await self._body(request, PARTY[product])
        if isinstance(body, web.Response):
            return body
        if self.book.get(reference) is not None:
            return _error(409, "RESOURCE_ALREADY_EXIST", "Duplicated reference id. Creation of resource failed.")
        party = body[PARTY[product]]
        payment = SimPayment(
            reference=reference, provider="mtn", phone="+" + party["partyId"], amount=int(body["amount"]),
            currency=body["currency"], external_reference=str(body.get("externalId", "")),
            kind="collection" if product == "collection" else "disbursement", operator="MTN",
            callback_url=request.headers.get("X-Callback-Url"),
            detail={"party": PARTY[product], "body": body, "transaction_id": str(secrets.randbelow(9 * 10**9) + 10**9)},
        )
        if product == "collection":
            self.book.add(payment)
            return web.Response(status=202)
        # Money out of our own account: no one to ask. Short of funds, MTN still takes the
        # transfer and reports it FAILED.
        outcome = self.book.next_outcome("mtn")
        if not self.book.can_pay("mtn", payment.amount):
            self.book.add(payment)
            self.book.settle(reference, False, "NOT_ENOUGH_FUNDS")
            return web.Response(status=202)
        self.book.transfer(payment, outcome)
        if outcome == "stall":
            await asyncio.sleep(self.book.stall_s)
        return web.Response(status=202)

    @staticmethod
    async def _body(request: web.Request, party_field: str) -> dict | web.Response:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "INVALID_REQUEST", "The request body is not valid JSON.")
        if not isinstance(body, dict):
            return _error(400, "INVALID_REQUEST", "The request body must be a JSON object.")
        amount, currency, party = body.get("amount"), body.get("currency"), body.get(party_field)
        if not isinstance(amount, str) or not DIGITS.fullmatch(amount) or int(amount) <= 0:
            problem = "amount must be a string of digits"
        elif not isinstance(currency, str) or not CURRENCY.fullmatch(currency):
            problem = "currency must be an ISO 4217 code"
        elif not _is_msisdn(party):
            problem = f"{party_field} must be {{partyIdType: MSISDN, partyId: <digits>}}"
        elif not all(isinstance(body.get(k, ""), str) for k in ("externalId", "payerMessage", "payeeNote")):
            problem = "externalId, payerMessage and payeeNote are strings"
        else:
            return body
        return _error(400, "INVALID_REQUEST", problem)

    async def status(self, request: web.Request) -> web.Response:
        product = request.match_info["product"]
        if (failed := await self._faults()) is not None or (failed := self._refusal(request, product)) is not None:
            return failed
        payment = self.book.get(request.match_info["reference"])
        kind = "collection" if product == "collection" else "disbursement"
        if payment is None or payment.provider != "mtn" or payment.kind != kind:
            return _error(404, "RESOURCE_NOT_FOUND", "Requested resource was not found.")
        return web.json_response(self.body(payment))

    @staticmethod
    def body(payment: SimPayment) -> dict:
        """The status as MTN's GET answers it, which is also the callback's body."""
        sent, party = payment.detail["body"], payment.detail["party"]
        body = {"amount": str(payment.amount), "currency": payment.currency}
        if payment.status == "successful":
            body["financialTransactionId"] = payment.detail["transaction_id"]
        body |= {
            "externalId": payment.external_reference, party: sent[party],
            "payerMessage": sent.get("payerMessage", ""), "payeeNote": sent.get("payeeNote", ""),
            "status": STATUS[payment.status],
        }
        if payment.status == "failed":
            body["reason"] = payment.reason or "APPROVAL_REJECTED"
        return body

    async def callback(self, payment: SimPayment) -> None:
        """MTN calls X-Callback-Url once per final status, unsigned, and never retries."""
        if not payment.callback_url:
            return
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            async with http.put(payment.callback_url, json=self.body(payment)) as response:
                await response.read()

    async def statement(self, request: web.Request) -> web.Response:
        """MTN's Open API has none (the partner portal exports statements): this one is the
        simulator's own, every transaction made in [from, to), oldest first."""
        try:
            start, end = (datetime.fromisoformat(request.query[k]) for k in ("from", "to"))
            if start.tzinfo is None or end.tzinfo is None:
                raise ValueError
        except (KeyError, ValueError):
            return _error(400, "INVALID_REQUEST", "give ?from=<ISO time with offset>&to=<ISO time with offset>")
        return web.json_response([
            {"referenceId": p.reference, "externalId": p.external_reference, "product": p.kind, "amount": str(p.amount),
             "currency": p.currency, "status": STATUS[p.status], "partyId": (p.phone or "").removeprefix("+"),
             "financialTransactionId": p.detail["transaction_id"] if p.status == "successful" else None,
             "at": p.at.isoformat()}
            for p in self.book.in_window("mtn", start, end)
        ])

    async def balance(self, request: web.Request) -> web.Response:
        """GET /disbursement/v1_0/account/balance: what our account holds."""
        if (failed := await self._faults()) is not None or (failed := self._refusal(request, "disbursement")) is not None:
            return failed
        return web.json_response({"availableBalance": str(self.book.balances["mtn"]), "currency": "XAF"})

    def setup(self, app: web.Application) -> None:
        app.router.add_get(f"{PREFIX}/statement", self.statement)
        app.router.add_get(f"{PREFIX}/disbursement/v1_0/account/balance", self.balance)
        product = "{product:collection|disbursement}"
        app.router.add_post(f"{PREFIX}/{product}/token/", self.token)
        app.router.add_post(f"{PREFIX}/{{product:collection}}/v1_0/requesttopay", self._create)
        app.router.add_get(f"{PREFIX}/{{product:collection}}/v1_0/requesttopay/{{reference}}", self.status)
        app.router.add_post(f"{PREFIX}/{{product:disbursement}}/v1_0/transfer", self._create)
        app.router.add_get(f"{PREFIX}/{{product:disbursement}}/v1_0/transfer/{{reference}}", self.status)
