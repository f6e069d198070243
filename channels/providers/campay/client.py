"""CamPay: one API that collects from MTN and Orange numbers in Cameroon, and pays back.

Its webhook carries a JWT `signature` made with our webhook key; a webhook that fails it is
refused, and one that passes is still only a reason to ask CamPay for the status.
"""
import time
from datetime import datetime, timedelta, timezone

import jwt

from channels.providers.campay.payloads import MAX_SIGNATURE
from channels.providers.http import ProviderHttp, refused
from core.errors import BadSignature
from core.models import Payment, Payout
from core.payments import ProviderAnswer
from core.payout_provider import StatementLine, TransferAnswer
from core.provider_error import ProviderError
from core.phones import msisdn

STATUSES = {"PENDING": "pending", "SUCCESSFUL": "successful", "FAILED": "failed"}


class Campay:
    name = "campay"
    refunds = True
    not_found_means_unsent = False  # without its reference only its webhook can tell

    def __init__(self, base_url: str, username: str, password: str, *, timeout_s: float = 10.0) -> None:
        self.http = ProviderHttp(base_url, timeout_s=timeout_s)
        self.username = username
        self.password = password
        self.token: tuple[str, float] = ("", 0.0)

    async def _headers(self) -> dict[str, str]:
        token, expires = self.token
        if not token or time.monotonic() >= expires - 60:
            status, body = await self.http.call("POST", "/api/token/", json={"username": self.username, "password": self.password})
            if status != 200:
                raise refused(status, body)
            token = body["token"]
            self.token = (token, time.monotonic() + int(body.get("expires_in", 3600)))
        return {"Authorization": f"Token {token}"}

    async def close(self) -> None:
        await self.http.close()

    async def request(self, payment: Payment) -> ProviderAnswer:
        body = {
            "amount": str(payment.amount_xaf),
            "currency": "XAF",
            "from": msisdn(payment.payer_phone),
            "description": f"Chopbar {payment.reference[:8]}",
            "external_reference": payment.reference,
        }
        status, answer = await self.http.call("POST", "/api/collect/", headers=await self._headers(), json=body)
        if status != 200:
            raise refused(status, answer)
        return ProviderAnswer("pending", provider_reference=answer["reference"], operator=answer.get("operator"))

    async def check(self, payment: Payment) -> ProviderAnswer:
        if not payment.provider_reference:  # CamPay never told us its reference: only its webhook can
            return ProviderAnswer("not_found")
        status, body = await self.http.call(
            "GET", f"/api/transaction/{payment.provider_reference}/", headers=await self._headers(), ok=(200, 404)
        )
        if status == 404:
            return ProviderAnswer("not_found")
        return ProviderAnswer(
            STATUSES.get(body.get("status", ""), "pending"), provider_reference=payment.provider_reference,
            operator=body.get("operator"), reason=body.get("reason"),
        )

    async def refund(self, payment: Payment, amount_xaf: int) -> ProviderAnswer:
        body = {
            "amount": str(amount_xaf),
            "currency": "XAF",
            "to": msisdn(payment.payer_phone),
            "description": f"Chopbar refund {payment.reference[:8]}",
            "external_reference": f"refund-{payment.reference}-{payment.refunded_xaf}",
        }
        status, answer = await self.http.call("POST", "/api/withdraw/", headers=await self._headers(), json=body)
        if status != 200:
            raise refused(status, answer)
        return ProviderAnswer("successful", provider_reference=answer.get("reference"))


    async def transfer(self, payout: Payout) -> TransferAnswer:
        """A withdraw to the payee's number. CamPay takes no idempotency key: the send reference
        goes as external_reference, and a status check finds it in the history before any retry."""
        body = {
            "amount": str(payout.amount_xaf),
            "currency": "XAF",
            "to": msisdn(payout.phone),
            "description": f"Chopbar payout {payout.reference[:8]}",
            "external_reference": payout.send_reference,
        }
        status, answer = await self.http.call("POST", "/api/withdraw/", headers=await self._headers(), json=body)
        if status != 200:
            raise refused(status, answer)  # ER301: not enough balance, a definite no for now
        return TransferAnswer("pending", provider_reference=answer.get("reference"))

    async def transfer_status(self, payout: Payout) -> TransferAnswer:
        reference = payout.provider_reference
        if not reference:  # the withdraw's answer never reached us: look for our key in the history
            since = payout.created_at - timedelta(days=1)
            lines = await self.statement(since, datetime.now(timezone.utc) + timedelta(days=1))
            found = [line for line in lines if line.direction == "out" and line.our_reference == payout.send_reference]
            if not found:
                return TransferAnswer("not_found")
            reference = found[-1].reference
        status, body = await self.http.call("GET", f"/api/transaction/{reference}/", headers=await self._headers(), ok=(200, 404))
        if status == 404:
            return TransferAnswer("not_found")
        return TransferAnswer(STATUSES.get(body.get("status", ""), "pending"), provider_reference=reference, reason=body.get("reason"))

    async def statement(self, start: datetime, end: datetime) -> list[StatementLine]:
        """CamPay's transaction history for the days the window touches, cut to the window."""
        body = {"start_date": start.astimezone(timezone.utc).date().isoformat(),
                "end_date": end.astimezone(timezone.utc).date().isoformat()}
        status, rows = await self.http.call("POST", "/api/history/", headers=await self._headers(), json=body)
        if status != 200 or not isinstance(rows, list):
            raise refused(status, rows)
        lines = []
        try:
            for row in rows:
                at = datetime.fromisoformat(row["created_at"])
                if start <= at < end:
                    lines.append(StatementLine(
                        provider="campay", reference=row["reference"],
                        our_reference=our_reference(row.get("external_reference") or ""),
                        direction="in" if row.get("type") == "collect" else "out", amount_xaf=int(row["amount"]),
                        status=STATUSES.get(row.get("status", ""), "pending"), at=at,
                    ))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ProviderError(f"CamPay history unreadable: {exc!r}", retryable=True) from None
        return lines


def our_reference(external: str) -> str:
    """The payment a refund belongs to (we send `refund-<payment reference>-<refunded before>`)."""
    if external.startswith("refund-"):
        return external[len("refund-"):].rsplit("-", 1)[0]
    return external


def verify_webhook(params: dict[str, str], key: str) -> dict:
    """Checks the JWT `signature` (HS256 only: `none` and others are refused)."""
    signature = params.get("signature", "")
    if not (signature.isascii() and signature.isprintable()) or len(signature) > MAX_SIGNATURE:
        raise BadSignature("CamPay signature refused: not a JWT")
    try:
        claims = jwt.decode(signature, key, algorithms=["HS256"], options={"require": []})
    except jwt.PyJWTError as exc:
        raise BadSignature(f"CamPay signature refused: {exc}") from None
    except RecursionError:  # a header or claims nested deeper than json.loads goes, inside the token
        raise BadSignature("CamPay signature refused: not a JWT") from None
    if claims.get("reference") not in (None, params.get("reference")):
        raise BadSignature("CamPay signature is for another transaction")
    return claims
