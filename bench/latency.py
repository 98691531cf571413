"""Publication → Slack latency of the running daemon.

A fixture site on 127.0.0.1 publishes M notices at random times during a bounded run; `cwatch serve`
polls it every INTERVAL seconds (real crawl subprocesses, the real model, slack-sdk against the fake
Slack). Only the crawl interval is set: every other job (tag, alert, feedback, digests) runs on its
DEFAULT schedule, so the latency measured is the one a default install gets. Prints p50/p95 latency next
to the interval (goal: p95 <= interval + 60 s) and resident memory across the run, the daemon alone and
the daemon plus its crawl subprocesses (goal: flat, < 1.5 GB).

    .venv/bin/python bench/latency.py --docs 12 --interval 30 --duration 300
    .venv/bin/python bench/latency.py --docs 60 --interval 30 --duration 1800   # the 30-minute run
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawlers.localserver import FixtureServer  # noqa: E402
from db.health import percentile  # noqa: E402
from tests.support.daemon_process import DaemonProcess  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.tra_site import Notice, publish, write_daemon_config  # noqa: E402

PRODUCTS = [
    "ceramic tiles",
    "hydraulic excavators",
    "steel wire rod",
    "aluminium foil",
    "glass fibre",
    "plywood",
    "solar glass",
    "tyres",
    "wind towers",
    "electric bicycles",
    "graphite electrodes",
    "biodiesel",
    "float glass",
    "citric acid",
    "ductile pipes",
    "mobile cranes",
    "steel wheels",
    "paper rolls",
    "lithium batteries",
    "fasteners",
]


def notice(i: int, product: str) -> Notice:
    now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    return Notice(
        f"tra-initiates-anti-dumping-investigation-into-{product.replace(' ', '-')}-{i}",
        f"TRA initiates anti-dumping investigation into {product} from China (case {i})",
        f"The Trade Remedies Authority has initiated an anti-dumping investigation into imports of {product}"
        " originating in the People's Republic of China, following an application from UK producers.",
        now,
    )


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """(RSS of `pid`, RSS of `pid` plus all its descendants) in MiB, read from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))

    def rss(one: int) -> float:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    total, todo = 0.0, [pid]
    while todo:
        one = todo.pop()
        total += rss(one)
        todo.extend(children.get(one, []))
    return rss(pid), total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=12)
    parser.add_argument("--interval", type=int, default=30, help="crawl poll interval, seconds")
    parser.add_argument("--duration", type=int, default=120, help="seconds over which notices appear")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    offsets = sorted(rng.uniform(0, args.duration) for _ in range(args.docs))
    notices = [notice(i, PRODUCTS[i % len(PRODUCTS)]) for i in range(args.docs)]

    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as slack:
        folder = Path(tmp)
        root = folder / "site"
        online: list[Notice] = []
        publish(
            root,
            online,
            Notice(
                "tra-annual-report",
                "TRA annual report published",
                "The Trade Remedies Authority published its annual report.",
                "2026-01-01T09:00:00+00:00",
            ),
        )
        with FixtureServer(root) as site:
            config = write_daemon_config(
                folder, site.url, crawl_every=f"{args.interval}s", other_jobs_every=None
            )
            daemon = DaemonProcess.start(folder, config, slack.url)
            try:
                daemon.wait_for(
                    lambda: folder.joinpath("store.db").exists() and "crawl finished" in daemon.tail(),
                    "the first crawl",
                    120,
                )
                rss = [tree_rss_mb(daemon.proc.pid)]
                start = time.monotonic()
                published_at: dict[str, float] = {}
                for offset, item in zip(offsets, notices, strict=True):
                    while time.monotonic() - start < offset:
                        time.sleep(1.0)
                        rss.append(tree_rss_mb(daemon.proc.pid))
                    publish(root, online, item)
                    published_at[item.title] = time.monotonic()

                def alerted() -> dict[str, float]:
                    seen: dict[str, float] = {}
                    for request in slack.requests("chat.postMessage"):
                        for title in published_at:
                            if title in str(request.body.get("text", "")):
                                seen.setdefault(title, request.received)
                    return seen

                bound = args.interval * 2 + 120
                try:
                    daemon.wait_for(
                        lambda: len(alerted()) == len(published_at), "every notice alerted", bound
                    )
                except AssertionError as exc:
                    print(f"warning: {exc}")
                rss.append(tree_rss_mb(daemon.proc.pid))
            finally:
                daemon.stop()

    seen = alerted()
    latencies = [seen[t] - published_at[t] for t in published_at if t in seen]
    print(
        f"notices published: {len(published_at)}, alerted: {len(seen)}, lost: {len(published_at) - len(seen)}"
    )
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    print(f"poll interval: {args.interval} s")
    print(f"publication → Slack latency: p50 {p50:.1f} s, p95 {p95:.1f} s, max {max(latencies):.1f} s")
    print(
        f"goal p95 <= interval + 60 = {args.interval + 60} s: {'met' if p95 <= args.interval + 60 else 'NOT met'}"
    )
    for label, series in (
        ("daemon alone", [own for own, _ in rss]),
        ("daemon + crawl subprocesses", [tree for _, tree in rss]),
    ):
        n = len(series)
        quarters = [max(series[q * n // 4 : max(q * n // 4 + 1, (q + 1) * n // 4)]) for q in range(4)]
        print(
            f"RSS MiB, {label}: after first crawl {series[0]:.0f}; max in each quarter of the run"
            f" {' / '.join(f'{v:.0f}' for v in quarters)}; max {max(series):.0f} ({n} samples)"
        )


if __name__ == "__main__":
    main()
