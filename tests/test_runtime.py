"""A service process freezes what it has built out of the collector's passes and collects its
youngest objects seldom: full passes held the event loop and made USSD's slowest hops."""
import gc

from chopbar.runtime import OLDER_PASSES, YOUNG_OBJECTS, tune_gc


def test_tuning_freezes_what_is_alive_and_spaces_the_passes():
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_OBJECTS, *OLDER_PASSES)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
