"""Quarters of Yaounde and Douala: matching what people type, distances and delivery fees."""
import csv
import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii

DATA = Path(__file__).resolve().parent / "data" / "quarters.csv"
BASE_FEE_XAF = 500
PER_KM_XAF = 100
ROAD_FACTOR = 1.3


@dataclass(frozen=True)
class Quarter:
    city: str
    name: str
    arrondissement: str
    lat: float
    lon: float
    aliases: tuple[str, ...]
    source: str


def load_quarters(path: Path | None = None) -> list[Quarter]:
    with (path or DATA).open(newline="", encoding="utf-8") as f:
        return [
            Quarter(
                city=row["city"], name=row["quarter"], arrondissement=row["arrondissement"],
                lat=float(row["lat"]), lon=float(row["lon"]),
                aliases=tuple(a for a in row["aliases"].split("|") if a), source=row["source"],
            )
            for row in csv.DictReader(f)
        ]


def normalize(text: str) -> str:
    text = re.sub(r"[^a-z0-9]+", " ", anyascii(text).lower()).strip()
    return re.sub(r"^(quartier|carrefour|near|pres de|vers) ", "", text)


class Gazetteer:
    def __init__(self, quarters: Iterable[Quarter]) -> None:
        self.quarters = list(quarters)
        self.index: dict[tuple[str, str], Quarter] = {}
        for q in self.quarters:
            for spelling in (q.name, *q.aliases):
                self.index.setdefault((q.city, normalize(spelling).replace(" ", "")), q)

    def match(self, text: str, city: str | None = None) -> Quarter | None:
        key = normalize(text).replace(" ", "")
        if len(key) < 3:
            return None
        candidates = {k: q for k, q in self.index.items() if city is None or k[0] == city}
        for (c, spelling), q in candidates.items():
            if spelling == key:
                return q
        spellings = [s for (_, s) in candidates]
        close = difflib.get_close_matches(key, spellings, n=1, cutoff=0.85 if len(key) > 6 else 0.8)
        if close:
            return next(q for (c, s), q in candidates.items() if s == close[0])
        return None

    def in_city(self, city: str) -> list[Quarter]:
        return sorted((q for q in self.quarters if q.city == city), key=lambda q: q.name)

    def cities(self) -> list[str]:
        return sorted({q.city for q in self.quarters})

    def get(self, city: str, name: str) -> Quarter | None:
        return next((q for q in self.quarters if q.city == city and q.name == name), None)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def delivery_fee_xaf(distance_km: float) -> int:
    road = distance_km * ROAD_FACTOR
    return BASE_FEE_XAF + PER_KM_XAF * math.ceil(round(road, 6))
