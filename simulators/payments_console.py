"""The SPEC's /sim/payments console: what the providers asked of a phone, the payer's answer, injected faults."""
import json
from dataclasses import asdict

from aiohttp import web

from simulators.faults import check_fail_status, check_seconds, faults_of
from simulators.payment_book import Faults, PaymentBook


def _phone(raw: str) -> str:
    """A number from a query string, where a '+' may have arrived decoded as a space."""
    raw = raw.strip()
    return raw if raw.startswith("+") else "+" + raw


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def faults_from(body: object) -> Faults:
    """Faults from JSON; a missing field takes its default, a wrong one raises ValueError."""
    faults = faults_of(Faults, body)
    for name in ("delay_s", "callback_delay_s"):
        check_seconds(getattr(faults, name), name)
    if not isinstance(faults.timeout, bool):
        raise ValueError("timeout is true or false")
    check_fail_status(faults.fail_status)
    if type(faults.callbacks) is not int or faults.callbacks < 0:
        raise ValueError("callbacks is a whole number, 0 or more")
    return faults


class PaymentsConsole:
    def __init__(self, book: PaymentBook) -> None:
        self.book = book

    async def listing(self, request: web.Request) -> web.Response:
        phone = request.query.get("phone", "")
        if not phone.strip():
            return _error(400, "bad_input", "give ?phone=<E.164 number>")
        return web.json_response(
            [
                {"reference": p.reference, "provider": p.provider, "phone": p.phone, "amount": p.amount,
                 "currency": p.currency, "status": p.status}
                for p in self.book.for_phone(_phone(phone))
            ]
        )

    async def answer(self, request: web.Request) -> web.Response:
        """The payer approves or declines the prompt; the provider then calls back."""
        payment = self.book.get(request.match_info["reference"])
        if payment is None or payment.kind != "collection":
            return _error(404, "not_found", "no such payment")
        if payment.status != "pending":
            return _error(409, "conflict", f"already {payment.status}")
        if not payment.prompted:
            return _error(409, "conflict", "nothing to answer yet: the card payment was not confirmed")
        self.book.settle(payment.reference, request.match_info["answer"] == "approve")
        return web.json_response({"reference": payment.reference, "status": payment.status})

    async def get_faults(self, request: web.Request) -> web.Response:
        return web.json_response(asdict(self.book.fault(request.match_info["provider"])))

    async def set_faults(self, request: web.Request) -> web.Response:
        try:
            raw = await request.read()
            faults = faults_from(json.loads(raw) if raw.strip() else {})  # an empty POST lifts every fault
        except (ValueError, TypeError) as exc:
            return _error(400, "bad_input", str(exc))
        self.book.faults[request.match_info["provider"]] = faults
        return web.json_response(asdict(faults))

    async def transfers(self, request: web.Request) -> web.Response:
        """Money the provider sent out (refunds and payouts), oldest first, and its balance."""
        provider = request.match_info["provider"]
        sent = [p for p in self.book.payments.values() if p.provider == provider and p.kind == "disbursement"]
        return web.json_response({
            "balance": self.book.balances[provider],
            "transfers": [
                {"reference": p.reference, "external_reference": p.external_reference, "phone": p.phone, "amount": p.amount,
                 "currency": p.currency, "status": p.status, "reason": p.reason}
                for p in sorted(sent, key=lambda p: p.created_at)
            ],
        })

    async def script_transfers(self, request: web.Request) -> web.Response:
        """`{"outcomes": ["failed", "pending", "stall"], "balance": 0}`: what the next transfers do, and the balance."""
        provider = request.match_info["provider"]
        try:
            body = json.loads(await request.read() or b"{}")
            if not isinstance(body, dict) or set(body) - {"outcomes", "balance"}:
                raise ValueError("a JSON object with outcomes (a list) and balance (XAF)")
            outcomes, balance = body.get("outcomes", []), body.get("balance")
            if not isinstance(outcomes, list) or (balance is not None and (type(balance) is not int or balance < 0)):
                raise ValueError("outcomes is a list; balance a whole number of XAF, 0 or more")
            self.book.script_transfers(provider, outcomes)
        except ValueError as exc:
            return _error(400, "bad_input", str(exc))
        if balance is not None:
            self.book.balances[provider] = balance
        return await self.transfers(request)

    async def settle_transfer(self, request: web.Request) -> web.Response:
        """A pending transfer ends: the payee's operator credited them, or refused."""
        payment = self.book.get(request.match_info["reference"])
        if payment is None or payment.kind != "disbursement":
            return _error(404, "not_found", "no such transfer")
        if payment.status != "pending":
            return _error(409, "conflict", f"already {payment.status}")
        self.book.settle(payment.reference, request.match_info["answer"] == "succeed", "PAYEE_NOT_FOUND")
        return web.json_response({"reference": payment.reference, "status": payment.status})

    def setup(self, app: web.Application) -> None:
        app.router.add_get("/sim/providers/{provider:mtn|campay}/transfers", self.transfers)
        app.router.add_post("/sim/providers/{provider:mtn|campay}/transfers", self.script_transfers)
        app.router.add_post("/sim/transfers/{reference}/{answer:succeed|fail}", self.settle_transfer)
        app.router.add_get("/sim/payments", self.listing)
        app.router.add_post("/sim/payments/{reference}/{answer:approve|decline}", self.answer)
        app.router.add_get("/sim/providers/{provider:mtn|campay|stripe}/faults", self.get_faults)
        app.router.add_post("/sim/providers/{provider:mtn|campay|stripe}/faults", self.set_faults)
