"""USITC news releases through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "us_usitc_news"
SOLAR = "https://www.usitc.gov/press_room/news_release/2025/er1125_69012.htm"


def test_releases_dated_from_their_file_name(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    solar = documents(db_path, SLUG)[SOLAR]
    assert solar["title"] == (
        "Crystalline Silicon Photovoltaic Cells from India, Indonesia, and Laos Injure U.S. Industry, Says USITC"
    )
    assert solar["published"] == "2025-11-25T00:00:00-05:00"  # er1125 in the 2025 folder, Eastern time
    assert solar["notice_number"] == "USITC release 69012"
    assert solar["text"].startswith(
        "The United States International Trade Commission (USITC) today determined"
    )


def test_view_markup_change_still_collects_by_release_address(db_path: Path, server: FixtureServer) -> None:
    index = f"/{SLUG}/www.usitc.gov/press_room/news_release/news_release_index.htm"
    html = (server.root / index.lstrip("/")).read_text("utf-8")
    server.fault(index, body=html.replace("views-row", "news-item").encode())
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["new"]) == ("ok", 2)  # the index's own "Older releases" link is no release
    assert run["reason"].startswith(
        "site changed: listing selector '.view-content .views-row' matched nothing"
    )
    assert documents(db_path, SLUG)[SOLAR]["published"] == "2025-11-25T00:00:00-05:00"


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.field--name-body`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(
        tmp_path, SLUG, "www.usitc.gov/press_room/news_release/2025/er1125_69012.htm", SOLAR
    )
    assert doc["text"].startswith("The United States International Trade Commission (USITC) today determined")
