"""SMS replies fit one GSM-7 segment in both languages, filled with typical values."""
import re

import pytest

from core.formatting import gsm7_safe, sms_segments
from core.i18n import translate
from core import support_notices
from menus import sms_texts

TYPICAL = {
    "code": "482137", "restaurant": "Mama Africa Bonapriso", "total": "12 500 FCFA", "food": "12 000 FCFA",
    "fee": "500 FCFA", "status": "En attente du restaurant", "dish": "Poisson braise", "number": "3",
    "quarter": "Bonamoussadi", "text": "Zzyzx", "minutes": "20", "how": "par mobile money", "lines": "2x Ndole",
    "list": "", "amount": "12 500 FCFA", "phone": "+237677123456", "name": "Aline Mbarga", "reason": "plus de poulet",
    "today_jobs": "4", "today": "2 800 FCFA", "week_jobs": "23", "week": "16 100 FCFA",
    "keyword": "AVAILABLE", "low": "50 FCFA", "high": "1 000 000 FCFA", "price": "2 500 FCFA", "day": "01/12",
    "orders": "23", "served": "21", "cash": "38 500 FCFA", "mtn": "64 000 FCFA", "orange": "22 500 FCFA",
    "card": "0 FCFA", "quantity": "14",
    "ticket": "12345", "most": "480",
    "limit": "200 000 FCFA", "minimum": "1 000 FCFA", "discount": "1 200 FCFA",
    "points": "1250", "worth": "6 250 FCFA", "tier": "Argent", "off": "1 000 FCFA", "least": "100", "rate": "100 FCFA",
    "reward": "200", "addresses": "3", "messages": "148", "hours": "24",
    "link": "https://chopbar.cm/api/v1/me/export/" + "x" * 22,  # a token_urlsafe(16)
}
# Lists are as long as the menu is; support's answer as long as support writes it.
LONG_BY_NATURE = {"MENU_PLACES", "MENU_DISHES", "TICKET_ANSWER"}
TEXTS = [
    (name, value) for module in (sms_texts, support_notices) for name, value in vars(module).items()
    if name.isupper() and isinstance(value, str)
] + [(f"DRIVER_DECISIONS[{name}]", value) for name, value in support_notices.DRIVER_DECISIONS.items()]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name,text", [t for t in TEXTS if t[0] not in LONG_BY_NATURE])
def test_each_reply_fits_one_gsm7_segment(name, text, language):
    values = {key: TYPICAL[key] for key in re.findall(r"{(\w+)}", text)}
    filled = gsm7_safe(translate(text, language, **values))
    assert sms_segments(filled) == ("gsm7", 1), f"{name} ({language}, {len(filled)} chars): {filled}"


def test_segments_are_counted_as_the_gsm_rules_say():
    assert sms_segments("a" * 160) == ("gsm7", 1)
    assert sms_segments("a" * 161) == ("gsm7", 2)
    assert sms_segments("{" * 81) == ("gsm7", 2)  # extension characters take two septets
    assert sms_segments("ê" * 70) == ("ucs2", 1)
    assert sms_segments("ê" * 71) == ("ucs2", 2)
    assert gsm7_safe("Prête, reçu ’ok’") == "Prete, recu 'ok'"
