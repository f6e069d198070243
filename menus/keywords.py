"""The SMS keyword grammar: English and French words, any case, extra spaces, one-letter typos.

`parse` turns a message into a Command (a keyword and its arguments) or None. The same word
can mean different things to different people (OUI is a restaurant's ACCEPT and a customer's
YES), so the grammar is chosen by the sender's role.
"""
import re
from dataclasses import dataclass, field

from anyascii import anyascii
from rapidfuzz.distance import OSA

CUSTOMER = {
    "help": ("HELP", "AIDE", "INFO"),
    "menu": ("MENU",),
    "order": ("ORDER", "COMMANDE", "CMD"),
    "yes": ("YES", "OUI", "OK"),
    "no": ("NO", "NON"),
    "status": ("STATUS", "STATUT", "SUIVI"),
    "cancel": ("CANCEL", "ANNULER"),
    "lang": ("LANG", "LANGUE"),
    "stop": ("STOP", "ARRET"),
    "start": ("START", "DEBUT"),
    # The answers to a second chance to pay (a declined or expired mobile-money prompt).
    "retry": ("1", "RETRY", "REESSAYER", "ESSAYER"),
    "cash": ("2", "CASH", "ESPECES", "ESPECE"),
    "driver": ("DRIVER", "LIVREUR"),  # apply to deliver: DRIVER <name> <quarter>
    "points": ("POINTS", "POINT"),  # the loyalty balance; after ORDER or YES, spend them
    "invite": ("INVITE", "INVITER"),  # INVITE <number>: a friend gets an SMS, both get points later
    "rate": ("RATE", "NOTE", "NOTER"),  # a rating after delivery: NOTE 4 3 cold food (menus.rating_reply)
    "find": ("FIND", "CHERCHER", "CHERCHE", "SEARCH", "RECHERCHE"),  # a dish by name: FIND ndole
    "fav": ("FAV", "FAVS", "FAVORI", "FAVORIS", "FAVOURITE", "FAVOURITES", "FAVORITE", "FAVORITES"),
}
# Anyone's, whatever else they are (customer, driver, someone of a restaurant): their own data.
PRIVACY = {
    "mydata": ("MYDATA", "MESDONNEES"),  # also as two words: MY DATA, MES DONNEES
    "erase": ("DELETE", "SUPPRIMER", "EFFACER"),  # then DELETE YES / SUPPRIMER OUI
}
CONFIRM_WORDS = CUSTOMER["yes"]
# A restaurant's keywords, English first and French second: refusals name a keyword in the
# sender's language by that order.
RESTAURANT = {
    "help": ("HELP", "AIDE"),
    "accept": ("ACCEPT", "OUI", "ACCEPTER"),
    "reject": ("REJECT", "NON", "REFUSER"),
    "ready": ("READY", "PRET"),
    "collected": ("COLLECTED", "REMIS", "COLLECTE"),  # a pickup order taken at the counter
    "close": ("CLOSE", "FERME", "FERMER"),
    "open": ("OPEN", "OUVRE", "OUVRIR"),
    "soldout": ("SOLDOUT", "EPUISE"),
    "available": ("AVAILABLE", "DISPO", "DISPONIBLE"),
    "price": ("PRICE", "PRIX"),
    "report": ("REPORT", "BILAN"),
    "auto": ("AUTO",),
    "apply": ("DRIVER", "LIVREUR"),  # refused: a console number does not deliver
    "payout": ("PAYOUT", "RETRAIT"),
    "lang": ("LANG", "LANGUE"),
    "stop": ("STOP", "ARRET"),
    "start": ("START",),
}
DRIVER = {
    "help": ("HELP", "AIDE"),
    "on": ("ON",),
    "off": ("OFF",),
    "take": ("TAKE", "PRENDRE"),
    "pickup": ("PICKUP", "RECUPERE"),
    "done": ("DONE", "LIVRE"),
    "failed": ("FAILED", "ECHEC"),
    "earnings": ("EARNINGS", "GAINS"),
    "payout": ("PAYOUT", "RETRAIT"),
    "lang": ("LANG", "LANGUE"),
    "stop": ("STOP", "ARRET"),
    "start": ("START",),
}
# A driver sending the application keyword is told they are one already; it is not in the
# driver's grammar, where LIVREUR would make a typo of LIVRE (DONE) ambiguous.
APPLY_WORDS = CUSTOMER["driver"]
GRAMMARS = {"customer": CUSTOMER, "restaurant": RESTAURANT, "driver": DRIVER}
WORD = re.compile(r"[A-Z0-9]+(?:X[0-9]+)?|\S")
CASH_WORDS = ("CASH", "ESPECES", "ESPECE", "CASH.")
POINT_WORDS = CUSTOMER["points"]


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...] = field(default_factory=tuple)
    cash: bool = False  # ORDER/YES ... CASH: pay on delivery instead of mobile money
    points: bool = False  # ORDER/YES ... POINTS: spend loyalty points on the food


def normalize(text: str) -> list[str]:
    """Upper-case ASCII words: accents and punctuation dropped, any spacing."""
    clean = anyascii(text or "").upper()
    clean = re.sub(r"[^A-Z0-9 ]+", " ", clean)
    return clean.split()


def near(word: str, keyword: str) -> bool:
    """Equal, or one typo away (a letter wrong, missing, extra, or two swapped) for words of 4+."""
    if word == keyword:
        return True
    if min(len(word), len(keyword)) < 4 or abs(len(word) - len(keyword)) > 1:
        return False
    return _distance(word, keyword) <= 1


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    return OSA.distance(a, b)


def parse(text: str, role: str = "customer") -> Command | None:
    words = normalize(text)
    if not words:
        return None
    grammar = GRAMMARS[role]
    first = words[0]
    exact = [name for name, spellings in grammar.items() if first in spellings]
    matches = exact or [name for name, spellings in grammar.items() if any(near(first, s) for s in spellings)]
    if len(set(matches)) != 1:
        return None
    args = words[1:]
    cash = points = False
    # CASH and POINTS end an ORDER or a YES, in either order; POINTS only for customers, whose
    # grammar has it (a restaurant's reason may well say "points").
    while args and (args[-1] in CASH_WORDS and not cash or role == "customer" and args[-1] in POINT_WORDS and not points):
        if args[-1] in CASH_WORDS:
            cash = True
        else:
            points = True
        args = args[:-1]
    return Command(matches[0], tuple(args), cash, points)


def after_keyword(text: str) -> str:
    """What follows the first word, as the sender wrote it (accents, case, punctuation kept):
    a message to support, a name."""
    parts = (text or "").strip().split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


PROMO_WORDS = ("PROMO", "CODE")


def promo_of(args: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """`3 2x2 PROMO BIENVENUE` → (("3", "2X2"), "BIENVENUE"): an order's words and the promo code
    after PROMO (or CODE), if any."""
    for n, word in enumerate(args):
        if word in PROMO_WORDS:
            return args[:n], "".join(args[n + 1:]) or None
    return args, None


ORDER_ITEM = re.compile(r"^(?P<dish>\d{1,3})(?:X(?P<qty>\d{1,2}))?$")


def order_items(args: tuple[str, ...]) -> tuple[int, list[tuple[int, int]]] | None:
    """`ORDER 3 2x2 5` → restaurant 3, [(dish 2, 2), (dish 5, 1)]; None when it does not read."""
    if len(args) < 2 or not args[0].isdigit():
        return None
    items = []
    for arg in args[1:]:
        match = ORDER_ITEM.match(arg)
        if match is None:
            return None
        quantity = int(match.group("qty") or 1)
        if quantity < 1:
            return None
        items.append((int(match.group("dish")), quantity))
    return int(args[0]), items


AMOUNT_SUFFIXES = ("FCFA", "CFA", "XAF", "FRS", "FR", "F")


def amount_xaf(args: tuple[str, ...]) -> int | None:
    """A whole amount as people type one: `2500`, `2 500`, `2.500`, `2,500`, `2500F`, `2500 FCFA`
    (the punctuation is gone by now, so thousands arrive as separate groups); None otherwise."""
    words = list(args)
    if words and words[-1] in AMOUNT_SUFFIXES:
        words.pop()
    for suffix in AMOUNT_SUFFIXES if words else ():
        if words[-1].endswith(suffix) and words[-1][: -len(suffix)].isdigit():
            words[-1] = words[-1][: -len(suffix)]
            break
    if not words or not all(w.isascii() and w.isdigit() for w in words):
        return None
    if len(words) > 1 and (not 1 <= len(words[0]) <= 3 or any(len(w) != 3 for w in words[1:])):
        return None  # "2 50" is no amount; "2 500" and "1 250 000" are
    return int("".join(words))


def privacy_of(text: str) -> Command | None:
    """MYDATA or DELETE (any case, accents, one typo, `MES DONNEES` in two words), whoever sends
    it; None for anything else."""
    words = normalize(text)
    if len(words) > 1 and words[0] in ("MY", "MES") and near(words[0] + words[1], "MYDATA" if words[0] == "MY" else "MESDONNEES"):
        words = [words[0] + words[1], *words[2:]]
    if not words:
        return None
    found = {name for name, spellings in PRIVACY.items() if any(near(words[0], s) for s in spellings)}
    return Command(found.pop(), tuple(words[1:])) if len(found) == 1 else None
