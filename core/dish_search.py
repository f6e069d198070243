"""Finding dishes by what people type: names folded to plain lower-case words, matched word by
word with typos forgiven, over an index built once per catalog snapshot.

A query word scores against a word of a dish's name (English or French): the same word 100, the
start of it 90 ("beign" for beignets), one edit 80 and two 60 (a letter wrong, missing, extra, or
two swapped, optimal string alignment: none under 3 letters, two from 7), the start of it with
one edit 70. A dish scores the mean of its query words' best scores, weighted by their length,
so one short word missed costs less than a long one; the name typed without its spaces
("pouletdg") counts as a whole. Dishes scoring under MIN_SCORE are left out, and so are those
more than MARGIN under the best: a query that names a dish exactly does not bring its lookalikes
(KOKI is not OKOK), while a mistyped one brings every near dish.
"""
import re
import weakref
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.catalog import Catalog

MIN_SCORE = 60
MARGIN = 15
EXACT, PREFIX, PER_EDIT, PREFIX_TYPO = 100, 90, 20, 70
# Words of a dish's name nobody searches by; dropped from a query unless it is made of nothing else.
STOP_WORDS = frozenset({"a", "and", "au", "aux", "avec", "de", "des", "du", "et", "la", "le", "les", "of", "the", "with"})


def fold(text: str) -> str:
    """'Ndolé aux Crevettes!' -> 'ndole aux crevettes': plain lower-case ASCII words."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", anyascii(text or "").lower()).split())


def words_of(query: str) -> list[str]:
    """The words a query is matched by: folded, stop words dropped when others remain."""
    words = fold(query).split()
    kept = [w for w in words if w not in STOP_WORDS]
    return kept or words


def allowed_edits(word: str) -> int:
    return 0 if len(word) < 3 else 1 if len(word) < 7 else 2


@dataclass(frozen=True)
class _Name:
    item_id: int
    city: str
    words: tuple[str, ...]
    joined: str  # without spaces, for a name typed in one go


class DishIndex:
    """The searchable names of the available dishes of approved restaurants of one snapshot."""

    def __init__(self, catalog: Catalog) -> None:
        self.names: list[_Name] = []
        for restaurant in catalog.restaurants.values():
            if restaurant.status != "approved":
                continue
            for item in catalog.dishes(restaurant.id):
                if not item.available:
                    continue
                for folded in dict.fromkeys(fold(n) for n in (item.name_fr, item.name_en)):
                    if folded:
                        self.names.append(_Name(item.id, restaurant.city, tuple(folded.split()), folded.replace(" ", "")))
        self.holding: dict[str, set[int]] = {}  # word -> the names (by position) that hold it
        for n, name in enumerate(self.names):
            for word in name.words:
                self.holding.setdefault(word, set()).add(n)
        self.vocabulary = list(self.holding)
        self.joined = [name.joined for name in self.names]

    def _word_scores(self, word: str) -> dict[str, int]:
        """Each word of the index near `word`, with its score."""
        found: dict[str, int] = {}
        limit = allowed_edits(word)
        if limit:
            for near, edits, _ in process.extract(word, self.vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=None):
                found[near] = EXACT - PER_EDIT * edits
        elif word in self.holding:
            found[word] = EXACT
        for known in self.vocabulary:
            if len(known) <= len(word):
                continue
            if known.startswith(word):
                found[known] = max(found.get(known, 0), PREFIX)
            elif len(word) >= 4 and OSA.distance(word, known[: len(word)], score_cutoff=1) <= 1:
                found[known] = max(found.get(known, 0), PREFIX_TYPO)
        return found

    def scores(self, query: str, city: str | None = None) -> dict[int, int]:
        """{item id: score} of the dishes the query finds (MIN_SCORE and MARGIN applied), in one
        city or all: the best is the best of what the customer can order."""
        words = words_of(query)
        if not words:
            return {}
        weight = sum(len(w) for w in words)
        per_word = [(len(w), self._word_scores(w)) for w in words]
        candidates: set[int] = set()
        for _, near in per_word:
            for known in near:
                candidates |= self.holding[known]
        best: dict[int, float] = {}
        for n in candidates:
            name = self.names[n]
            if city is not None and name.city != city:
                continue
            score = sum(size * max((near.get(w, 0) for w in name.words), default=0) for size, near in per_word) / weight
            best[name.item_id] = max(best.get(name.item_id, 0.0), score)
        joined = "".join(words)
        limit = allowed_edits(joined)
        for _, edits, n in process.extract(joined, self.joined, scorer=OSA.distance, score_cutoff=limit, limit=None):
            if city is not None and self.names[n].city != city:
                continue
            item_id = self.names[n].item_id
            best[item_id] = max(best.get(item_id, 0.0), EXACT - PER_EDIT * edits)
        top = max(best.values(), default=0.0)
        return {i: round(s) for i, s in best.items() if s >= MIN_SCORE and s >= top - MARGIN}


_indexes: "weakref.WeakKeyDictionary[Catalog, DishIndex]" = weakref.WeakKeyDictionary()


def index_of(catalog: Catalog) -> DishIndex:
    """The snapshot's index, built at its first search and dropped with the snapshot."""
    found = _indexes.get(catalog)
    if found is None:
        found = _indexes[catalog] = DishIndex(catalog)
    return found

