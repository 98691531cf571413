"""Korea MOEF press-release RSS feed (Korean) through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "kr_moef"
PLATE = (
    "https://www.moef.go.kr/nw/nes/detailNesDtaView.do?searchBbsId1=MOSFBBS_000000000028"
    "&searchNttId1=MOSF_000000000073412&menuNo=4010100"
)


def test_feed_items_with_lead_as_text_and_board_id(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"]) == ("ok", None, 2, 2)
    plate = documents(db_path, SLUG)[PLATE]
    assert plate["title"] == "중국산 후판에 최대 38.02% 덤핑방지관세 5년간 부과"
    assert plate["published"] == "2025-07-31T10:00:00+09:00"
    assert plate["notice_number"] == "기획재정부 MOSF_000000000073412"
    assert plate["language"] == "ko"
    assert plate["text"].startswith("정부는 무역위원회의 건의에 따라 중국산")
    assert "<p>" not in plate["text"]
