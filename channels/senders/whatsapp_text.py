"""A WhatsApp message part (text, list or buttons, as the dialog renders them) as plain numbered
text, for the SMS that carries it when WhatsApp will not."""
import json


def plain_text(body: str) -> str:
    """The words of a Cloud API message part, numbered, for an SMS."""
    try:
        part = json.loads(body)
    except ValueError:
        return body
    if not isinstance(part, dict):
        return body
    if part.get("type") == "text":
        return part["text"]["body"]
    interactive = part.get("interactive", {})
    lines = [interactive.get("body", {}).get("text", "")]
    action = interactive.get("action", {})
    for button in action.get("buttons", []):
        lines.append(f"{button['reply']['id']} {button['reply']['title']}")
    for section in action.get("sections", []):
        lines += [f"{row['id']} {row['title']}" for row in section.get("rows", [])]
    return "\n".join(lines)
