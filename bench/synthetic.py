"""Synthetic documents and events shaped like ours (10% Chinese, ~0.8 events per document, 1-2 targets per
event), generated deterministically for the store bench."""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.records import DocumentRecord, EventRecord  # noqa: E402

COUNTRIES = ["CN", "US", "EU", "JP", "KR", "GB", "CA", "AU", "IN", "RU", "TW", "NL", "DE", "FR", "VN", "MX"]
NAMES = {"CN": "China", "US": "the United States", "EU": "the European Union", "JP": "Japan", "KR": "Korea"}
COMMODITIES = [
    ("gallium", "8112.92"), ("germanium", "8112.99"), ("graphite", "2504.10"), ("rare earths", "2846.90"),
    ("antimony", "8110.10"), ("steel", "7208.10"), ("aluminium", "7601.10"), ("solar panels", "8541.43"),
    ("electric vehicles", "8703.80"), ("brandy", "2208.20"), ("pork", "0203.29"), ("canola", "1205.10"),
    ("lithium", "2825.20"), ("tungsten", "8101.94"), ("polysilicon", "2804.61"), ("ceramic tiles", "6907.21"),
]  # fmt: skip
TECHNOLOGIES = ["semiconductors", "semiconductor manufacturing equipment", "advanced computing",
                "artificial intelligence", "quantum computing", "high bandwidth memory", "drones"]  # fmt: skip
TYPES = [
    "export_control",
    "entity_listing",
    "investigation",
    "tariff",
    "market_access",
    "investment_restriction",
]
EN = [
    "The ministry announced {measure} on {item} from {target}, effective {date}.",
    "Exporters of {item} must apply for a licence; the notice cites national security.",
    "The authority opened an anti-dumping investigation into {item} originating in {target}.",
    "Provisional duties of {pct}% apply to imports of {item} pending a final determination.",
    "Reference {ref}: comments are invited from interested parties within {days} days.",
    "The list adds {count} entities in {target} involved in {tech}.",
    "Officials said the review of {tech} supply chains would conclude by {date}.",
    "Industry groups in {target} said the decision on {item} would disrupt trade worth {count} million.",
]
ZH = [
    "商务部宣布对{item}实施出口管制，自{date}起施行。",
    "根据《中华人民共和国出口管制法》，出口经营者应当申请许可。",
    "调查机关决定对原产于{target}的进口{item}进行反倾销立案调查。",
    "公告编号{ref}，利害关系方可在{days}日内提交评论意见。",
]
ZH_ITEMS = {"gallium": "镓", "germanium": "锗", "graphite": "石墨", "rare earths": "稀土", "antimony": "锑"}
SYLLABLES = [
    "ka",
    "to",
    "ri",
    "ne",
    "su",
    "mo",
    "la",
    "ve",
    "qui",
    "dor",
    "pan",
    "tex",
    "mil",
    "gra",
    "cor",
    "sen",
    "ful",
    "bri",
    "ost",
    "ar",
    "en",
    "um",
    "ix",
]


def _filler(rng: random.Random) -> str:
    """8-20 words of 2-4 syllables. The same draws as
    `" ".join("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(rng.randint(8, 20)))`
    (CPython's randint(a, b) is a + getrandbits(k) redrawn while >= b - a + 1; choices is
    population[floor(random() * n)]), spelled out because it is most of a realistic build's Python time;
    tests/db/test_fast_build.py compares the two."""
    bits, rnd, n = rng.getrandbits, rng.random, float(len(SYLLABLES))
    words = bits(4)
    while words >= 13:  # randint(8, 20)
        words = bits(4)
    out = []
    for _ in range(8 + words):
        k = bits(2)
        while k >= 3:  # randint(2, 4)
            k = bits(2)
        out.append("".join([SYLLABLES[int(rnd() * n)] for _ in range(2 + k)]))
    return " ".join(out)


MEDIAN_BYTES = 6000  # official notices: median ~6 KB of text (issue 16), long tail to tens of KB


def _lengthen(text: str, templates: list[str], values: dict[str, object], rng: random.Random) -> str:
    """Grow `text` with more sentences and filler to a length drawn around MEDIAN_BYTES (UTF-8 bytes)."""
    target = min(max(int(rng.lognormvariate(math.log(MEDIAN_BYTES), 0.6)), 1500), 80_000)
    parts, size = [text], len(text.encode())
    while size < target:
        part = rng.choice(templates).format(**values) if rng.random() < 0.4 else _filler(rng)
        parts.append(part)
        size += len(part.encode()) + 1
    return " ".join(parts)


FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1), dt.date(2025, 12, 28)
# Where in the stream (fractions of n) a source added later stores its archive, newest first: one document
# in three of the window is from that archive, the rest are the live crawl.
BACKFILLS = ((0.40, 0.45), (0.75, 0.80))


def arrival_date(i: int, n: int) -> dt.date:
    """The date of the i-th of n documents when they are stored as our crawls store them: the live crawl
    in publication order (found up to 14 days late), and two backfills, each a source's archive from
    2015 up to the day it was added, arriving newest first inside its window of the stream."""
    span = (LAST_DAY - FIRST_DAY).days
    at = i / n
    for start, stop in BACKFILLS:
        if start <= at < stop and i % 3 == 0:
            added = span * start
            return FIRST_DAY + dt.timedelta(days=int(added * (1 - (at - start) / (stop - start))))
    lag = (i * 2_654_435_761) % 15  # a fixed spread, not the shared random stream (events stay the same)
    return max(FIRST_DAY, FIRST_DAY + dt.timedelta(days=int(span * at) - lag))


def generate(
    n: int, seed: int = 2025, *, end: dt.date | None = None, realistic: bool = False, arrival: bool = False
) -> Iterator[tuple[DocumentRecord, list[EventRecord]]]:
    """Deterministic documents with their events; ~700 characters of text each, or with `realistic`
    notice-length texts (median ~6 KB; the same documents and events otherwise). Dates are uniform over
    2015-2025 in random order, or with `end` over the ten years up to `end` (the signals bench: recent
    windows filled), or with `arrival` over 2015-2025 in the order a crawl stores them (`arrival_date`)."""
    if arrival and end is not None:
        raise ValueError("arrival order spans 2015-2025; it takes no end date")
    rng = random.Random(seed)
    for i in range(n):
        zh = rng.random() < 0.1
        item, hs = rng.choice(COMMODITIES)
        tech = rng.choice(TECHNOLOGIES)
        imposing, target = rng.sample(COUNTRIES, 2)
        year, month, day = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
        if end is not None:
            when = end - dt.timedelta(days=(year - 2015) * 336 + (month - 1) * 28 + day - 1)
            year, month, day = when.year, when.month, when.day
        if arrival:
            when = arrival_date(i, n)
            year, month, day = when.year, when.month, when.day
        date = f"{year}-{month:02d}-{day:02d}"
        values = {
            "measure": rng.choice(["export controls", "tariffs", "a licensing requirement", "an import ban"]),
            "item": ZH_ITEMS.get(item, item) if zh else item,
            "target": NAMES.get(target, target),
            "date": date,
            "pct": rng.randint(5, 60),
            "ref": f"{year}-{i}",
            "days": rng.choice([20, 30, 37]),
            "count": rng.randint(2, 400),
            "tech": tech,
        }
        templates = ZH if zh else EN
        sentences = [t.format(**values) for t in rng.sample(templates, min(len(templates), 4))]
        text = " ".join(sentences + [_filler(rng), _filler(rng)])
        if realistic:  # own generator per document: the shared stream (dates, events) stays the same
            text = _lengthen(text, templates, values, random.Random(seed * 1_000_003 + i))
        title = sentences[0][:120]
        source = rng.choice(["cn_mofcom", "cn_gacc"] if zh else ["us_federal_register", "eu_dg_trade", "jp_meti",
                                                                   "uk_trade_remedies", "news_wire"])  # fmt: skip
        doc = DocumentRecord(
            source=source,
            url=f"https://bench.example.org/{source}/{i}.html",
            title=title,
            text=text,
            language="zh" if zh else "en",
            published=f"{date}T09:00:00+00:00",
            fetched=f"{date}T10:00:00+00:00",
        )
        roll = rng.random()
        k = 0 if roll < 0.35 else (1 if roll < 0.85 else 2)
        events = [
            EventRecord(
                event_type=etype,
                confidence=round(rng.uniform(0.5, 0.99), 3),
                direction="restrictive",
                imposing=imposing,
                stage=rng.choice(["announced", "in_force", "proposed"]),
                targets=[target] + ([rng.choice(COUNTRIES)] if rng.random() < 0.3 else []),
                commodities=[(item, hs)] if rng.random() < 0.7 else [],
                technologies=[tech] if rng.random() < 0.3 else [],
            )
            for etype in rng.sample(TYPES, k)
        ]
        yield doc, events


def batches(
    n: int,
    size: int,
    start: int = 0,
    *,
    end: dt.date | None = None,
    realistic: bool = False,
    arrival: bool = False,
) -> Iterator[list[tuple[DocumentRecord, list[EventRecord]]]]:
    it = generate(n, end=end, realistic=realistic, arrival=arrival)
    for _ in range(start):
        next(it)
    batch: list[tuple[DocumentRecord, list[EventRecord]]] = []
    for pair in it:
        batch.append(pair)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
