"""Stage and relevance cues: the gazetteer's cue layers, and our own texts through the real tagger."""

from __future__ import annotations

from nlp.components import pipeline


def _cues(lang: str, text: str) -> set[tuple[str, str]]:
    doc = pipeline(lang)(text)
    return {(m.key, m.text) for m in doc._.cw_cues}


def test_a_stage_phrase_keeps_the_measure_word_it_is_built_on() -> None:
    ja = _cues("ja", "政府は来月から当該品目の輸入を禁止する。")
    assert ("stage_announced", "禁止する") in ja
    assert ("market_access", "禁止") in ja
    en = _cues("en", "The ministry will impose duties on the goods and has lifted the quota.")
    assert ("stage_announced", "will impose") in en
    assert ("restrictive", "impose") in en
    assert ("stage_lifted", "has lifted") in en
    assert ("liberalizing", "lifted") in en


def test_a_stage_word_inside_a_longer_measure_word_is_not_a_stage_cue() -> None:
    zh = _cues("zh", "商务部对进口产品立案调查。")
    assert ("investigation", "立案调查") in zh
    assert not any(key == "stage_proposed" for key, _ in zh)  # 案 of 立案 is no draft


def test_measure_cues_still_resolve_longest_first_among_themselves() -> None:
    en = _cues("en", "The rule imposes anti-dumping duties on the product.")
    assert ("tariff", "anti-dumping duties") in en
    assert ("investigation", "anti-dumping") not in en
