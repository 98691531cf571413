"""Korea Trade Commission press board (Korean) through the real engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "kr_ktc_press"
SITE = "https://www.ktc.go.kr"
FINAL = f"{SITE}/boardView.do?bbs_id=2041&menuId=57"
PRELIMINARY = f"{SITE}/boardView.do?bbs_id=2037&menuId=57"


def test_releases_with_registration_date_and_attachment_links(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    docs = documents(db_path, SLUG)
    # The jsessionid the server spliced into the list link is not part of the canonical URL.
    final = docs[FINAL]
    assert final["title"] == "무역위원회, 중국산 후판 덤핑방지관세 부과 건의"
    assert final["published"] == "2025-04-24T00:00:00+09:00"
    assert final["language"] == "ko"
    assert final["notice_number"] == "KTC-보도-2041"
    assert "27.91%~38.02%의 덤핑방지관세 부과를 건의" in final["text"]
    assert json.loads(final["attachments"]) == [
        f"{SITE}/boardFileDownload.do?bbs_id=2041&seq_no=1",
        f"{SITE}/boardFileDownload.do?bbs_id=2041&seq_no=2",
    ]
    # Body only in the attachment: the document is its title and the attachment names.
    assert docs[PRELIMINARY]["text"] == (
        "무역위원회, 중국산 후판 잠정 덤핑방지관세 부과 건의\n첨부: 250220 (보도자료) 중국산 후판 예비판정.pdf"
    )


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.board-view`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(
        tmp_path, SLUG, "www.ktc.go.kr/boardView.2041.html", FINAL, b'<div id="contents"'
    )
    assert "27.91%~38.02%의 덤핑방지관세 부과를 건의" in doc["text"]
    assert doc["attachments"] == [
        f"{SITE}/boardFileDownload.do?bbs_id=2041&seq_no=1",
        f"{SITE}/boardFileDownload.do?bbs_id=2041&seq_no=2",
    ]
