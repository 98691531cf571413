"""Small pieces: stage cues (en/zh), references, the retaliation score, and the alert line's escaping."""

from __future__ import annotations

import pytest

from alerts.render import render_alert
from signals import cues
from signals.retaliation_score import score


@pytest.mark.parametrize(
    ("title", "text", "stage"),
    [
        (
            "Certain Paper Plates From China: Initiation of Less-Than-Fair-Value Investigations",
            "",
            "initiation",
        ),
        (
            "Certain Paper Plates From China: Preliminary Affirmative Determination of Sales at LTFV",
            "",
            "preliminary",
        ),
        ("Aluminum Wire From China: Final Results of Antidumping Duty Administrative Review", "", "review"),
        ("Steel Racks From China: Final Affirmative Determination", "", "final"),
        ("Steel Racks From China: Revocation of Antidumping Duty Order", "", "lifted"),
        ("关于对原产于美国的进口正丙醇反倾销措施进行期终复审调查的公告", "", "review"),
        ("公告", "2024年5月19日，商务部发布公告决定立案调查。调查机关初步裁定存在倾销。", "preliminary"),
        ("关于召开座谈会的通知", "会议讨论行业发展。", None),
    ],
)
def test_case_stage(title: str, text: str, stage: str | None) -> None:
    assert cues.case_stage(title, text) == stage


def test_references_and_remedy() -> None:
    refs = cues.references(
        "Case A-570-164", "see 商务部发布2024年第19号公告 and AD0086", "商务部公告2025年第4号"
    )
    assert refs == {"A-570-164", "AD0086", "商务部公告2024年第19号", "商务部公告2025年第4号"}
    assert cues.remedy("Countervailing Duty Investigation of Certain Plates", "") == "countervailing"
    assert cues.remedy("反补贴和反倾销", "") == "countervailing"
    assert cues.effective_date("duties effective January 24, 2025.") == "2025-01-24"


def test_retaliation_terms() -> None:
    new = {
        "event_type": "export_control",
        "published": "2024-12-03T12:00:00+08:00",
        "commodities": ["gallium"],
    }
    close = {
        "event_type": "export_control",
        "published": "2024-12-02T00:00:00-05:00",
        "technologies": ["semiconductors"],
    }
    far = {**close, "published": "2024-09-03T00:00:00-05:00"}
    near_total, terms = score(new, close)
    far_total, _ = score(new, far)
    assert terms["sector"] == 1.0 and terms["subject"] == 0.0 and terms["type"] == 1.0
    assert near_total > far_total


def test_possible_response_line_is_inert() -> None:
    event = {
        "event_type": "export_control",
        "imposing": "CN",
        "targets": ["US"],
        "title": "t",
        "confidence": 0.9,
        "responds_to": [
            {
                "title": "<!channel> *bold* <https://evil.example|click>",
                "url": "https://x.example/a|b",
                "event_type": "entity_listing",
                "imposing": "US",
                "days": 2.4,
                "score": 0.61,
            }
        ],
    }
    message = render_alert(event, watchlist="w")
    (line,) = [b["text"]["text"] for b in message.blocks if "Possible response" in str(b)]
    assert "<!channel>" not in line and "&lt;!channel&gt;" in line and "<https://evil" not in line
    assert line.startswith("*Possible response to:* <https://x.example/a%7Cb|")
    assert line.endswith("\nUS entity listing, 2 days earlier, score 0.61")
    assert "Possible response to" not in str(render_alert({**event, "responds_to": []}, watchlist="w").blocks)
