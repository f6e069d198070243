"""Quarters of Yaounde and Douala: matching what people type, distances and delivery fees."""
import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii
from rapidfuzz.distance import OSA

DATA = Path(__file__).resolve().parent / "data" / "quarters.csv"
BASE_FEE_XAF = 500
PER_KM_XAF = 100
ROAD_FACTOR = 1.3  # roads wind: the straight line times 1.3 (SPEC, "Money and rules")
EARTH_RADIUS_KM = 6371.0088
# Words people put before a quarter's name: "carrefour Bastos", "pres de Mokolo", "vers Ndokoti"
_LEAD = re.compile(r"^(?:quartier|qtier|carrefour|carref|near|pres de|pres du|pres|vers|a cote de|chez) ")


@dataclass(frozen=True)
class Quarter:
    city: str
    name: str
    arrondissement: str  # blank where sources disagree or the quarter straddles two communes
    lat: float
    lon: float
    aliases: tuple[str, ...]
    source: str


def load_quarters(path: Path | None = None) -> list[Quarter]:
    """The bundled gazetteer (core/data/quarters.csv), in file order."""
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
    """'Carrefour Ngoa-Ekélé' -> 'ngoa ekele': lower-case ASCII words, leading 'carrefour'-like words dropped."""
    text = re.sub(r"[^a-z0-9]+", " ", anyascii(text or "").lower()).strip()
    while (shorter := _LEAD.sub("", text)) != text:
        text = shorter
    return text


def _key(text: str) -> str:
    # "Biyem Assi", "Biyem-Assi" and "biyemassi" are one spelling
    return normalize(text).replace(" ", "")


def _allowed_typos(key: str) -> int:
    """Edits forgiven: none below 4 letters (too many short names lie one letter apart)."""
    return 0 if len(key) < 4 else 1 if len(key) <= 6 else 2


def _could_be_typo_of(key: str, spelling: str) -> bool:
    # "pk11" is no typo of "pk10": a number means a place. In a short word one letter is a large
    # share and the first is the one people get right ("mali" is not "bali"), though a leading
    # N or M is often left off or added ("gousso" for Ngousso).
    same_number = [c for c in key if c.isdigit()] == [c for c in spelling if c.isdigit()]
    first_right = key[0] == spelling[0] or key == spelling[1:] or key[1:] == spelling
    return same_number and (len(key) > 6 or first_right)


def _edits(a: str, b: str, limit: int) -> int:
    """Edit distance where an adjacent swap counts one (optimal string alignment), capped at limit + 1."""
    return OSA.distance(a, b, score_cutoff=limit)


class Gazetteer:
    """Finds the quarter meant by typed text; None when unsure, so the caller keeps the text."""

    def __init__(self, quarters: Iterable[Quarter]) -> None:
        self.quarters = list(quarters)
        # (city key, spelling key) -> first quarter in file order with that spelling
        self._spellings: dict[tuple[str, str], Quarter] = {}
        for q in self.quarters:
            for spelling in (q.name, *q.aliases):
                if key := _key(spelling):
                    self._spellings.setdefault((_key(q.city), key), q)

    def match(self, text: str, city: str | None = None) -> Quarter | None:
        key = _key(text)
        if not key:
            return None
        city_key = None if city is None else _key(city)
        candidates = [(spelling, q) for (c, spelling), q in self._spellings.items() if city_key in (None, c)]
        exact = [q for spelling, q in candidates if spelling == key]
        if exact:
            return exact[0]
        limit = _allowed_typos(key)
        if not limit:
            return None
        near = [
            (_edits(key, spelling, limit), q)
            for spelling, q in candidates
            if _could_be_typo_of(key, spelling)
        ]
        best = min((d for d, _ in near), default=limit + 1)
        found = [q for d, q in near if d == best]
        # two different quarters equally near: guessing would deliver to the wrong one
        if best > limit or len({q.name for q in found}) != 1:
            return None
        return found[0]

    def in_city(self, city: str) -> list[Quarter]:
        return sorted((q for q in self.quarters if q.city == city), key=lambda q: q.name)

    def cities(self) -> list[str]:
        return sorted({q.city for q in self.quarters})

    def get(self, city: str, name: str) -> Quarter | None:
        return next((q for q in self.quarters if q.city == city and q.name == name), None)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def delivery_fee_xaf(distance_km: float) -> int:
    """500 XAF plus 100 XAF per started km of road, the road being the straight line times 1.3.

    A started km counts whole: 0 km costs 500, 0.1 km straight (0.13 km of road) costs 600.
    """
    if not distance_km >= 0:  # also refuses NaN
        raise ValueError(f"a distance is at least 0 km, not {distance_km!r}")
    road_km = round(distance_km * ROAD_FACTOR, 6)  # so 1/1.3 km straight is 1 km, not 1.0000000000000002
    return BASE_FEE_XAF + PER_KM_XAF * math.ceil(road_km)
