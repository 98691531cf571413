"""Commodities in Chinese, Japanese and Korean notices (issue 12): product slots, lexicon linking, naming a
product from its parts, background goods and company names. All texts are written for these tests."""

from __future__ import annotations

import pytest

from nlp.cjk_linking import link_cjk_product
from nlp.cjk_products import cjk_products
from nlp.extract import commodities
from nlp.features import analyse
from nlp.lexicon import hs_code, normalise_commodity
from nlp.tagger import Tagger, TagInput


def _names(title: str, text: str, lang: str) -> list[str]:
    a = analyse([(title, text, lang, "news", None)])[0]
    return [name for name, _ in commodities(a)]


# --- slots per language ---------------------------------------------------------------------------


def test_chinese_origin_slot_names_the_product_not_the_broad_material() -> None:
    names = _names(
        "商务部关于对原产于韩国和印度的进口不锈钢板进行反倾销立案调查的公告",
        "应国内产业申请，商务部决定对原产于韩国和印度的进口不锈钢板发起反倾销调查，调查通常在一年内结束。",
        "zh",
    )
    assert names == ["stainless steel plate"]


def test_chinese_slot_lists_every_linked_item_and_keeps_hs() -> None:
    a = analyse(
        [
            (
                "税委会：对原产于某国的豌豆、油渣饼和生姜加征关税",
                "自下月一日起，对原产于该国的豌豆、油渣饼和生姜加征20%关税。",
                "zh",
                "official",
                "CN",
            )
        ]
    )[0]
    found = commodities(a)
    assert [n for n, _ in found] == ["peas", "oil cake", "ginger"]
    assert dict(found)["peas"] == "0713.10"


def test_chinese_export_control_slot() -> None:
    names = _names(
        "两部门公告：对钨、仲钨酸铵相关物项实施出口管制",
        "公告自发布之日起施行，出口经营者应当依法申请许可。",
        "zh",
    )
    assert names == ["tungsten", "ammonium paratungstate"]


def test_japanese_origin_slot_and_duty_cue_slot() -> None:
    names = _names(
        "大韓民国産炭酸カリウムへの不当廉売関税、課税期間を5年延長",
        "財務省は大韓民国産炭酸カリウムに対する不当廉売関税について、課税期間の延長を決めた。",
        "ja",
    )
    assert names == ["potassium carbonate"]
    assert _names(
        "冷凍豚肉の輸入急増、関税引き上げへ", "政府は冷凍豚肉の輸入量が発動基準を超えたと発表した。", "ja"
    ) == ["frozen pork"]


def test_korean_origin_slot_with_particles_and_several_origins() -> None:
    names = _names(
        "무역위, 인도·베트남산 흑연전극에 덤핑방지관세 부과 건의",
        "무역위원회는 인도·베트남산 흑연전극의 덤핑 수입으로 국내 산업이 피해를 입었다고 판정했다.",
        "ko",
    )
    assert names == ["graphite electrodes"]


def test_korean_slot_in_quotes() -> None:
    names = _names(
        "무역위, 카자흐스탄·인도산 '페로실리코망간' 덤핑 예비판정", "잠정덤핑방지관세 부과를 건의했다.", "ko"
    )
    assert names == ["ferrosilicomanganese"]


def test_korean_slot_names_a_product_from_its_parts() -> None:
    # 스테인리스스틸 (stainless steel) + 후판 (heavy plate), 냉동 (frozen) + 고등어 (mackerel).
    assert _names("무역위, 태국산 스테인리스스틸 후판 반덤핑 조사 개시", "조사는 1년간 진행된다.", "ko") == [
        "stainless steel plate"
    ]
    assert link_cjk_product("냉동 고등어", "ko") == ["frozen mackerel"]
    assert link_cjk_product("冷冻猪肉", "zh") == ["frozen pork"]
    assert link_cjk_product("흑연 전극", "ko") == ["graphite electrodes"]


# --- lexicon linking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "canonical", "hs"),
    [
        ("共聚甲醛", "polyformaldehyde copolymer", "3907.10"),
        ("石墨电极", "graphite electrodes", "8545.11"),
        ("黒鉛電極", "graphite electrodes", "8545.11"),
        ("흑연전극", "graphite electrodes", "8545.11"),
        ("冷凍牛肉", "frozen beef", "0202"),
        ("스테인리스스틸 후판", "stainless steel plate", "7219"),
        ("卤化丁基橡胶", "halogenated butyl rubber", "4002.39"),
        ("초산에틸", "ethyl acetate", "2915.31"),
    ],
)
def test_cjk_names_link_to_english_canonical_with_hs(surface: str, canonical: str, hs: str) -> None:
    assert link_cjk_product(surface) == [canonical]
    assert normalise_commodity(surface) == canonical
    assert hs_code(canonical) == hs


def test_a_slot_that_links_to_nothing_reports_nothing() -> None:
    a = analyse([("商务部对原产于某国的进口某某新材料发起反倾销调查", "调查期为一年。", "zh", "news", None)])[
        0
    ]
    assert cjk_products(a) == []


# --- what is not a commodity ----------------------------------------------------------------------


def test_company_names_are_not_commodities() -> None:
    # Firms whose names hold a material word: 美国钢铁公司 (U.S. Steel), 中国稀土集团, 宝钢股份.
    assert _names("美国钢铁公司被日企收购", "收购方表示将保留美国钢铁公司总部。", "zh") == []
    assert _names("中国稀土集团成立合资公司", "中国稀土集团与两家地方企业签约。", "zh") == []
    assert _names("宝钢股份发布年报", "宝钢股份称，海外订单保持稳定。", "zh") == []
    ja = _names("東海カーボン、中国産黒鉛電極の調査申請", "東海カーボンなど3社が財務大臣に申請した。", "ja")
    assert ja == ["graphite electrodes"]


def test_background_goods_of_another_governments_measure_are_not_extracted() -> None:
    names = _names(
        "税委会对原产于某国的大豆加征关税",
        "针对该国政府日前对中国钢铁产品加征关税，经国务院批准，对原产于该国的大豆加征10%关税。",
        "zh",
    )
    assert names == ["soybeans"]
    names = _names(
        "税委会对原产于澳大利亚的大麦加征关税",
        "为平衡澳大利亚对进口钢铁产品加征关税造成的损失，对原产于澳大利亚的大麦加征10%关税。",
        "zh",
    )
    assert names == ["barley"]


def test_a_second_case_heard_in_passing_is_background() -> None:
    names = _names(
        "무역위, 중국산 과산화수소에 덤핑방지관세 건의",
        "무역위원회는 중국산 과산화수소에 5년간 덤핑방지관세를 부과하도록 건의했다. 이날 태국산 석고보드 조사 공청회도 열렸다.",
        "ko",
    )
    assert names == ["hydrogen peroxide"]


def test_english_slots_are_untouched() -> None:
    a = analyse([("Probe of hydrogen peroxide from Korea", "", "en", "news", None)])[0]
    assert cjk_products(a) == []


# --- typographic marks before country matching (task 4) -------------------------------------------


def test_curly_apostrophe_in_peoples_republic_of_china_is_cn() -> None:
    for title in (
        "People’s Republic of China restricts gallium exports",
        "People's Republic of China restricts",
    ):
        a = analyse([(title, "", "en", "news", None)])[0]
        assert [m.key for m in a.mentions if m.layer == "country"] == ["CN"], title
        assert a.title == title  # the text is kept as written


# --- through the tagger ---------------------------------------------------------------------------


def test_tagger_reports_the_slot_product(tagger: Tagger) -> None:
    result = tagger.tag(
        [
            TagInput(
                "商务部对原产于美国、日本的进口氢碘酸作出反倾销终裁",
                "商务部裁定，自明日起对原产于美国、日本的进口氢碘酸征收反倾销税，税率为30%至50%，实施期限5年。",
                "zh",
                "official",
                "CN",
            )
        ]
    )[0]
    assert result.events
    assert {c for ev in result.events for c in ev.commodities} == {("hydriodic acid", "2811.19")}
