"""Texting the service the way Africa's Talking delivers SMS, and reading what came back."""
import itertools

ids = itertools.count(1)


async def text(chopbar, phone: str, body: str, message_id: str | None = None) -> int:
    """One inbound SMS in AT's form; returns the HTTP status."""
    response = await chopbar.post(
        "/sms/africastalking",
        data={"from": phone, "to": "2468", "text": body, "date": "2026-11-24 11:30:00",
              "id": message_id or f"ATXid_test{next(ids)}", "linkId": "x"},
    )
    return response.status


async def inbox(chopbar, phone: str) -> list[str]:
    return [m["text"] for m in await (await chopbar.get("/sim/messages", params={"to": phone})).json()]


async def last(chopbar, phone: str) -> str:
    messages = await inbox(chopbar, phone)
    return messages[-1] if messages else ""
