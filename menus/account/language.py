"""The language choice, labelled in both languages: the customer's on every channel from then on."""
from core.use_cases import customers
from menus.choices import Choice, Filled, Move, static_choices
from menus.hopping import Hopping
from menus.screen import Option, Screen


async def language(h: Hopping) -> Filled:
    return Filled(choices=static_choices(h, LANGUAGE, {}))


async def pick_language(h: Hopping, choice: Choice) -> Move:
    account = await h.account()
    await customers.choose_language(h.unit, account.id, choice.action)
    h.state.language = choice.action
    return Move(choice.action)


LANGUAGE = Screen(
    name="language",
    title="Language/Langue",
    options=(Option("en", "English"), Option("fr", "Francais")),
    fill=language,
    pick=pick_language,
)
