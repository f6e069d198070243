"""What a person is shown when we cannot answer now: a service away for a moment, or too many
messages from their number. USSD screens are END screens; a text gets one such reply a window.
"""
from core.i18n import LANGUAGES, translate
from menus.screen import N_, View

UNAVAILABLE = N_("Chopbar is unavailable for a moment. Please dial again in a few minutes.")
NOT_A_PHONE = N_("Sorry, this number cannot use Chopbar.")
TOO_MANY_HOPS = N_("Too many tries from your number. Wait a minute, then dial again.")
TOO_MANY_TEXTS = N_("Too many messages from your number. Please wait {minutes} min; we will not answer until then.")


def view(text: str, language: str | None, **values) -> View:
    """An END screen in the person's language, or in every language when it is not known yet
    (each on its own line: both fit one USSD screen)."""
    if language in LANGUAGES:
        title = translate(text, language, **values)
    else:
        title = "\n".join(translate(text, lang, **values) for lang in LANGUAGES)
        language = LANGUAGES[0]
    return View(screen="refused", title=title, end=True, back=False, language=language)
