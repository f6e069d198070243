"""The USSD funnel: how many sessions reached each screen, and left from it, per local day."""
from datetime import date

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class UssdScreenDay(Base):
    """One screen's counts on one day, bumped once per session when the gateway says it ended:
    a hop never writes here."""

    __tablename__ = "ussd_screen_days"
    __table_args__ = (UniqueConstraint("day", "screen"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]  # local, in the service's time zone
    screen: Mapped[str] = mapped_column(String(24))
    reached: Mapped[int] = mapped_column(default=0)  # sessions that showed it at least once
    left: Mapped[int] = mapped_column(default=0)  # sessions that ended on it without an END screen of ours
