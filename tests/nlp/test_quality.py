"""Issue 4 follow-up: technology aliases, stage evidence (dates, direction/stage coupling), publisher prior."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from db import open_db
from db.records import DocumentRecord, SourceMeta
from db.store import event_views, store_document, upsert_source
from nlp.dates import date_features, find_dates
from nlp.features import analyse
from nlp.lexicon import normalise_technology
from nlp.stage import tag_new_documents
from nlp.tagger import Tagger, TagInput, decode_direction_stage


def _tech_keys(title: str, lang: str | None = None) -> set[str]:
    a = analyse([(title, "", lang, None, None)])[0]
    return {m.key for m in a.mentions if m.layer == "technology"}


def test_shared_aliases_propose_every_entry() -> None:
    # AI chips name the specific technologies, not the generic "semiconductors" (docs/taxonomy.md).
    assert _tech_keys("Curbs on AI chips") == {"advanced computing", "artificial intelligence"}
    assert _tech_keys("licences for DUV lithography machines") >= {
        "lithography",
        "semiconductor manufacturing equipment",
    }
    assert _tech_keys("出口部分先进的深紫外光刻机", "zh") >= {
        "lithography",
        "semiconductor manufacturing equipment",
    }
    assert "high bandwidth memory" in _tech_keys("对高带宽存储芯片实施出口限制", "zh")
    assert "lithography" in _tech_keys("対象は露光装置やエッチング装置など", "ja")
    assert "quantum computing" in _tech_keys("量子コンピュータの輸出を禁止", "ja")
    assert "mobile apps" in _tech_keys("Montana bans the short-video app")


def test_a_short_all_caps_word_is_an_acronym_not_an_alias() -> None:
    assert _tech_keys("Vilnius, Dec 3 (APP/AFP): Lithuania said China stopped its goods") == set()
    assert "mobile apps" in _tech_keys("The App was removed from stores")
    assert _tech_keys("licences for chipmaking machine exports") == {"semiconductor manufacturing equipment"}


def test_a_measure_name_is_not_a_technology() -> None:
    # 网络安全审查 / cybersecurity review is a kind of investigation, not a technology the measure covers.
    assert _tech_keys("网络安全审查办公室对美光公司启动网络安全审查", "zh") == set()
    assert _tech_keys("CAC opens a cybersecurity review of Micron") == set()


def test_canonical_names_survive_shared_aliases() -> None:
    for name in ("semiconductors", "advanced computing", "artificial intelligence", "lithography"):
        assert normalise_technology(name) == name


def test_dates_are_placed_against_publication() -> None:
    found = find_dates("Canada will impose a surtax from Oct. 1; it was announced on Aug. 26.", "2024-08-26")
    assert [(d["date"], d["role"], d["when"]) for d in found] == [
        ("2024-10-01", "effective", "future"),
        ("2024-08-26", "mentioned", "same"),
    ]
    # No year, written in December: January means next January.
    assert find_dates("duties apply from Jan. 1", "2024-12-20")[0]["date"] == "2025-01-01"
    assert find_dates("自2024年12月1日起施行", "2024-11-15")[0]["when"] == "future"
    assert find_dates("反ダンピング関税を23日から課す", "2024-12-20")[0]["when"] == "future"
    assert "date:effective:same" in date_features("The ban is effective immediately.", "2024-01-01")
    assert find_dates("from Oct. 1", None) == []  # no publication date, no year: nothing to place


def test_lifted_is_never_restrictive() -> None:
    labels = ["proposed", "announced", "in_force", "lifted"]
    # Stage head prefers lifted, direction head says restrictive: the pair is impossible.
    direction, stage = decode_direction_stage(0.2, np.array([0.05, 0.15, 0.3, 0.5]), labels)
    assert (direction, stage) == ("restrictive", "in_force")
    # A confident lifted pulls an unsure direction to liberalizing.
    direction, stage = decode_direction_stage(0.45, np.array([0.0, 0.05, 0.05, 0.9]), labels)
    assert (direction, stage) == ("liberalizing", "lifted")


def test_stage_cues_in_tagging(tagger: Tagger) -> None:
    docs = [
        TagInput(
            "Indonesia to ban bauxite exports from June",
            "Indonesia will stop exports of bauxite from June next year, the president said on Wednesday.",
            "en",
            "news",
            None,
            "2022-12-21",
        ),
        TagInput(
            "Canada to lift counter-tariffs on U.S. goods from Sept. 1",
            "Canada will remove its retaliatory tariffs on U.S. goods covered by the trade pact from Sept. 1.",
            "en",
            "news",
            None,
            "2025-08-22",
        ),
    ]
    bauxite, canada = (r.events[0] for r in tagger.tag(docs))
    assert (bauxite.stage, bauxite.direction) == ("announced", "restrictive")
    # A removal decided for a later date is announced (Settled convention 2 of the dev-set README).
    assert (canada.stage, canada.direction) == ("announced", "liberalizing")


def test_technologies_in_three_languages(tagger: Tagger) -> None:
    docs = [
        TagInput(
            "Dutch government expands licence requirement to more ASML lithography machines",
            "Exports of some deep ultraviolet lithography machines will need a Dutch licence from Sept. 7.",
            "en",
            "news",
            None,
            "2024-09-06",
        ),
        TagInput(
            "米商務省、AI半導体の対中輸出規制を強化",
            "米商務省は、人工知能向けの先端半導体の中国への輸出規制を強化する規則を公表した。",
            None,
            "news",
        ),
    ]
    dutch, us = (r.events[0] for r in tagger.tag(docs))
    assert {"lithography", "semiconductor manufacturing equipment"} <= set(dutch.technologies)
    assert "advanced computing" in us.technologies and us.imposing == "US"
    # The chips named are of the specific kinds: the generic entry is not added (docs/taxonomy.md).
    assert "semiconductors" not in dutch.technologies + us.technologies


def test_publisher_jurisdiction_is_the_prior_for_official_sources(tagger: Tagger) -> None:
    title = "Notice of anti-dumping duties on imports of steel wire"
    text = "Definitive duties apply to imports of steel wire originating in Vietnam from the date of this notice."
    with_publisher, without = tagger.tag(
        [
            TagInput(title, text, "en", "official", "GB", "2024-04-01"),
            TagInput(title, text, "en", "official", None, "2024-04-01"),
        ]
    )
    assert with_publisher.events[0].imposing == "GB"
    assert without.events[0].imposing != "GB"  # the prior comes only from the publisher


def test_tagging_stage_passes_the_source_jurisdiction(tmp_path: Path, tagger: Tagger) -> None:
    db = open_db(tmp_path / "store.db")
    upsert_source(db, SourceMeta("uk_trade_remedies", "TRA", "GB", "en", "official"))
    doc = DocumentRecord(
        source="uk_trade_remedies",
        url="https://example.org/steel-wire",
        title="Notice of anti-dumping duties on imports of steel wire",
        text="Definitive duties apply to imports of steel wire originating in Vietnam from the date of this notice.",
        language="en",
        published="2024-04-01",
        fetched="2024-04-01T00:00:00+00:00",
    )
    store_document(db, doc)
    assert tag_new_documents(db, tagger) == 1
    events = list(event_views(db))
    assert events and {e["imposing"] for e in events} == {"GB"}


def test_end_dates_and_relative_future_cues() -> None:
    found = find_dates("Exports are prohibited until 31 March 2024.", "2023-12-08")
    assert found[0]["role"] == "end"  # a stop date is no evidence the measure is still ahead
    assert "date:relative:future" in date_features(
        "The rule takes effect 30 days after publication.", "2024-01-01"
    )
    assert "date:relative:future" in date_features("新规将于发布30天后生效。", "2024-01-01")
    friday = find_dates("Duties will apply from Friday.", "2024-07-03")  # a Wednesday
    assert friday[0]["when"] == "future" and friday[0]["date"] == "2024-07-05"


def test_coordinated_products_split_and_commodity_key() -> None:
    from nlp.extract import split_coordination
    from nlp.lexicon import commodity_key

    assert split_coordination("steel and aluminium") == ["steel", "aluminium"]
    assert split_coordination("hardwood and decorative plywood") == ["hardwood plywood", "decorative plywood"]
    assert commodity_key("Galvanised steel wires") == commodity_key("galvanized steel wire")
    assert commodity_key("aluminium") == "aluminum"


def test_a_listed_commodity_keeps_its_siblings() -> None:
    """Our own wording: when the value head keeps one item of an enumeration, the items listed with it stay;
    a commodity outside the list (background) is still up to the head."""
    from nlp.extract import commodities

    zh = analyse([(None, "决定对钨、碲、铋、钼相关物项实施出口管制。另，石墨价格上涨。", "zh", None, None)])[
        0
    ]
    names = [n for n, _ in commodities(zh, keep=lambda layer, key: key == "tungsten")]
    assert {"tungsten", "bismuth", "molybdenum"} <= set(names) and "graphite" not in names
    en = analyse(
        [(None, "Exports of tungsten, bismuth and molybdenum now need a licence.", "en", None, None)]
    )[0]
    assert {"tungsten", "bismuth", "molybdenum"} <= {
        n for n, _ in commodities(en, keep=lambda _l, k: k == "bismuth")
    }
