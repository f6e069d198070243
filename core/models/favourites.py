"""A customer's favourites: restaurants and dishes they mark to find again in one key."""
from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class Favourite(Base):
    """One restaurant (`item_id` 0) or one dish of it, marked by one account.

    `item_id` is 0 rather than NULL for a restaurant so that one unique constraint holds on both
    databases (NULLs never collide in a unique constraint); `dish_id` is the dish's foreign key,
    so a dish deleted from a menu takes its favourites with it.
    """

    __tablename__ = "favourites"
    __table_args__ = (UniqueConstraint("account_id", "restaurant_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(default=0)
    dish_id: Mapped[int | None] = mapped_column(ForeignKey("menu_items.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
