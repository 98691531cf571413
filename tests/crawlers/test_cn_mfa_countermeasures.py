"""MFA countermeasure decisions (Chinese; one page GB18030 without a charset header) on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_mfa_countermeasures"
INDEX = "https://www.mfa.gov.cn/web/wjb_673085/zfxxgk_674865/gknrlb/fzcqdcs/"
GB_PAGE = f"{INDEX}202603/t20260317_11862301.shtml"
UTF8_PAGE = f"{INDEX}202512/t20251226_11787654.shtml"


def test_decisions_with_exact_fields_including_a_gb18030_page(db_path: Path, server: FixtureServer) -> None:
    # As such pages are served: no charset in the header, only <meta … charset=gb2312> in the page.
    server.fault(f"/{SLUG}/{GB_PAGE.removeprefix('https://')}", headers={"Content-Type": "text/html"})
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    docs = documents(db_path, SLUG)
    gb = docs[GB_PAGE]
    assert gb["title"] == "外交部关于对日本众议员古屋圭司采取反制措施的决定"
    assert gb["published"] == "2026-03-17T17:30:00+08:00"
    assert gb["language"] == "zh"
    assert gb["notice_number"] == "外交部令第9号"
    assert gb["text"].startswith("外交部令（第9号）\n近期，日本众议员古屋圭司不顾中方坚决反对")
    assert "王玥" in gb["text"]  # a character outside GB2312: decoded as GB18030, not as GB2312 or UTF-8
    assert "\ufffd" not in gb["text"]
    utf8 = docs[UTF8_PAGE]
    assert utf8["notice_number"] == "外交部令第8号"
    assert utf8["published"] == "2025-12-26T18:00:00+08:00"
    assert utf8["title"] == "外交部关于对美国20家军工企业和10名高级管理人员采取反制措施的决定"


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.news-main`: menu/footer text and PDF links around it are left out."""
    url = GB_PAGE
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url)
    assert doc["text"].startswith("外交部令（第9号）\n近期，日本众议员古屋圭司不顾中方坚决反对")


def test_text_from_the_body_block_inside_news_main(db_path: Path, server: FixtureServer) -> None:
    """`.news-main` may hold more than the decision (sharing links, related items): the text is the
    `#News_Body_Txt_A` block's."""
    page = f"/{SLUG}/{UTF8_PAGE.removeprefix('https://')}"
    html = (server.root / page.lstrip("/")).read_text("utf-8")
    extra = '<div class="news-main"><div class="related"><p>相关新闻：外交部发言人答记者问</p></div>'
    server.fault(page, body=html.replace('<div class="news-main">', extra).encode())
    crawl(db_path, server, [SLUG])
    text = documents(db_path, SLUG)[UTF8_PAGE]["text"]
    assert text.startswith("外交部令（第8号）")
    assert "相关新闻" not in text
