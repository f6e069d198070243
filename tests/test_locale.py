"""Every text has its French, and a French session shows no English."""
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.i18n import LOCALE_DIR, translate
from tests.channels.test_ussd_africastalking import order_basket
from tests.ussd import gateway_for, pick

ROOT = Path(__file__).resolve().parent.parent


def source_texts() -> set[str]:
    """The texts marked in the code, extracted the way pybabel does."""
    found = set()
    for folder in ("core", "menus", "channels", "state_machines"):
        method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]  # as babel.cfg: the console's templates too
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map, keywords={"N_": None, "_": None}
        ):
            found.add(message)
    return found


def catalog(language: str) -> dict[str, str]:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "chopbar.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def test_every_text_in_the_code_has_its_french():
    french = catalog("fr")
    missing = sorted(t for t in source_texts() if not french.get(t))
    assert missing == [], f"add the French of these to locale/fr/LC_MESSAGES/chopbar.po: {missing}"


def test_french_keeps_every_placeholder():
    for english, french in catalog("fr").items():
        assert set(re.findall(r"{\w+}", english)) == set(re.findall(r"{\w+}", french)), english


def test_translate_falls_back_to_english_for_an_unknown_language():
    assert translate("Order food", "sw") == "Order food"


async def test_a_french_session_shows_no_english(chopbar):
    english = {t for t, f in catalog("fr").items() if t != f and len(t) > 4 and "{" not in t}
    session = gateway_for(chopbar).dial("+237699555010")
    await session.open()
    screens = [session.last.text]
    await order_basket(session, "Chez Maman Ngo")
    screens.append(session.last.text)
    for label in ("Valider", "Me livrer", "Nouvelle adresse"):
        screens.append(await pick(session, label))
    screens.append((await session.press("bastos")).text)
    screens.append((await session.press("Face Total")).text)
    screens.append(await pick(session, "Especes"))
    screens.append(await pick(session, "Confirmer"))
    shown = "\n".join(screens)
    leaks = sorted(t for t in english if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", shown))
    assert leaks == []
