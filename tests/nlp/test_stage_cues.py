"""Stage and relevance cues: the gazetteer's cue layers, and our own texts through the real tagger."""

from __future__ import annotations

from nlp.components import pipeline
from nlp.tagger import Tagger, TagInput


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


# Our own texts (no dev item's event): (language, title, text, published, expected stage).
STAGE_CASES = [
    (
        "en",
        "Vietnam to raise import duties on steel wire from March",
        "Vietnam's trade ministry said it will impose a 12% duty on imported steel wire starting March 1.",
        "2026-01-20",
        "announced",
    ),
    (
        "en",
        "Egypt lifts ban on sugar exports",
        "Egypt has lifted its ban on sugar exports with immediate effect, the supply ministry said.",
        "2026-02-03",
        "lifted",
    ),
    (
        "zh",
        "财政部：自明年1月1日起调整部分商品进口关税",
        "财政部宣布，将自2027年1月1日起对部分商品实施较低的进口暂定税率，涉及医疗器械和部分农产品。",
        "2026-12-20",
        "announced",
    ),
    (
        "zh",
        "商务部对原产于某国的进口聚酰胺切片发起反倾销调查",
        "商务部决定自即日起对原产于该国的进口聚酰胺切片进行反倾销立案调查，调查通常在一年内结束。",
        "2026-03-10",
        "in_force",
    ),
    (
        "ja",
        "政府、半導体材料の輸出管理を来月から強化へ",
        "経済産業省は、一部の半導体材料を輸出許可の対象に加える省令改正を公布した。来月1日から施行する。",
        "2026-05-12",
        "announced",
    ),
    (
        "ko",
        "정부, 다음 달부터 수입 밀에 할당관세 0% 적용하기로",
        "기획재정부는 밀 가격 안정을 위해 수입 밀 10만t에 다음 달부터 할당관세 0%를 적용하기로 했다고 밝혔다.",
        "2026-04-02",
        "announced",
    ),
    (
        "ko",
        "무역위, 중국산 알루미늄 호일 덤핑 조사 개시",
        "무역위원회는 국내 업체의 신청을 받아 중국산 알루미늄 호일에 대한 덤핑 조사를 개시했다고 밝혔다.",
        "2026-06-15",
        "in_force",
    ),
]

# Our own non-measures: earnings, statistics, a trade fair, a logistics fair.
NON_MEASURES = [
    (
        "en",
        "Carmaker's quarterly profit falls as tariff costs bite",
        "The carmaker reported a 30% drop in quarterly operating profit and cut its full-year outlook, "
        "citing higher tariff costs and weaker demand.",
    ),
    (
        "zh",
        "前三季度我国货物贸易进出口总值同比增长",
        "海关总署发布统计数据，前三季度我国货物贸易进出口总值同比增长4%，其中出口增长6%。",
    ),
    (
        "ja",
        "東京で国際食品見本市が開幕 出展企業は過去最多",
        "国際食品見本市が東京で開幕し、海外からの出展企業は過去最多となった。",
    ),
    (
        "ko",
        "부산서 국제 물류 박람회 개막…30개국 참가",
        "국제 물류 박람회가 부산에서 개막해 30개국 기업이 참가했다.",
    ),
]


def test_stage_follows_the_text_in_every_language(tagger: Tagger) -> None:
    inputs = [TagInput(t, x, lang, "news", None, pub) for lang, t, x, pub, _ in STAGE_CASES]
    got = [r.events[0].stage if r.events else None for r in tagger.tag(inputs)]
    assert got == [stage for *_, stage in STAGE_CASES]


def test_non_measures_produce_no_event(tagger: Tagger) -> None:
    results = tagger.tag([TagInput(t, x, lang, "news") for lang, t, x in NON_MEASURES])
    assert [r.event_types for r in results] == [["none"]] * len(NON_MEASURES)
