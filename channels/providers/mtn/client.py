"""MTN MoMo Open API: Collections to be paid (requesttopay), Disbursements to refund.

The reference we send as X-Reference-Id is our payment's own, stored before the call, so a
retry after a timeout asks for the status instead of prompting the payer twice. MTN's
callback is unsigned: it only makes us ask for the status sooner.
"""
import base64
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from channels.providers.http import ProviderHttp, refused
from core.models import Payment, Payout
from core.payments import ProviderAnswer
from core.payout_provider import StatementLine, TransferAnswer
from core.provider_error import ProviderError
from core.phones import msisdn

STATUSES = {"PENDING": "pending", "SUCCESSFUL": "successful", "FAILED": "failed"}


@dataclass
class MtnCredentials:
    api_user: str
    api_key: str
    collection_key: str  # Ocp-Apim-Subscription-Key of the Collections product
    disbursement_key: str
    target_environment: str  # "sandbox", or "mtncameroon" in production
    currency: str = "XAF"


class MtnMomo:
    name = "mtn"
    refunds = True
    not_found_means_unsent = True  # it looks requests up by our reference

    def __init__(self, base_url: str, credentials: MtnCredentials, callback_url: str, *, timeout_s: float = 10.0,
                 statement_url: str | None = None) -> None:
        self.http = ProviderHttp(base_url, timeout_s=timeout_s)
        self.credentials = credentials
        self.callback_url = callback_url
        # MTN's Open API has no statement call (the partner portal exports one): only the
        # simulator answers one, under /sim/mtn/statement.
        self.statement_http = ProviderHttp(statement_url, timeout_s=timeout_s) if statement_url else None
        self.tokens: dict[str, tuple[str, float]] = {}

    async def _token(self, product: str) -> str:
        token, expires = self.tokens.get(product, ("", 0.0))
        if token and time.monotonic() < expires - 60:
            return token
        c = self.credentials
        basic = base64.b64encode(f"{c.api_user}:{c.api_key}".encode()).decode()
        status, body = await self.http.call(
            "POST", f"/{product}/token/",
            headers={"Authorization": f"Basic {basic}", "Ocp-Apim-Subscription-Key": self._key(product)},
        )
        if status != 200:
            raise refused(status, body)
        self.tokens[product] = (body["access_token"], time.monotonic() + int(body.get("expires_in", 3600)))
        return body["access_token"]

    def _key(self, product: str) -> str:
        return self.credentials.collection_key if product == "collection" else self.credentials.disbursement_key

    async def _headers(self, product: str, reference: str | None = None) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {await self._token(product)}",
            "X-Target-Environment": self.credentials.target_environment,
            "Ocp-Apim-Subscription-Key": self._key(product),
        }
        if reference:
            headers["X-Reference-Id"] = reference
        return headers

    async def close(self) -> None:
        await self.http.close()
        if self.statement_http is not None:
            await self.statement_http.close()

    async def request(self, payment: Payment) -> ProviderAnswer:
        headers = await self._headers("collection", payment.reference)
        headers["X-Callback-Url"] = self.callback_url
        body = {
            "amount": str(payment.amount_xaf),
            "currency": self.credentials.currency,
            "externalId": payment.reference,
            "payer": {"partyIdType": "MSISDN", "partyId": msisdn(payment.payer_phone)},
            "payerMessage": "Chopbar",
            "payeeNote": f"Chopbar {payment.reference[:8]}",
        }
        status, answer = await self.http.call("POST", "/collection/v1_0/requesttopay", headers=headers, json=body, ok=(202, 409))
        if status not in (202, 409):  # 409: this reference was already received, which is what we want
            raise refused(status, answer)
        return ProviderAnswer("pending", provider_reference=payment.reference, operator="MTN")

    async def check(self, payment: Payment) -> ProviderAnswer:
        headers = await self._headers("collection")
        status, body = await self.http.call("GET", f"/collection/v1_0/requesttopay/{payment.reference}", headers=headers, ok=(200, 404))
        if status == 404:
            return ProviderAnswer("not_found")
        return ProviderAnswer(
            STATUSES.get(body.get("status", ""), "pending"), provider_reference=body.get("financialTransactionId"),
            reason=body.get("reason"), operator="MTN",
        )

    async def refund(self, payment: Payment, amount_xaf: int) -> ProviderAnswer:
        # Derived, not random: a retried refund reuses its reference and MTN answers 409.
        reference = str(uuid.uuid5(uuid.NAMESPACE_URL, f"refund:{payment.reference}:{payment.refunded_xaf}"))
        body = {
            "amount": str(amount_xaf),
            "currency": self.credentials.currency,
            "externalId": payment.reference,
            "payee": {"partyIdType": "MSISDN", "partyId": msisdn(payment.payer_phone)},
            "payerMessage": "Chopbar refund",
            "payeeNote": f"Refund {payment.reference[:8]}",
        }
        headers = await self._headers("disbursement", reference)
        status, answer = await self.http.call("POST", "/disbursement/v1_0/transfer", headers=headers, json=body, ok=(202, 409))
        if status not in (202, 409):
            raise refused(status, answer)
        status, body = await self.http.call("GET", f"/disbursement/v1_0/transfer/{reference}", headers=await self._headers("disbursement"), ok=(200,))
        return ProviderAnswer(STATUSES.get(body.get("status", ""), "pending"), provider_reference=reference)

    async def transfer(self, payout: Payout) -> TransferAnswer:
        """A Disbursements transfer keyed by the payout's send reference: asking again with the
        same key gets 409, never a second transfer."""
        body = {
            "amount": str(payout.amount_xaf),
            "currency": self.credentials.currency,
            "externalId": payout.send_reference,
            "payee": {"partyIdType": "MSISDN", "partyId": msisdn(payout.phone)},
            "payerMessage": "Chopbar payout",
            "payeeNote": f"Chopbar {payout.reference[:8]}",
        }
        headers = await self._headers("disbursement", payout.send_reference)
        status, answer = await self.http.call("POST", "/disbursement/v1_0/transfer", headers=headers, json=body, ok=(202, 409))
        if status not in (202, 409):
            raise refused(status, answer)
        return TransferAnswer("pending", provider_reference=payout.send_reference)

    async def transfer_status(self, payout: Payout) -> TransferAnswer:
        headers = await self._headers("disbursement")
        status, body = await self.http.call(
            "GET", f"/disbursement/v1_0/transfer/{payout.send_reference}", headers=headers, ok=(200, 404)
        )
        if status == 404:
            return TransferAnswer("not_found")
        return TransferAnswer(
            STATUSES.get(body.get("status", ""), "pending"),
            provider_reference=body.get("financialTransactionId") or payout.send_reference, reason=body.get("reason"),
        )

    async def statement(self, start: datetime, end: datetime) -> list[StatementLine]:
        if self.statement_http is None:
            raise ProviderError("MTN MoMo has no statement API: export it from the partner portal", retryable=False)
        status, rows = await self.statement_http.call(
            "GET", "/statement", params={"from": start.isoformat(), "to": end.isoformat()}, ok=(200,)
        )
        if status != 200 or not isinstance(rows, list):
            raise refused(status, rows)
        try:
            return [
                StatementLine(
                    provider="mtn", reference=row["referenceId"], our_reference=row["externalId"],
                    direction="in" if row["product"] == "collection" else "out", amount_xaf=int(row["amount"]),
                    status=STATUSES.get(row["status"], "pending"), at=datetime.fromisoformat(row["at"]),
                )
                for row in rows
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise ProviderError(f"MTN statement unreadable: {exc!r}", retryable=True) from None
