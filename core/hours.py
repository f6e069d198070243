"""Opening hours in local time: is a restaurant open at a given moment."""
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from core.models import OpeningHours

DAY = 24 * 60


def minutes(hhmm: str) -> int:
    """'10:30' -> 630; '24:00' is the end of the day."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def span(opens: str, closes: str) -> tuple[int, int]:
    """Opening span in minutes; a closing time before the opening one means after midnight."""
    start, end = minutes(opens), minutes(closes)
    if end <= start:
        end += DAY
    return start, end


def is_open_at(hours: Iterable[OpeningHours], at_utc: datetime, tz: str) -> bool:
    local = at_utc.astimezone(ZoneInfo(tz))
    weekday, minute = local.weekday(), local.hour * 60 + local.minute
    yesterday = (weekday - 1) % 7
    for h in hours:
        if h.weekday == weekday and h.opens_min <= minute < h.closes_min:
            return True
        if h.weekday == yesterday and h.closes_min > DAY and minute < h.closes_min - DAY:
            return True
    return False
