"""Publication → Slack latency of the running daemon.

A fixture site on 127.0.0.1 publishes M notices at random times during a bounded run; `cwatch serve`
polls it every INTERVAL seconds (real crawl subprocesses, the real model, slack-sdk against the fake
Slack). Prints p50/p95 latency next to the interval (goal: p95 <= interval + 60 s) and the daemon's
resident memory across the run (goal: flat, < 1.5 GB).

    .venv/bin/python bench/latency.py --docs 12 --interval 10 --duration 120
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=12)
    parser.add_argument("--interval", type=int, default=10, help="crawl poll interval, seconds")
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
                folder, site.url, crawl_every=f"{args.interval}s", other_jobs_every="2s"
            )
            daemon = DaemonProcess.start(folder, config, slack.url)
            try:
                daemon.wait_for(
                    lambda: folder.joinpath("store.db").exists() and "crawl finished" in daemon.tail(),
                    "the first crawl",
                    120,
                )
                rss = [daemon.rss_mb()]
                start = time.monotonic()
                published_at: dict[str, float] = {}
                for offset, item in zip(offsets, notices, strict=True):
                    while time.monotonic() - start < offset:
                        time.sleep(0.2)
                        rss.append(daemon.rss_mb())
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
                rss.append(daemon.rss_mb())
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
    quarter = [rss[min(len(rss) - 1, round(q * (len(rss) - 1)))] for q in (0.25, 0.5, 0.75, 1.0)]
    print(
        f"daemon RSS MB (crawls run in child processes): after first crawl {rss[0]:.0f}; at 25/50/75/100 % of"
        f" the run {' / '.join(f'{v:.0f}' for v in quarter)}; max {max(rss):.0f} ({len(rss)} samples)"
    )


if __name__ == "__main__":
    main()
