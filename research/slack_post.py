"""Post the main report chart to a Slack channel (the weekly job and `cwatch report --slack-channel`)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from sqlite_utils import Database

from db.queries import EventFilter, monthly_counts_by_type
from research import charts
from research.readonly import open_guarded
from research.report import MAIN_CHART

DEFAULT_WEEKS = 26  # the weekly chart shows half a year, so the new week is seen against a trend
DEFAULT_API_URL = "https://slack.com/api/"


def make_client(token: str, api_url: str | None = None, timeout_s: float = 30.0) -> WebClient:
    base_url = api_url or DEFAULT_API_URL
    if not base_url.endswith("/"):
        base_url += "/"  # slack-sdk joins method names onto base_url
    return WebClient(token=token, base_url=base_url, timeout=int(timeout_s))


def upload_chart(client: WebClient, channel: str, path: Path, *, title: str, comment: str) -> str:
    """Upload one PNG with files_upload_v2; returns the Slack file id."""
    response = client.files_upload_v2(
        channel=channel, file=str(path), filename=path.name, title=title, initial_comment=comment
    )
    files: list[dict[str, Any]] = response.get("files") or [response.get("file") or {}]
    return str(files[0].get("id", ""))


def post_weekly_chart(
    db: Database | str | Path,
    *,
    channel: str,
    token: str,
    api_url: str | None = None,
    weeks: int = DEFAULT_WEEKS,
    now: datetime | None = None,
    timeout_s: float = 30.0,
) -> str:
    """Draw measures per month for the last `weeks` weeks and post it to `channel`; returns the file id.

    The scheduler calls this weekly (config `jobs.weekly_report`, channel `report_channel`). Pass the
    store's path from a scheduler thread: the job then opens its own read-only connection (SQLite
    connections must not cross threads). Slack errors propagate as slack_sdk.errors.SlackApiError.
    """
    since = ((now or datetime.now(UTC)) - timedelta(weeks=weeks)).date().isoformat()
    if isinstance(db, str | Path):
        store, _guard = open_guarded(db)
        try:
            rows = monthly_counts_by_type(store, EventFilter(since=since))
        finally:
            store.conn.close()
    else:
        rows = monthly_counts_by_type(db, EventFilter(since=since))
    with tempfile.TemporaryDirectory(prefix="cwatch-chart-") as tmp:
        chart = charts.measures_per_month(rows, Path(tmp) / MAIN_CHART)
        return upload_chart(
            make_client(token, api_url, timeout_s),
            channel,
            chart.path,
            title=f"Measures per month since {since}",
            comment=f"Weekly coercion-watch chart: measures per month by type since {since}.",
        )
