"""WhatsApp Cloud API: a View as reply buttons or an interactive list, within Meta's limits.

Up to 3 short choices become reply buttons (titles of 20 characters at most); up to 10
become a list (row titles 24, descriptions 72, button label 20, body 1024); longer lists
page, 9 rows and a "More" row. A choice's id is the key it stands for ("3", "98"), so the
answer comes back as the same key a USSD user would press.
"""
from typing import Any

from menus.render import Shown
from menus.screen import View

BUTTONS, BUTTON_TITLE = 3, 20
ROWS, ROW_TITLE, ROW_DESCRIPTION = 10, 24, 72
BODY, LIST_BUTTON = 1024, 20


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _body(view: View) -> str:
    parts = [view.hint] if view.hint else []
    parts.append(view.title)
    if view.prompt:
        parts.append(view.prompt)
    return _cut("\n".join(parts), BODY)


def page_of(view: View) -> range:
    count = len(view.entries)
    if count <= ROWS:
        return range(0, count)
    per_page = ROWS - 1  # the last row is "More"
    start = min(view.page * per_page, max(count - 1, 0))
    return range(start, min(start + per_page, count))


def pages(view: View) -> int:
    count = len(view.entries)
    return 1 if count <= ROWS else -(-count // (ROWS - 1))


def show(view: View) -> Shown:
    return Shown(render(view), pages(view))


def render(view: View) -> dict[str, Any]:
    """The `interactive` (or `text`) part of a Cloud API message."""
    choosable = [(n, e) for n, e in enumerate(view.entries, 1) if not e.disabled]
    if view.end or not view.entries:
        return {"type": "text", "text": {"body": _body(view)}}
    if len(view.entries) <= BUTTONS and all(len(e.label) <= BUTTON_TITLE for _, e in choosable) and choosable:
        return {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": _body(view)},
                "action": {"buttons": [{"type": "reply", "reply": {"id": str(n), "title": e.label}} for n, e in choosable]},
            },
        }
    shown = page_of(view)
    rows = []
    for i in shown:
        entry = view.entries[i]
        title = _cut(entry.label, ROW_TITLE)
        row = {"id": str(i + 1), "title": title}
        if title != entry.label or entry.disabled:
            row["description"] = _cut(entry.label, ROW_DESCRIPTION)
        rows.append(row)
    if shown.stop < len(view.entries):
        rows.append({"id": "98", "title": _cut(view.labels.get("more", "More"), ROW_TITLE)})
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": _body(view)},
            "action": {"button": _cut(view.labels.get("choose", "Choose"), LIST_BUTTON), "sections": [{"rows": rows}]},
        },
    }
