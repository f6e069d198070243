"""The catalog's version: one row, bumped in the transaction of any change to what the catalog shows."""
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class CatalogState(Base):
    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # always 1
    version: Mapped[int] = mapped_column(default=1)
