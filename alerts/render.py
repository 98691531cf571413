"""Block Kit rendering of one alert, a thread reply, or a digest, plus the plain-text fallback.

Scraped text is untrusted. It goes into plain_text objects where Slack parses nothing, and where it must
sit in mrkdwn (the title link) it is escaped: & < > become entities, so <!channel>, <@U123> or
<https://evil.example|click> in a page stay inert, and formatting characters get a zero-width space so
a title can't make itself bold. Every piece is cut to Slack's limits.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote_plus

from db.records import Message
from db.taxonomy import EVENT_LABELS as TYPE_LABELS
from db.taxonomy import EVENT_SPECS

HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
BLOCKS_MAX = 50
FALLBACK_MAX = 3000
EXCERPT_MAX = 400
TITLE_MAX = 500
ZWSP = "\u200b"

_EFFECTIVE = re.compile(
    r"\beffective\s+(?:on\s+|from\s+|as\s+of\s+)?"
    r"((?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_FORMATTING = re.compile(r"([*_~`])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # terminal escape sequences must not reach a tty


def cut(value: str, limit: int) -> str:
    value = value or ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def escape_mrkdwn(value: str) -> str:
    """Make untrusted text inert inside a mrkdwn object."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _FORMATTING.sub(ZWSP + r"\1", value)


def safe_url(url: str | None) -> str | None:
    """Only http(s) links; characters that would end or split a Slack link are percent-encoded."""
    if not url or not re.match(r"^https?://", url, re.IGNORECASE) or len(url) > 2000:
        return None
    return url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def measure_label(event: dict[str, Any]) -> str:
    """The measure(s) of the document: "Entity listing", "Investigation + tariff", ..."""
    types = [t for t in event.get("measures") or [] if t in TYPE_LABELS] or [
        str(event.get("event_type") or "")
    ]
    present = set(types)
    present -= {broad for t in set(present) if t in EVENT_SPECS for broad in EVENT_SPECS[t].subsumes}
    ordered = sorted(present, key=lambda t: (EVENT_SPECS[t].header_rank if t in EVENT_SPECS else 99, t))
    labels = [TYPE_LABELS.get(t, t.replace("_", " ").capitalize() or "Measure") for t in ordered]
    return " + ".join([labels[0], *(label.lower() for label in labels[1:])]) if labels else "Measure"


def local_time(value: str | None, tz: str | None) -> str:
    """A timestamp in the reader's time zone ("3 Dec 2024, 05:00 CET"); a bare date, or midnight in the
    publisher's own offset (how journals date an issue), stays a date ("5 Dec 2024")."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if not value:
        return "unknown time"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    day = f"{parsed.day} {parsed:%b %Y}"
    if len(value) <= 10 or (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0):
        return day
    try:
        zone = ZoneInfo(tz or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    here = parsed.astimezone(zone) if parsed.tzinfo else parsed.replace(tzinfo=zone)
    return f"{here.day} {here:%b %Y, %H:%M} {here.tzname()}"


def publisher_text(event: dict[str, Any]) -> str:
    publisher = event.get("publisher") or event.get("source") or "?"
    country = event.get("jurisdiction")
    return f"{publisher} ({country})" if country and country != "XX" else str(publisher)


def header_text(event: dict[str, Any]) -> str:
    label = measure_label(event)
    if event.get("direction") == "liberalizing":
        label += " (easing)"
    targets = ", ".join(event.get("targets") or []) or "all"
    return cut(f"{label}: {event.get('imposing') or '?'} → {targets}", HEADER_MAX)


def effective_date(text: str) -> str | None:
    match = _EFFECTIVE.search(text or "")
    return match.group(1) if match else None


def excerpt(text: str, limit: int = EXCERPT_MAX) -> str:
    return cut(" ".join((text or "").split()), limit)


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit) or "-", "emoji": False}


def _title_section(event: dict[str, Any]) -> dict[str, Any]:
    title = escape_mrkdwn(cut(" ".join(str(event.get("title") or "(untitled)").split()), TITLE_MAX))
    url = safe_url(event.get("url"))
    text = f"*<{url}|{title}>*" if url else f"*{title}*"
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, SECTION_MAX), "verbatim": True}}


def _facts(event: dict[str, Any]) -> list[dict[str, Any]]:
    stage = (event.get("stage") or "unknown").replace("_", " ")
    if effective := effective_date(event.get("text") or ""):
        stage += f", effective {effective}"
    facts = [
        ("Commodities", ", ".join(event.get("commodities") or []) or "-"),
        ("Technologies", ", ".join(event.get("technologies") or []) or "-"),
        ("Stage", stage),
        ("Confidence", f"{float(event.get('confidence') or 0):.2f}"),
    ]
    if case := event.get("case"):  # a step of a proceeding (signals/cases.py)
        step = str(case.get("stage") or "?")
        if case.get("previous") and case["previous"] != step:
            step += f" (after {case['previous']})"
        if case.get("effective"):
            step += f", from {case['effective']}"
        facts.append(("Case step", step))
    return [_plain(f"{name}: {value}", FIELD_MAX) for name, value in facts]


def _response_section(event: dict[str, Any]) -> dict[str, Any] | None:
    """The "possible response to" line (signals/retaliation.py); the earlier title is untrusted text."""
    links = event.get("responds_to") or []
    if not links:
        return None
    prior = links[0]
    title = escape_mrkdwn(cut(" ".join(str(prior.get("title") or "(untitled)").split()), TITLE_MAX))
    url = safe_url(prior.get("url"))
    link = f"<{url}|{title}>" if url else title
    label = TYPE_LABELS.get(str(prior.get("event_type") or ""), "measure")
    detail = escape_mrkdwn(
        f"{prior.get('imposing') or '?'} {label.lower()}, {_days_earlier(prior)},"
        f" score {float(prior['score']):.2f}{_dated_by(prior)}"
    )
    text = f"*Possible response to:* {link}\n{detail}"
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, SECTION_MAX), "verbatim": True}}


def _days_earlier(prior: dict[str, Any]) -> str:
    days = float(prior.get("days") or 0)
    if days < 1:
        return "less than a day earlier"
    return f"{days:.0f} day{'s' if round(days) != 1 else ''} earlier"


def _dated_by(prior: dict[str, Any]) -> str:
    """Which dates the link compared (signals/public_date.py), so a reader can check the direction."""
    terms = prior.get("components") or {}
    if not terms.get("prior_public"):
        return ""  # a link stored before the dates were recorded
    return (
        f" · dated by when each was first public: {terms['prior_public']} ({terms.get('prior_public_basis')})"
        f" vs this one {terms.get('public')} ({terms.get('public_basis')})"
    )


def _context(event: dict[str, Any], watchlist: str) -> dict[str, Any]:
    published = local_time(event.get("published") or event.get("fetched"), event.get("display_tz"))
    line = f"{publisher_text(event)} · published {published} · watchlist {watchlist}"
    return {"type": "context", "elements": [_plain(line, SECTION_MAX)]}


def _mentions_block(mentions: list[str]) -> dict[str, Any] | None:
    """Who the watchlist asks to look, as its own line above the alert (not only in the notification)."""
    prefix = mention_prefix(mentions)
    if not prefix:
        return None
    return {"type": "section", "text": {"type": "mrkdwn", "text": f"For {prefix}"}}


def mention_prefix(mentions: list[str]) -> str:
    """Mentions come from the operator's validated watchlist, never from scraped text."""
    parts = []
    for mention in mentions:
        if mention in ("here", "channel"):
            parts.append(f"<!{mention}>")
        elif mention.startswith("S"):
            parts.append(f"<!subteam^{mention}>")
        else:
            parts.append(f"<@{mention}>")
    return " ".join(parts)


def render_alert(
    event: dict[str, Any], *, watchlist: str, mentions: list[str] | None = None, reply: bool = False
) -> Message:
    """The first message of a story (or, with reply=True, a thread reply for a later document)."""
    head = ("Update: " if reply else "") + header_text(event)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(head, HEADER_MAX)},
        _title_section(event),
        {"type": "section", "fields": _facts(event)},
    ]
    if response := _response_section(event):
        blocks.append(response)
    if quote := excerpt(event.get("text") or ""):
        blocks.append({"type": "section", "text": _plain(quote, SECTION_MAX)})
    blocks.append(_context(event, watchlist))
    if not reply and (mentioned := _mentions_block(mentions or [])):
        blocks.insert(1, mentioned)
    prefix = mention_prefix(mentions or []) if not reply else ""
    title = escape_mrkdwn(cut(" ".join(str(event.get("title") or "").split()), TITLE_MAX))
    url = safe_url(event.get("url")) or ""
    fallback = " ".join(part for part in (prefix, f"{escape_mrkdwn(head)}:", title, url) if part)
    return Message(text=cut(fallback, FALLBACK_MAX), blocks=blocks[:BLOCKS_MAX])


def render_digest(watchlist: str, delivery: str, stories: list[dict[str, Any]]) -> Message:
    """One message listing a watchlist's stories since the last digest: one section per story."""
    head = cut(f"{delivery.capitalize()} digest: {watchlist} ({len(stories)} stories)", HEADER_MAX)
    blocks: list[dict[str, Any]] = [{"type": "header", "text": _plain(head, HEADER_MAX)}]
    room = BLOCKS_MAX - 2  # the header, and a closing context line when stories are left out
    stories = sorted(stories, key=story_time, reverse=True)  # newest first
    for story in stories[:room]:
        title = escape_mrkdwn(cut(" ".join(str(story.get("title") or "").split()), TITLE_MAX))
        url = safe_url(story.get("url"))
        link = f"<{url}|{title}>" if url else title
        more = f" (+{story['documents'] - 1} more documents)" if story.get("documents", 1) > 1 else ""
        when = local_time(story.get("published") or story.get("fetched"), story.get("display_tz"))
        source = escape_mrkdwn(f"{publisher_text(story)} · {when}")
        line = f"*{escape_mrkdwn(header_text(story))}*\n{link}{more}\n{source}"
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": cut(line, SECTION_MAX), "verbatim": True}}
        )
    console = next((s.get("console_url") for s in stories if s.get("console_url")), None)
    view = (
        safe_url(f"{console.rstrip('/')}/alerts?watchlist={quote_plus(watchlist)}&_sort_desc=created_at")
        if console
        else None
    )
    if len(stories) > room:
        more = f"…and {len(stories) - room} more stories"
        text = f"<{view}|{more} in the console>" if view else f"{more} in the console (alerts table)"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text, "verbatim": True}]})
    elif view:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"<{view}|All alerts of {escape_mrkdwn(watchlist)} in the console>",
                        "verbatim": True,
                    }
                ],
            }
        )
    return Message(text=head, blocks=blocks)


def story_time(story: dict[str, Any]) -> float:
    from datetime import UTC, datetime

    value = story.get("published") or story.get("fetched")
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return 0.0
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def render_terminal(event: dict[str, Any], *, watchlist: str, channel: str, reply: bool = False) -> str:
    """Readable lines for the terminal when no Slack token is set."""
    head = ("  ↳ update: " if reply else "● ") + header_text(event)
    lines = [f"{head}   [{watchlist} → {channel}]"]
    if reply and event.get("story_title"):
        lines.append(f"    in story: {cut(' '.join(str(event['story_title']).split()), 160)}")
    lines += [
        f"    {cut(' '.join(str(event.get('title') or '').split()), 200)}",
        f"    {event.get('url') or ''}",
        f"    commodities: {', '.join(event.get('commodities') or []) or '-'} · technologies: "
        f"{', '.join(event.get('technologies') or []) or '-'} · stage: {event.get('stage') or '-'}"
        f" · confidence {float(event.get('confidence') or 0):.2f}",
        f"    {publisher_text(event)} · published "
        f"{local_time(event.get('published') or event.get('fetched'), event.get('display_tz'))}",
    ]
    for prior in (event.get("responds_to") or [])[:1]:
        lines.append(
            f"    possible response to: {cut(' '.join(str(prior.get('title') or '').split()), 160)}"
            f" ({prior.get('url') or '-'})"
        )
        lines.append(f"      {_days_earlier(prior)}{_dated_by(prior)}")
    return "\n".join(_CONTROL.sub(" ", line) for line in lines)
