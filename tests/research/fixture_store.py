"""A small event store in English, Chinese and Japanese, built with the store's own write functions.

The facts paraphrase public announcements (BIS Entity List additions of December 2024, MOFCOM's
gallium/germanium controls of July 2023 and its US-specific controls of December 2024, METI's 2023
equipment controls, the EU's provisional duties on Chinese electric vehicles, MOFCOM's brandy probe,
MOFCOM's April 2025 rare-earth controls); the texts are our own short summaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from db.records import DocumentRecord, EventRecord, SourceMeta
from db.store import open_db, store_document, upsert_source, write_events

SOURCES = [
    SourceMeta(
        "us_bis", "Bureau of Industry and Security", "US", "en", "official", "https://www.bis.gov/news"
    ),
    SourceMeta("cn_mofcom", "商务部", "CN", "zh", "official", "https://www.mofcom.gov.cn/zwgk/"),
    SourceMeta("jp_meti", "経済産業省", "JP", "ja", "official", "https://www.meti.go.jp/press/"),
    SourceMeta(
        "eu_trade",
        "European Commission, DG Trade",
        "EU",
        "en",
        "official",
        "https://policy.trade.ec.europa.eu/news_en",
    ),
    SourceMeta("news_wire", "Trade news wire", "XX", "en", "news", "https://news.example.org/trade"),
]


@dataclass
class Doc:
    key: str
    source: str
    url: str
    title: str
    text: str
    language: str
    published: str
    events: list[EventRecord] = field(default_factory=list)
    notice_number: str | None = None


DOCS = [
    Doc(
        "bis_entities",
        "us_bis",
        "https://www.bis.gov/press-release/entity-list-additions-advanced-computing",
        "Commerce adds 140 entities to the Entity List over advanced computing and semiconductors",
        "The Bureau of Industry and Security added 140 entities in China and elsewhere to the Entity List "
        "and tightened controls on semiconductor manufacturing equipment and high bandwidth memory.",
        "en",
        "2024-12-02T10:00:00-05:00",
        [
            EventRecord(
                "entity_listing",
                0.97,
                "restrictive",
                "US",
                "in_force",
                ["CN"],
                [],
                ["semiconductors", "advanced computing"],
            ),
            EventRecord(
                "export_control",
                0.95,
                "restrictive",
                "US",
                "in_force",
                ["CN"],
                [],
                ["semiconductor manufacturing equipment", "high bandwidth memory"],
            ),
        ],
    ),
    Doc(
        "mofcom_gallium",
        "cn_mofcom",
        "https://www.mofcom.gov.cn/zwgk/2023/art_gallium.html",
        "商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告",
        "根据《中华人民共和国出口管制法》等法律法规，为维护国家安全和利益，经国务院批准，决定对镓、锗相关物项实施出口管制。"
        "自2023年8月1日起正式实施。",
        "zh",
        "2023-07-03T16:00:00+08:00",
        [
            EventRecord(
                "export_control",
                0.96,
                "restrictive",
                "CN",
                "announced",
                [],
                [("gallium", "8112.92"), ("germanium", "8112.92")],
                [],
            )
        ],
        notice_number="2023-23",
    ),
    Doc(
        "mofcom_us_dual_use",
        "cn_mofcom",
        "https://www.mofcom.gov.cn/zwgk/2024/art_dual_use_us.html",
        "商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告",
        "为维护国家安全和利益，履行防扩散等国际义务，决定加强相关两用物项对美国出口管制：原则上不予许可镓、锗、锑、超硬材料相关两用物项对美国出口。",
        "zh",
        "2024-12-03T12:00:00+08:00",
        [
            EventRecord(
                "export_control",
                0.94,
                "restrictive",
                "CN",
                "in_force",
                ["US"],
                [("gallium", "8112.92"), ("germanium", "8112.92"), ("antimony", "8110.10")],
                [],
            )
        ],
        notice_number="2024-46",
    ),
    Doc(
        "meti_equipment",
        "jp_meti",
        "https://www.meti.go.jp/press/2023/05/20230523002/20230523002.html",
        "外国為替令等の一部を改正する政令が閣議決定されました（半導体製造装置の輸出管理）",
        "経済産業省は、先端半導体の製造装置など23品目を輸出管理の対象に追加する政令改正を公布しました。7月23日から施行されます。",
        "ja",
        "2023-05-23T10:30:00+09:00",
        [
            EventRecord(
                "export_control",
                0.93,
                "restrictive",
                "JP",
                "announced",
                [],
                [],
                ["semiconductor manufacturing equipment"],
            )
        ],
    ),
    Doc(
        "eu_bev_duties",
        "eu_trade",
        "https://policy.trade.ec.europa.eu/news/provisional-duties-bev_en",
        "Commission imposes provisional countervailing duties on imports of battery electric vehicles "
        "from China",
        "Following its anti-subsidy investigation, the European Commission imposed provisional "
        "countervailing duties on imports of battery electric vehicles from China, ranging from "
        "17.4% to 37.6%.",
        "en",
        "2024-07-04T09:00:00+02:00",
        [
            EventRecord(
                "investigation",
                0.92,
                "restrictive",
                "EU",
                "in_force",
                ["CN"],
                [("battery electric vehicles", "8703.80")],
                [],
            ),
            EventRecord(
                "tariff",
                0.9,
                "restrictive",
                "EU",
                "in_force",
                ["CN"],
                [("battery electric vehicles", "8703.80")],
                [],
            ),
        ],
    ),
    Doc(
        "mofcom_brandy",
        "cn_mofcom",
        "https://www.mofcom.gov.cn/zwgk/2024/art_brandy.html",
        "商务部对原产于欧盟的进口相关白兰地发起反倾销立案调查",
        "商务部决定自2024年1月5日起对原产于欧盟的进口相关白兰地进行反倾销立案调查。",
        "zh",
        "2024-01-05T15:00:00+08:00",
        [
            EventRecord(
                "investigation", 0.91, "restrictive", "CN", "announced", ["EU"], [("brandy", "2208.20")], []
            )
        ],
    ),
    Doc(
        "japan_korea_whitelist",
        "news_wire",
        "https://news.example.org/trade/japan-korea-white-list",
        "Japan returns South Korea to its export white list",
        "Japan restored South Korea to its list of trusted export destinations, easing licensing for "
        "chemicals used in semiconductor production such as hydrogen fluoride.",
        "en",
        "2023-07-21T08:00:00+00:00",
        [
            EventRecord(
                "export_control",
                0.88,
                "liberalizing",
                "JP",
                "in_force",
                ["KR"],
                [("hydrogen fluoride", "2811.11")],
                ["semiconductors"],
            )
        ],
    ),
    Doc(
        "mofcom_rare_earths",
        "cn_mofcom",
        "https://www.mofcom.gov.cn/zwgk/2025/art_rare_earths.html",
        "商务部 海关总署公告2025年第18号 关于对部分中重稀土相关物项实施出口管制的决定",
        "决定对钐、钆、铽、镝、镥、钪、钇等7类中重稀土相关物项实施出口管制。",
        "zh",
        "2025-04-04T18:00:00+08:00",
        [
            EventRecord(
                "export_control",
                0.95,
                "restrictive",
                "CN",
                "in_force",
                [],
                [("rare earth elements", "2805.30")],
                [],
            )
        ],
        notice_number="2025-18",
    ),
    Doc(
        "trade_statistics",
        "news_wire",
        "https://news.example.org/trade/annual-statistics",
        "Ministry publishes annual trade statistics",
        "Exports rose slightly last year; the report lists the main trading partners and products.",
        "en",
        "2025-02-10T08:00:00+00:00",
        [],
    ),
]

ALERTS = [
    ("semiconductors", "bis_entities", "entity_listing"),
    ("semiconductors", "meti_equipment", "export_control"),
    ("critical-minerals", "mofcom_gallium", "export_control"),
    ("critical-minerals", "mofcom_us_dual_use", "export_control"),
    ("critical-minerals", "mofcom_rare_earths", "export_control"),
]


def document_ids() -> dict[str, str]:
    return {d.key: _record(d).id for d in DOCS}


def _record(doc: Doc) -> DocumentRecord:
    return DocumentRecord(
        source=doc.source,
        url=doc.url,
        title=doc.title,
        text=doc.text,
        language=doc.language,
        published=doc.published,
        fetched="2025-06-01T00:00:00+00:00",
        notice_number=doc.notice_number,
    )


def build_store(path: Path) -> Path:
    db = open_db(path)
    for source in SOURCES:
        upsert_source(db, source)
    event_ids: dict[tuple[str, str], int] = {}
    for doc in DOCS:
        record = _record(doc)
        store_document(db, record)
        ids = write_events(db, record.id, doc.events, "fixture-1")
        for event, event_id in zip(doc.events, ids, strict=True):
            event_ids[(doc.key, event.event_type)] = event_id
    ids_by_key = document_ids()
    for watchlist, key, event_type in ALERTS:
        with db.conn:  # an outbox row as alerts/matching.py writes it
            db.execute(
                "INSERT INTO alerts (watchlist, document_id, event_id, channel, created_at)"
                " VALUES (?, ?, ?, ?, datetime('now'))",
                [watchlist, ids_by_key[key], event_ids[(key, event_type)], f"#{watchlist}"],
            )
    _other_areas(db, ids_by_key)
    _signals(db)
    db.conn.close()
    return path


SIGNALS_UNTIL = date(2024, 12, 9)  # the escalation index as of the week of the December 2024 measures


def _signals(db: Database) -> None:
    """Cases, retaliation links and the escalation index, computed by the signals code itself."""
    from signals.cases import link_pending
    from signals.escalation_pass import compute_index
    from signals.retaliation_passes import link_all

    link_pending(db)
    link_all(db)
    compute_index(db, until=SIGNALS_UNTIL)


def _other_areas(db: Database, ids: dict[str, str]) -> None:
    """Rows in other areas' tables (stories, feedback, human labels) when this store has them, so the
    console's optional stored queries have something to show. Raw SQL: those areas own the writers."""
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    now = "2025-06-01T00:00:00+00:00"
    with db.conn:
        if {"stories", "story_members"} <= names:
            db.execute(
                "INSERT INTO stories (id, event_type, imposing, keys, title, first_document_id, first_seen,"
                " last_seen) VALUES (1, 'export_control', 'CN', '[\"commodity:gallium\"]',"
                " 'China controls gallium and germanium exports', ?, ?, ?)",
                [ids["mofcom_gallium"], now, now],
            )
            db.conn.executemany(
                "INSERT INTO story_members (story_id, document_id, event_type, added_at)"
                " VALUES (1, ?, 'export_control', ?)",
                [(ids["mofcom_gallium"], now), (ids["mofcom_us_dual_use"], now)],
            )
        if "alert_labels" in names:
            db.execute(
                "INSERT INTO alert_labels (alert_id, document_id, watchlist, up, down, label, review_state,"
                " updated_at) SELECT id, document_id, watchlist, 0, 2, 'not_relevant', 'new', ?"
                " FROM alerts WHERE watchlist = 'semiconductors' ORDER BY id LIMIT 1",
                [now],
            )
        if "human_labels" in names:
            db.execute(
                "INSERT INTO human_labels (document_id, event_types, labeller, labelled_at)"
                " VALUES (?, '[\"export_control\"]', 'analyst', ?)",
                [ids["japan_korea_whitelist"], now],
            )
            db.execute(
                "INSERT INTO human_labels (document_id, event_types, labeller, labelled_at)"
                " VALUES (?, '[\"export_control\", \"market_access\"]', 'analyst', ?)",
                [ids["meti_equipment"], now],
            )
