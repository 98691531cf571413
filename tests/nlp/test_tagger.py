"""Tagging with the real encoder and the shipped heads."""

from __future__ import annotations

import pytest

from nlp.tagger import Tagger, TagInput, TagResult


def _one(
    tagger: Tagger,
    title: str,
    text: str,
    *,
    language: str | None = None,
    source_kind: str | None = None,
    source_jurisdiction: str | None = None,
) -> TagResult:
    doc = TagInput(
        title, text, language=language, source_kind=source_kind, source_jurisdiction=source_jurisdiction
    )
    return tagger.tag([doc])[0]


def test_chinese_export_control_on_minerals(tagger: Tagger) -> None:
    r = _one(
        tagger,
        "Beijing tightens export licensing for gallium and germanium",
        "China's commerce ministry said exporters of gallium and germanium products will need licences "
        "from next month, citing national security.",
        source_kind="news",
    )
    assert "export_control" in r.event_types
    ev = r.events[0]
    assert ev.imposing == "CN"
    assert {name for name, _ in ev.commodities} >= {"gallium", "germanium"}
    assert dict(ev.commodities)["gallium"] == "8112.92"


def test_us_antidumping_case_targets_origin_countries(tagger: Tagger) -> None:
    r = _one(
        tagger,
        "Commerce Opens Antidumping Duty Investigations of Garden Hose Reels From Vietnam and India",
        "The Department of Commerce is initiating less-than-fair-value investigations of garden hose reels "
        "imported from Vietnam and India, following a petition by a domestic producer.",
        source_kind="official",
    )
    assert "investigation" in r.event_types
    ev = r.events[0]
    assert ev.imposing == "US"
    assert set(ev.targets) == {"VN", "IN"}


def test_chinese_text_roles_and_commodity(tagger: Tagger) -> None:
    r = _one(
        tagger,
        "商务部对原产于美国、欧盟、日本和台湾地区的进口共聚甲醛发起反倾销调查",
        "商务部决定自即日起对原产于美国、欧盟、日本和台湾地区的进口共聚甲醛进行反倾销立案调查。",
        language="zh",
        source_kind="official",
        source_jurisdiction="CN",
    )
    assert r.language == "zh"
    assert "investigation" in r.event_types
    ev = r.events[0]
    assert ev.imposing == "CN"
    assert set(ev.targets) >= {"US", "JP"}
    assert "polyformaldehyde copolymer" in [name for name, _ in ev.commodities]


def test_japanese_text_gets_a_type_and_imposer(tagger: Tagger) -> None:
    r = _one(
        tagger,
        "経済産業省、半導体製造装置の輸出管理を強化",
        "経済産業省は先端半導体の製造装置23品目を輸出管理の対象に追加すると発表した。",
        language=None,
        source_kind="official",
        source_jurisdiction="JP",
    )
    assert r.language == "ja"
    assert r.events and r.events[0].imposing == "JP"
    assert "semiconductor manufacturing equipment" in r.events[0].technologies


def test_trade_statistics_are_not_a_measure(tagger: Tagger) -> None:
    r = _one(
        tagger,
        "Exports rose 7% year on year in October, customs data show",
        "Exports grew 7 per cent from a year earlier while imports fell 2 per cent, leaving a trade surplus "
        "of $95 billion, according to customs statistics released on Tuesday.",
        source_kind="news",
    )
    assert r.event_types == ["none"]
    assert r.events == []


@pytest.mark.parametrize(
    "title,text",
    [
        ("", ""),
        ("Tariffs", "tariff " * 200_000),  # ~1.4 MB
        ("\x00\x01\xff\ufffd", bytes(range(256)).decode("latin-1") * 100),
        ("美国 tariffs 関税 на сталь", "混合 scripts: 加征关税 on steel from 日本 and 米国 " * 50),
        ("   ", "\n\n\t"),
    ],
)
def test_hostile_inputs_never_raise(tagger: Tagger, title: str, text: str) -> None:
    results = tagger.tag([TagInput(title, text)])
    assert len(results) == 1
    for ev in results[0].events:
        assert 0.0 <= ev.confidence <= 1.0


def test_empty_document_is_none(tagger: Tagger) -> None:
    assert tagger.tag([TagInput("", "")])[0].events == []


def test_batch_keeps_order(tagger: Tagger) -> None:
    docs = [
        TagInput("Weekly freight rates ease", "Container rates fell again."),
        TagInput("US adds 12 Chinese firms to Entity List", "BIS added the companies to the Entity List."),
    ]
    first, second = tagger.tag(docs)
    assert first.events == []
    assert "entity_listing" in second.event_types
    assert tagger.model_version
