"""USSD: `CON `/`END ` plus at most max_chars ASCII characters; lists page with 98, 0 goes back.

Entries are numbered across pages (page 2 starts where page 1 ended), so a number always
means the same entry whatever page is shown. Labels too long for the screen are cut.
"""
from core.formatting import to_ascii
from menus.render import Shown
from menus.screen import View

ELLIPSIS = "."


def _fit(text: str, width: int) -> str:
    text = " ".join(to_ascii(text).split()) if "\n" not in text else to_ascii(text)
    if len(text) <= width:
        return text
    return text[: max(width - len(ELLIPSIS), 1)].rstrip() + ELLIPSIS


def _nav(view: View, page: int, more: bool) -> str:
    parts = []
    if more:
        parts.append(f"98 {view.labels.get('more', 'More')}")
    if view.back or page > 0:
        parts.append(f"0 {view.labels.get('back', 'Back')}")
    return "  ".join(parts)


def _head(view: View) -> list[str]:
    lines = []
    if view.hint:
        lines.append(view.hint)
    lines.append(view.title)
    return lines


def _budget(max_chars: int) -> int:
    return max_chars - len("CON ")


def pages(view: View, max_chars: int) -> list[range]:
    """Splits the entries into pages that fit; always at least one page, one entry a page."""
    count = len(view.entries)
    if count == 0:
        return [range(0, 0)]
    budget = _budget(max_chars)
    head = len("\n".join(to_ascii(l) for l in _head(view)))
    result, start = [], 0
    while start < count:
        end, used = start, head
        for i in range(start, count):
            line = len(f"\n{i + 1} ") + len(to_ascii(view.entries[i].label))
            last = i == count - 1
            nav = _nav(view, len(result), more=not last)
            if used + line + (len(nav) + 1 if nav else 0) > budget and end > start:
                break
            used += line
            end = i + 1
        result.append(range(start, end))
        start = end
    return result


def render(view: View, max_chars: int = 160) -> str:
    return show(view, max_chars).body


def show(view: View, max_chars: int = 160) -> Shown:
    """The reply body, `CON `/`END ` included, and the number of pages of the view's list."""
    budget = _budget(max_chars)
    if view.end or (not view.entries and view.prompt is None and not view.back):
        body = "\n".join(_head(view))
        return Shown("END " + _fit(body, budget), 1)
    paged = pages(view, max_chars)
    page = min(max(view.page, 0), len(paged) - 1)
    shown = paged[page]
    more = page < len(paged) - 1
    nav = _nav(view, page, more)
    lines = [_fit(l, budget) for l in _head(view)]
    lines += [f"{i + 1} {to_ascii(view.entries[i].label)}" for i in shown]
    if view.prompt:
        lines.append(to_ascii(view.prompt))
    if nav:
        lines.append(nav)
    body = "\n".join(lines)
    if len(body) > budget:
        body = _shrink(lines, nav, budget)
    return Shown("CON " + body, len(paged))


def _shrink(lines: list[str], nav: str, budget: int) -> str:
    """Cuts the longest lines until the screen fits; numbers and navigation stay whole."""
    fixed = [nav] if nav else []
    flexible = lines[: len(lines) - len(fixed)]
    while len("\n".join(flexible + fixed)) > budget:
        longest = max(range(len(flexible)), key=lambda i: len(flexible[i]))
        excess = len("\n".join(flexible + fixed)) - budget
        line = flexible[longest]
        keep = max(len(line) - excess - len(ELLIPSIS), 4)
        if keep >= len(line):
            flexible.pop(longest)  # nothing left to cut in it: drop it rather than overflow
            continue
        flexible[longest] = line[:keep].rstrip() + ELLIPSIS
    return "\n".join(flexible + fixed)
