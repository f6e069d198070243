"""How a Chopbar process runs its interpreter: the event loop, and the garbage collector's pace.

A USSD hop makes and drops thousands of small objects, and reference counting frees nearly all
of them at once. The cyclic collector's passes find only the rare cycle, yet with the default
thresholds (a pass every 700 allocations, a full one every 100 of those) a full pass walks every
live object (modules, the catalog snapshot, pools, sessions) and holds the event loop meanwhile.
With 2 000 phones pausing 2 s a screen, hop p99 was 185-193 ms with the defaults and 56-85 ms
with these (`benchmarks/ussd_load.py --paced-phones 2000`, README "Benchmarks"). So what is alive
once the process is built is frozen out of the passes, and the youngest generation is collected
every 50 000 allocations: cyclic garbage waits a little longer, bounded by that count.
"""
import gc

YOUNG_OBJECTS = 50_000  # allocations between passes over the youngest generation
OLDER_PASSES = (20, 20)  # passes of the generation below before the next one is collected


def tune_gc() -> None:
    """Call once the process has built what it keeps (its imports, its app)."""
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *OLDER_PASSES)


def use_uvloop() -> None:
    try:
        import uvloop
    except ImportError:  # optional: the standard loop works, a little slower
        return
    uvloop.install()
