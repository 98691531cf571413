"""MOFCOM English site through the real Scrapy engine against fixture pages on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_mofcom_english"
SITE = "https://english.mofcom.gov.cn"
GALLIUM = f"{SITE}/News/PressConference/art/2023/art_7f3a2b1c0d9e4f8a7b6c5d4e3f2a1b0c.html"


def test_press_remarks_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 4, 4, 0)
    doc = documents(db_path, SLUG)[GALLIUM]
    assert doc["title"] == (
        "MOFCOM Spokesperson Answers a Reporter's Question on Export Controls of Gallium and Germanium"
        " Related Items"
    )
    assert doc["published"] == "2023-07-03T17:45:00+08:00"
    assert doc["language"] == "en"
    assert doc["notice_number"] is None
    assert doc["text"].startswith(
        "Q: MOFCOM and the General Administration of Customs announced export controls"
    )
    assert doc["text"].endswith("through the provincial commerce departments.")


def test_list_dates_written_by_parse_to_data_are_read(db_path: Path, server: FixtureServer) -> None:
    """The list writes dates with `parseToData(<epoch ms>,1)`; --since filters on them before any page is fetched."""
    run = crawl(db_path, server, [SLUG], since="2024-06-01")[SLUG]
    assert (run["status"], run["reason"], run["new"]) == ("ok", None, 2)
    fetched = server.paths(f"/{SLUG}/english.mofcom.gov.cn/News/PressConference/art/")
    assert not any("art_7f3a2b1c" in p or "art_0a1b2c3d" in p for p in fetched)  # 2023-07-03, 2024-03-20


def test_javascript_redirect_page_is_followed(db_path: Path, server: FixtureServer) -> None:
    crawl(db_path, server, [SLUG])
    listed = f"{SITE}/News/PressConference/art/2024/art_5e6f7a8b9c0d41e2f3a4b5c6d7e8f9a0.html"
    doc = documents(db_path, SLUG)[listed]  # kept under the URL the listing gave
    assert doc["title"] == "Regular Press Conference of the Ministry of Commerce (August 15, 2024)"
    assert doc["published"] == "2024-08-15T16:40:00+08:00"
    assert doc["text"].startswith(
        "Spokesperson He Yadong answered questions on the export controls on antimony"
    )
    assert server.paths(f"/{SLUG}/english.mofcom.gov.cn/News/PressConference/art/2024/art_b1c2d3e4") != []


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.art-con`: menu/footer text and PDF links around it are left out."""
    url = GALLIUM
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url)
    assert doc["text"].endswith("through the provincial commerce departments.")
