"""What sealing costs one value: microseconds to seal, unseal and blind-index, on this machine.

The whole order's cost, before and after sealing, is `benchmarks/ussd_load.py` run on this
checkout and on one without sealing (the README gives both); this says how much of it the
cipher itself can be.

    .venv/bin/python benchmarks/sealing.py
"""
import base64
import os
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.sealing import Keyring  # noqa: E402

RUNS = 50_000


def main() -> None:
    ring = Keyring.parse(f"k1:{base64.b64encode(os.urandom(32)).decode()}", "x" * 48)
    landmark = "Near Total Biyem-Assi, the blue gate"
    body = "Order 123456 is on the way with Kevin (+237670000012). Pay 4500 XAF cash. Code 1234." * 2
    tokens = {len(landmark): ring.seal(landmark), len(body): ring.seal(body)}
    cases = [
        (f"seal {len(landmark)} chars", lambda: ring.seal(landmark)),
        (f"unseal {len(landmark)} chars", lambda: ring.unseal(tokens[len(landmark)])),
        (f"seal {len(body)} chars", lambda: ring.seal(body)),
        (f"unseal {len(body)} chars", lambda: ring.unseal(tokens[len(body)])),
        ("blind a number", lambda: ring.blind("+237677000002")),
    ]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; best of 3 runs of {RUNS}")
    for name, work in cases:
        best = min(timeit.repeat(work, number=RUNS, repeat=3)) / RUNS
        print(f"  {name:<22} {best * 1e6:6.2f} us")


if __name__ == "__main__":
    main()
