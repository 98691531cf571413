"""Cost of each hostile watchlist of tests/watchlists/hostile_cases.py, one fresh process per case.

Prints CPU seconds, tracemalloc peak and the growth of the process's peak RSS while loading the case
(after a warm-up load of a good file). Run: PYTHONPATH=. python bench/watchlist_faults.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
from watchlists.loader import load_watchlist_file
load_watchlist_file(Path(sys.argv[1]))
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
started = time.process_time()
result = load_watchlist_file(Path(sys.argv[2]))
cpu = time.process_time() - started
peak = tracemalloc.get_traced_memory()[1]
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"cpu": cpu, "peak_mb": peak / 2**20, "rss_growth_mb": (rss1 - rss0) / 1024,
                  "error": result.errors[0] if result.errors else None}))
"""


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.watchlists.hostile_cases import CASES

    with tempfile.TemporaryDirectory() as tmp:
        good = Path(tmp) / "good.yaml"
        good.write_text('name: good\nchannel: "#ok"\nimposing: ["CN"]\n', encoding="utf-8")
        rows = []
        for stem, content, _, _ in CASES:
            path = Path(tmp) / f"{stem}.yaml"
            path.write_text(content, encoding="utf-8")
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(good), str(path)],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=ROOT,
                check=True,
            )
            one = json.loads(done.stdout)
            rows.append((stem, one))
            print(
                f"{stem:26} cpu {one['cpu']:.3f}s  traced peak {one['peak_mb']:6.2f} MB"
                f"  rss growth {one['rss_growth_mb']:6.2f} MB  rejected: {one['error'] is not None}"
            )
        print(
            f"max cpu {max(r['cpu'] for _, r in rows):.3f}s, max traced peak "
            f"{max(r['peak_mb'] for _, r in rows):.2f} MB, max rss growth "
            f"{max(r['rss_growth_mb'] for _, r in rows):.2f} MB, rejected {sum(r['error'] is not None for _, r in rows)}/{len(rows)}"
        )


if __name__ == "__main__":
    main()
