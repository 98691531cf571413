"""Korea Trade Commission investigations list (Korean) through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "kr_ktc_cases"
PLATE = "https://www.ktc.go.kr/viewInvest.do?masterId=2024000212&menuId=11&invstg_type_code=10100001"


def test_each_case_row_is_an_initiation_keyed_by_case_number(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"]) == ("ok", None, 2, 2)
    plate = documents(db_path, SLUG)[PLATE]
    assert plate["title"] == "중국산 탄소강 및 합금강 열간압연 후판 반덤핑조사 개시 (23-2024-4)"
    assert plate["notice_number"] == "무역위원회 조사번호 23-2024-4"
    assert plate["published"] == "2024-10-04T00:00:00+09:00"
    assert plate["language"] == "ko"
    assert plate["text"].splitlines()[2] == "품목: 후판"
    again = crawl(db_path, server, [SLUG])[SLUG]
    assert (again["status"], again["items"], again["new"]) == ("ok", 2, 0)


def test_list_without_case_links_fails_the_run(db_path: Path, server: FixtureServer) -> None:
    server.fault(
        "/kr_ktc_cases/www.ktc.go.kr/investArticle.do",
        body="<table><tbody><tr><td>조회된 자료가 없습니다</td></tr></tbody></table>".encode(),
    )
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "failed" and "case rows with viewInvest links" in run["reason"]
