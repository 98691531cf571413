"""Technologies and targets (issue 12) through the real trained tagger: CJK technology names, generic vs
specific, company names, every listed destination, background countries. All texts are written for these
tests and are about no event of the dev sets."""

from __future__ import annotations

import pytest

from nlp.extract import technologies
from nlp.features import analyse
from nlp.roles import candidates
from nlp.tagger import Tagger, TagInput


def _tag(tagger: Tagger, title: str, text: str, lang: str, kind: str = "news") -> tuple[list[str], list[str]]:
    """(targets, technologies) of the first event; the text must be tagged as a measure."""
    result = tagger.tag([TagInput(title, text, lang, kind)])[0]
    assert result.events, "expected a measure"
    event = result.events[0]
    return sorted(event.targets), list(event.technologies)


# --- technologies ----------------------------------------------------------------------------------


def test_korean_notice_on_chipmaking_equipment(tagger: Tagger) -> None:
    _, techs = _tag(
        tagger,
        "산업부, 반도체 제조 장비 수출 허가 대상 확대…다음 달 시행",
        "산업통상자원부는 첨단 반도체 제조 장비와 관련 기술을 수출할 때 정부 허가를 받도록 하는 "
        "전략물자 수출입고시 개정안을 다음 달 1일부터 시행한다고 밝혔다.",
        "ko",
    )
    # The specific kind only: the generic "semiconductors" is not added next to it.
    assert techs == ["semiconductor manufacturing equipment"]


def test_chinese_ai_chip_curbs_name_ai_and_advanced_computing(tagger: Tagger) -> None:
    targets, techs = _tag(
        tagger,
        "美方宣布收紧对华人工智能芯片出口",
        "美国商务部宣布，进一步限制向中国出口人工智能芯片，新规30天后生效。",
        "zh",
    )
    assert sorted(techs) == ["advanced computing", "artificial intelligence"]
    assert targets == ["CN"]


def test_japanese_lithium_battery_controls_are_battery_technology(tagger: Tagger) -> None:
    _, techs = _tag(
        tagger,
        "中国、リチウム電池の輸出に許可制を導入へ",
        "中国商務省は、高性能のリチウム電池とその製造装置について、来月から輸出に許可を求めると発表した。",
        "ja",
    )
    # "その製造装置" is battery-making equipment, not chipmaking equipment.
    assert techs == ["battery technology"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("양자컴퓨터와 3D 프린팅 장비 수출에 허가가 필요하다.", "ko"),
        ("量子コンピューターや3Dプリンティング装置の輸出を規制する。", "ja"),
    ],
)
def test_cjk_quantum_and_3d_printing_names_are_in_the_lexicon(text: str, lang: str) -> None:
    a = analyse([("", text, lang, "news", None)])[0]
    assert {"quantum computing", "3d printing"} <= set(technologies(a))


def test_korean_bilateral_is_not_quantum() -> None:
    # 양자 also means "bilateral" (한미 양자 협의): only the compound names count.
    a = analyse([("", "한미 양자 협의에서 관세 문제를 논의했다.", "ko", "news", None)])[0]
    assert technologies(a) == []


def test_a_company_name_names_no_technology() -> None:
    a = analyse(
        [
            (
                "ON Semiconductor Corporation agrees takeover of a sensor maker",
                "Regulators cleared the deal.",
                "en",
                "news",
                None,
            )
        ]
    )[0]
    assert technologies(a) == []
    a = analyse(
        [
            (
                "Canada orders TikTok to close its Toronto office",
                "The order follows a review.",
                "en",
                "news",
                None,
            )
        ]
    )[0]
    assert technologies(a) == []


# --- targets ---------------------------------------------------------------------------------------


def test_entity_list_rule_targets_every_listed_destination(tagger: Tagger) -> None:
    targets, _ = _tag(
        tagger,
        "Entity List additions: fourteen entities in China, Iran and Pakistan",
        "The Bureau of Industry and Security is adding fourteen entities located in China, Iran and Pakistan "
        "to the Entity List for diverting U.S.-origin items to unauthorized military end uses. Exports to them "
        "now require a license.",
        "en",
        kind="official",
    )
    assert targets == ["CN", "IR", "PK"]


def test_invasion_of_ukraine_is_background(tagger: Tagger) -> None:
    targets, _ = _tag(
        tagger,
        "Norway bans exports of dual-use goods to Russia",
        "Norway will prohibit exports of dual-use goods and advanced technology to Russia from Monday, joining "
        "sanctions that allies adopted after the invasion of Ukraine, the foreign ministry said.",
        "en",
    )
    assert "UA" not in targets
    assert targets == ["RU"]


def test_korean_middle_dot_enumeration_targets_both(tagger: Tagger) -> None:
    targets, _ = _tag(
        tagger,
        "미 상무부, 이란·시리아 소재 기업 우려거래자 명단 추가",
        "미국 상무부는 무기 개발을 도운 혐의로 이란·시리아 소재 기업 6곳을 우려거래자 명단에 올렸다.",
        "ko",
    )
    assert targets == ["IR", "SY"]


def test_middle_dot_joins_a_korean_enumeration() -> None:
    a = analyse([("", "미국은 이란·시리아 기업을 제재했다.", "ko", "news", None)])[0]
    by_code = {c.code: c.features for c in candidates(a)}
    assert "in_list" in by_code["SY"]
    assert "list_member" in by_code["IR"]  # the head of the list shares what follows the list


def test_chinas_taiwan_region_is_one_name() -> None:
    a = analyse([("Duties on resin from Japan and China's Taiwan region", "", "en", "news", None)])[0]
    assert [m.key for m in a.mentions if m.layer == "country"] == ["JP", "TW"]
