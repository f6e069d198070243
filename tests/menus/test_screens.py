"""Screens and the dialog machine agree: every state has its screen, every screen its state."""
from menus.screens import SCREENS
from state_machines.dialog import STATES, TRANSITIONS


def test_every_state_of_the_dialog_machine_is_a_declared_screen_and_back():
    assert set(STATES) == set(SCREENS)


def test_every_screen_that_asks_for_text_has_its_answer_and_every_list_its_filler():
    for screen in SCREENS.values():
        if screen.prompt is not None:
            assert screen.typed is not None, screen.name
        if screen.lists is not None:
            assert screen.fill is not None, screen.name


def test_every_trigger_a_fixed_option_fires_is_in_the_machine_table():
    triggers = {row[0] for row in TRANSITIONS}
    for screen in SCREENS.values():
        for option in screen.options:
            if screen.pick is None:
                assert option.name in triggers, (screen.name, option.name)


def test_every_screen_is_declared_with_its_handlers_in_menus():
    for screen in SCREENS.values():
        for handler in (screen.fill, screen.pick, screen.typed, screen.cached_by):
            if handler is not None:
                assert handler.__module__.startswith("menus."), (screen.name, handler.__module__)


def test_every_screen_with_fixed_options_has_a_filler_that_shows_them():
    for screen in SCREENS.values():
        if screen.options:
            assert screen.fill is not None, screen.name
