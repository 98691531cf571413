"""Measures are dated by when they were first made public, and retaliation links point that way."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from db.records import DocumentRecord, EventRecord, SourceMeta
from db.signal_views import responses_of
from db.store import open_db, store_document, upsert_source, write_events
from signals.public_date import first_public
from signals.retaliation_passes import link_all

FR = "https://www.federalregister.gov/documents/2024/12/05/2024-28270/fdpr-additions"
NO46 = "https://www.mofcom.gov.cn/zcfb/blgg/gg/2024nswbgg/art/2024/art_no46.html"
CHIPS = ["semiconductor manufacturing equipment"]


def _store(tmp_path: Path, fr_text: str) -> Database:
    db = open_db(tmp_path / "s.db")
    upsert_source(db, SourceMeta("us_federal_register", "Federal Register", "US", "en", "official"))
    upsert_source(db, SourceMeta("cn_mofcom", "商务部", "CN", "zh", "official"))
    upsert_source(db, SourceMeta("news_wire", "Trade news wire", "XX", "en", "news"))
    docs = [
        (
            DocumentRecord("us_federal_register", FR, "FDPR additions", fr_text, "en",
                           "2024-12-05T00:00:00-05:00", "2024-12-05T06:00:00+00:00"),
            EventRecord("export_control", 0.97, "restrictive", "US", "in_force", ["CN"], [], CHIPS),
        ),
        (
            DocumentRecord("cn_mofcom", NO46, "商务部公告2024年第46号", "对美国出口管制", "zh",
                           "2024-12-03T12:00:00+08:00", "2024-12-03T05:00:00+00:00"),
            EventRecord("export_control", 0.98, "restrictive", "CN", "in_force", ["US"],
                        [("gallium", None)], CHIPS),
        ),
    ]  # fmt: skip
    for record, event in docs:
        store_document(db, record)
        write_events(db, record.id, [event], "test")
    return db


def _event(db: Database, url: str) -> dict:
    from db.store import event_views

    (event,) = event_views(db, "d.url = ?", [url])
    return event


def test_public_inspection_line_dates_a_federal_register_rule(tmp_path: Path) -> None:
    db = _store(tmp_path, "Controls on equipment.\n[FR Doc. 2024-28270 Filed 12-2-24; 4:15 pm]")
    public = first_public(db, _event(db, FR))
    assert public.basis == "Federal Register public inspection"
    assert public.when.isoformat() == "2024-12-02T21:15:00+00:00"  # 4:15 pm in Washington
    assert first_public(db, _event(db, NO46)).basis == "published by 商务部"


def test_signing_date_when_there_is_no_filing_line(tmp_path: Path) -> None:
    db = _store(tmp_path, "Dated: November 29, 2024.\nAlan F. Estevez")
    public = first_public(db, _event(db, FR))
    assert (public.day, public.basis) == ("2024-11-29", "signing date in the Federal Register")


def test_without_any_earlier_date_publication_counts(tmp_path: Path) -> None:
    db = _store(tmp_path, "Controls on equipment.\n[FR Doc. 2024-28270 Filed ; 8:45 am]")
    public = first_public(db, _event(db, FR))
    assert (public.day, public.basis) == ("2024-12-05", "published by Federal Register")


def test_the_answer_links_to_the_rule_not_the_reverse(tmp_path: Path) -> None:
    db = _store(tmp_path, "Controls on equipment.\n[FR Doc. 2024-28270 Filed 12-2-24; 4:15 pm]")
    link_all(db)
    rule, answer = _event(db, FR), _event(db, NO46)
    assert responses_of(db, int(rule["id"])) == []  # the rule answers nothing
    (link,) = responses_of(db, int(answer["id"]))
    assert link["url"] == FR and link["days"] == 0.28  # 21:15Z on 2 Dec to 04:00Z on 3 Dec
    assert link["components"]["prior_public"] == "2024-12-02"
    assert link["components"]["prior_public_basis"] == "Federal Register public inspection"
    assert link["components"]["public_basis"] == "published by 商务部"


def test_dated_by_publication_alone_the_link_would_point_the_other_way(tmp_path: Path) -> None:
    db = _store(tmp_path, "Controls on equipment.\n[FR Doc. 2024-28270 Filed ; 8:45 am]")
    link_all(db)
    assert responses_of(db, int(_event(db, NO46)["id"])) == []
    assert [r["url"] for r in responses_of(db, int(_event(db, FR)["id"]))] == [NO46]


def test_earliest_report_of_its_story(tmp_path: Path) -> None:
    db = _store(tmp_path, "Controls on equipment.")
    news = DocumentRecord("news_wire", "https://news.example.org/us-chip-curbs", "US unveils chip curbs",
                          "The US announced new controls.", "en", "2024-12-02T15:00:00+00:00",
                          "2024-12-02T16:00:00+00:00")  # fmt: skip
    store_document(db, news)
    with db.conn:
        db.execute(
            "INSERT INTO stories (id, event_type, imposing, title, first_document_id, first_seen, last_seen)"
            " VALUES (1, 'export_control', 'US', 'US chip curbs', ?, '2024-12-02', '2024-12-05')",
            [news.id],
        )
        for doc_id in (news.id, _event(db, FR)["document_id"]):
            db.execute(
                "INSERT INTO story_members (story_id, document_id, event_type, added_at)"
                " VALUES (1, ?, 'export_control', '2024-12-05')",
                [doc_id],
            )
    public = first_public(db, _event(db, FR))
    assert (public.day, public.basis) == ("2024-12-02", "earliest report of its story (Trade news wire)")
