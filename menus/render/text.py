"""Numbered text: the dialog as a plain message (SMS, WhatsApp through Twilio), all entries shown."""
from menus.render import Shown
from menus.screen import View


def render(view: View) -> str:
    lines = [view.hint] if view.hint else []
    lines.append(view.title)
    lines += [f"{n} {entry.label}" for n, entry in enumerate(view.entries, 1)]
    if view.prompt:
        lines.append(view.prompt)
    if not view.end and view.back:
        lines.append(f"0 {view.labels.get('back', 'Back')}  00 {view.labels.get('home', 'Home')}")
    return "\n".join(lines)


def show(view: View) -> Shown:
    return Shown(render(view), 1)  # a message holds the whole list
