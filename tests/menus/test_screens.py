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
