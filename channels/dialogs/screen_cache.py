"""Screens worked out once and shown many times: the catalog's lists, filled and rendered.

A screen that shows only the catalog (`menus.screen.Screen.cached_by`) looks the same to
every caller on the same snapshot, in the same language, at the same place in it; the engine
keeps what it filled and rendered here, keyed by the catalog's version, and serves the next
caller from it. A new catalog version simply stops matching its entries; when the cache is
full it starts again empty, so it never holds more than `most` screens.
"""
from collections.abc import Hashable
from typing import Any


class ScreenCache:
    def __init__(self, most: int = 20_000) -> None:
        self.most = most
        self.entries: dict[Hashable, Any] = {}

    def get(self, key: Hashable) -> Any:
        return self.entries.get(key)

    def put(self, key: Hashable, value: Any) -> Any:
        if len(self.entries) >= self.most:
            self.entries.clear()
        self.entries[key] = value
        return value
