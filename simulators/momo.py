"""A simulated MTN MoMo Open API: Collections (requesttopay) and Disbursements (transfer).

Paths, headers and bodies as MTN's; the callback is an unsigned PUT of the status body.
"""
import base64
import json
import secrets
import uuid

import aiohttp
from aiohttp import web

from simulators.payment_book import PaymentBook, SimPayment

PREFIX = "/sim/mtn"
STATUS = {"pending": "PENDING", "successful": "SUCCESSFUL", "failed": "FAILED"}


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status)


class MomoSimulator:
    def __init__(self, book: PaymentBook) -> None:
        self.book = book
        self.tokens: set[str] = set()
        book.notifiers["mtn"] = self.callback

    async def _faults(self) -> web.Response | None:
        failing = await self.book.apply_faults("mtn")
        return _error(failing, "INTERNAL_PROCESSING_ERROR", "simulated failure") if failing else None

    async def token(self, request: web.Request) -> web.Response:
        if (failed := await self._faults()) is not None:
            return failed
        auth = request.headers.get("Authorization", "")
        try:
            user, _, key = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
        except ValueError:
            user = key = ""
        if not auth.startswith("Basic ") or not user or not key or not request.headers.get("Ocp-Apim-Subscription-Key"):
            return web.json_response({"error": "invalid_client"}, status=401)
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        return web.json_response({"access_token": token, "token_type": "access_token", "expires_in": 3600})

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization", "").removeprefix("Bearer ") in self.tokens and bool(
            request.headers.get("X-Target-Environment")
        )

    async def _create(self, request: web.Request, kind: str, party: str) -> web.Response:
        if (failed := await self._faults()) is not None:
            return failed
        if not self._authorized(request):
            return web.json_response({"error": "unauthorized"}, status=401)
        reference = request.headers.get("X-Reference-Id", "")
        try:
            uuid.UUID(reference)
            body = await request.json()
            amount = body["amount"]
            msisdn = body[party]["partyId"]
            if not (isinstance(amount, str) and amount.isdigit() and str(msisdn).isdigit()):
                raise ValueError
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            return _error(400, "INVALID_REQUEST", "bad X-Reference-Id or body")
        if self.book.get(reference) is not None:
            return _error(409, "RESOURCE_ALREADY_EXIST", "Duplicated reference id. Creation of resource failed.")
        payment = SimPayment(
            reference=reference, provider="mtn", phone="+" + msisdn, amount=int(amount), currency=body.get("currency", "XAF"),
            external_reference=body.get("externalId", ""), kind=kind, operator="MTN",
            callback_url=request.headers.get("X-Callback-Url"), detail={"body": body, "party": party},
        )
        self.book.add(payment)
        if kind == "disbursement":
            payment.status = "successful"
        return web.Response(status=202)

    async def request_to_pay(self, request: web.Request) -> web.Response:
        return await self._create(request, "collection", "payer")

    async def transfer(self, request: web.Request) -> web.Response:
        return await self._create(request, "disbursement", "payee")

    async def _status(self, request: web.Request) -> web.Response:
        if (failed := await self._faults()) is not None:
            return failed
        if not self._authorized(request):
            return web.json_response({"error": "unauthorized"}, status=401)
        payment = self.book.get(request.match_info["reference"])
        if payment is None or payment.provider != "mtn":
            return _error(404, "RESOURCE_NOT_FOUND", "Requested resource was not found.")
        return web.json_response(self.body(payment))

    @staticmethod
    def body(payment: SimPayment) -> dict:
        sent = payment.detail["body"]
        body = {
            "amount": str(payment.amount), "currency": payment.currency, "externalId": payment.external_reference,
            payment.detail["party"]: sent[payment.detail["party"]], "payerMessage": sent.get("payerMessage", ""),
            "payeeNote": sent.get("payeeNote", ""), "status": STATUS[payment.status],
        }
        if payment.status == "successful":
            body["financialTransactionId"] = str(abs(hash(payment.reference)) % 10**9)
        if payment.status == "failed":
            body["reason"] = payment.reason or "APPROVAL_REJECTED"
        return body

    async def callback(self, payment: SimPayment) -> None:
        if not payment.callback_url:
            return
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            await http.put(payment.callback_url, json=self.body(payment))

    def setup(self, app: web.Application) -> None:
        for product in ("collection", "disbursement"):
            app.router.add_post(f"{PREFIX}/{product}/token/", self.token)
        app.router.add_post(f"{PREFIX}/collection/v1_0/requesttopay", self.request_to_pay)
        app.router.add_get(f"{PREFIX}/collection/v1_0/requesttopay/{{reference}}", self._status)
        app.router.add_post(f"{PREFIX}/disbursement/v1_0/transfer", self.transfer)
        app.router.add_get(f"{PREFIX}/disbursement/v1_0/transfer/{{reference}}", self._status)
