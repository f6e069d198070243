"""The dialog machine's moves: the plain ones the dialog takes itself lead where firing would."""
from state_machines.dialog import PLAIN_MOVES, TRANSITIONS, DialogFlow, DialogState


class NoMenu:
    def category_count(self, restaurant_id):
        raise AssertionError("a plain move asks no guard")

    def option_group_count(self, item_id):
        raise AssertionError("a plain move asks no guard")


def test_every_plain_move_leads_where_firing_the_machine_does():
    for (screen, trigger), to in PLAIN_MOVES.items():
        assert DialogFlow(DialogState(screen=screen), NoMenu())._fire(trigger) == to, (screen, trigger)


def test_a_guarded_move_or_one_with_a_callback_is_never_taken_as_plain():
    guarded = {(source, row[0]) for row in TRANSITIONS if len(row) > 3
               for source in (row[1] if isinstance(row[1], list) else [row[1]])}
    assert guarded and not guarded & PLAIN_MOVES.keys()
