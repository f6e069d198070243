"""English and French texts through gettext catalogs compiled with Babel from locale/*.po."""
import gettext
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "chopbar"
LANGUAGES = ("fr", "en")


def N_(message: str) -> str:
    """Marks a text for extraction; it is translated later, in the reader's language."""
    return message


def language_or(language: str | None, default: str) -> str:
    return language if language in LANGUAGES else default


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compiles every .po whose .mo is missing or older; returns the .mo files written."""
    written = []
    for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)  # atomic: a second process never reads half a catalog
        written.append(mo_path)
    return written


@cache
def translations(language: str) -> gettext.NullTranslations:
    compile_catalogs()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def translate(message: str, language: str, /, **values: object) -> str:
    text = translations(language).gettext(message)
    return text.format(**values) if values else text
