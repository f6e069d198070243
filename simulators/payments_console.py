"""The SPEC's /sim/payments console: what the providers received, and the payer's answer."""
from dataclasses import asdict, fields

from aiohttp import web

from simulators.payment_book import Faults, PaymentBook


def _phone(raw: str) -> str:
    """A number from a query string, where a '+' may have arrived decoded as a space."""
    raw = raw.strip()
    return raw if raw.startswith("+") else "+" + raw


class PaymentsConsole:
    def __init__(self, book: PaymentBook) -> None:
        self.book = book

    async def listing(self, request: web.Request) -> web.Response:
        phone = request.query.get("phone", "")
        if not phone.strip():
            return web.json_response({"error": {"code": "bad_input", "message": "give ?phone=<E.164 number>"}}, status=400)
        return web.json_response(
            [
                {"reference": p.reference, "provider": p.provider, "phone": p.phone, "amount": p.amount,
                 "currency": p.currency, "status": p.status}
                for p in self.book.for_phone(_phone(phone))
            ]
        )

    async def answer(self, request: web.Request) -> web.Response:
        payment = self.book.get(request.match_info["reference"])
        if payment is None:
            return web.json_response({"error": {"code": "not_found", "message": "no such payment"}}, status=404)
        if payment.status != "pending":
            return web.json_response({"error": {"code": "conflict", "message": f"already {payment.status}"}}, status=409)
        self.book.settle(payment.reference, request.match_info["answer"] == "approve")
        return web.json_response({"reference": payment.reference, "status": payment.status})

    async def get_faults(self, request: web.Request) -> web.Response:
        return web.json_response(asdict(self.book.fault(request.match_info["provider"])))

    async def set_faults(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            allowed = {f.name for f in fields(Faults)}
            faults = Faults(**{k: v for k, v in body.items() if k in allowed})
        except (ValueError, TypeError, AttributeError):
            return web.json_response({"error": {"code": "bad_input", "message": "JSON with Faults fields"}}, status=400)
        self.book.faults[request.match_info["provider"]] = faults
        return web.json_response(asdict(faults))

    def setup(self, app: web.Application) -> None:
        app.router.add_get("/sim/payments", self.listing)
        app.router.add_post("/sim/payments/{reference}/{answer:approve|decline}", self.answer)
        app.router.add_get("/sim/providers/{provider:mtn|campay|stripe}/faults", self.get_faults)
        app.router.add_post("/sim/providers/{provider:mtn|campay|stripe}/faults", self.set_faults)
