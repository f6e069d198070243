"""What can be ordered: quarters, restaurants, their hours, menus and options."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base
from core.models.types import Sealed, blind_index
from core.ratings import average


class Quarter(Base):
    """A quarter of a city with a representative point; seeded from quarters.csv, support adds more."""

    __tablename__ = "quarters"
    __table_args__ = (UniqueConstraint("city", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(60))
    arrondissement: Mapped[str] = mapped_column(String(40), default="")
    lat: Mapped[float]
    lon: Mapped[float]
    aliases: Mapped[str] = mapped_column(Text, default="")  # "|"-separated spellings people type
    source: Mapped[str] = mapped_column(String(160), default="")


class Restaurant(Base):
    __tablename__ = "restaurants"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    city: Mapped[str] = mapped_column(String(40), index=True)
    quarter_id: Mapped[int] = mapped_column(ForeignKey("quarters.id"))
    landmark: Mapped[str] = mapped_column(String(120), default="")
    lat: Mapped[float]
    lon: Mapped[float]
    phone: Mapped[str] = mapped_column(Sealed)  # runs the SMS console
    phone_key: Mapped[str] = mapped_column(String(32), index=True)
    backup_phone: Mapped[str | None] = mapped_column(Sealed)
    backup_phone_key: Mapped[str | None] = mapped_column(String(32), index=True)
    language: Mapped[str] = mapped_column(String(2), default="fr")  # of its SMS console
    status: Mapped[str] = mapped_column(String(16), default="pending")  # state_machines/restaurant.py
    paused: Mapped[bool] = mapped_column(default=False)  # CLOSE/FERME by SMS until OPEN/OUVRE
    auto_accept: Mapped[bool] = mapped_column(default=False)  # AUTO ON: every new order accepted at once
    prep_minutes: Mapped[int] = mapped_column(default=20)  # "ready in about" of an automatic accept
    completed_orders: Mapped[int] = mapped_column(default=0)
    # Every rating of its food adds one to the count and its stars to the total, in the rating's
    # transaction (core.feedback): the average is read without a query over the ratings.
    rating_count: Mapped[int] = mapped_column(default=0)
    rating_total: Mapped[int] = mapped_column(default=0)
    cuisine: Mapped[str] = mapped_column(String(60), default="")
    # Set by an admin, it replaces the tier's commission (core.pricing.commission_of); null: the tier's
    commission_percent: Mapped[int | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]  # its last change of status

    quarter: Mapped[Quarter] = relationship(lazy="joined")

    @property
    def rating_average(self) -> float | None:
        """Its customers' average stars (1 to 5, one decimal), None before its first rating."""
        return average(self.rating_total, self.rating_count)

    hours: Mapped[list["OpeningHours"]] = relationship(
        lazy="selectin", order_by="OpeningHours.weekday", cascade="all, delete-orphan"
    )


blind_index(Restaurant, "phone", "phone_key")
blind_index(Restaurant, "backup_phone", "backup_phone_key")


class OpeningHours(Base):
    """One opening span on a weekday, in local minutes; closes_min may pass 1440 (after midnight)."""

    __tablename__ = "opening_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]  # 0 Monday .. 6 Sunday
    opens_min: Mapped[int]
    closes_min: Mapped[int]


class MenuCategory(Base):
    __tablename__ = "menu_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"), index=True)
    name_en: Mapped[str] = mapped_column(String(40))
    name_fr: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    # Kept, off the menu, while archived dishes of it are: deleting it would delete them.
    archived_at: Mapped[datetime | None]


class MenuItem(Base):
    __tablename__ = "menu_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("menu_categories.id", ondelete="CASCADE"), index=True)
    name_en: Mapped[str] = mapped_column(String(40))
    name_fr: Mapped[str] = mapped_column(String(40))
    description_en: Mapped[str] = mapped_column(String(160), default="")
    description_fr: Mapped[str] = mapped_column(String(160), default="")
    price_xaf: Mapped[int]
    available: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)  # the dish's number on the restaurant's menu; 0 once archived
    # A deleted dish that past orders or carts name stays, off the menu, so their lines keep pointing at it.
    archived_at: Mapped[datetime | None]

    option_groups: Mapped[list["OptionGroup"]] = relationship(
        lazy="selectin", order_by="OptionGroup.position", cascade="all, delete-orphan"
    )


class OptionGroup(Base):
    """Sizes (choose exactly one) or extras (choose up to max_choices)."""

    __tablename__ = "option_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("menu_items.id", ondelete="CASCADE"), index=True)
    name_en: Mapped[str] = mapped_column(String(40))
    name_fr: Mapped[str] = mapped_column(String(40))
    min_choices: Mapped[int] = mapped_column(default=0)
    max_choices: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)

    options: Mapped[list["MenuOption"]] = relationship(
        lazy="selectin", order_by="MenuOption.position", cascade="all, delete-orphan"
    )


class MenuOption(Base):
    __tablename__ = "menu_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("option_groups.id", ondelete="CASCADE"), index=True)
    name_en: Mapped[str] = mapped_column(String(40))
    name_fr: Mapped[str] = mapped_column(String(40))
    price_delta_xaf: Mapped[int] = mapped_column(default=0)
    available: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
