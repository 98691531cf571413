"""The watchlist schema (pydantic, extra="forbid"): what operators may write in a watchlist YAML file."""

from __future__ import annotations

import re
from datetime import time
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from db.taxonomy import EVENT_TYPES
from watchlists.vocab import HS_CODE, vocabulary

if TYPE_CHECKING:
    EventType = str
else:  # the taxonomy's list, so a new event type is accepted here without an edit
    EventType = Literal[EVENT_TYPES]
SLACK_CHANNEL = re.compile(r"^(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{6,})$")
SLACK_MENTION = re.compile(r"^([UW][A-Z0-9]{6,}|S[A-Z0-9]{6,}|here|channel)$")
WATCHLIST_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def _commodity(value: str) -> str:
    value = value.strip()
    return value if HS_CODE.match(value) else vocabulary().resolve("commodities", value)


# Per-item validation, so an error points at the offending list item's line and column.
Country = Annotated[str, AfterValidator(lambda v: vocabulary().resolve("countries", v))]
Commodity = Annotated[str, AfterValidator(_commodity)]
Technology = Annotated[str, AfterValidator(lambda v: vocabulary().resolve("technologies", v))]


def known_time_zone(value: str) -> str:
    """`value` if it is an IANA time zone name; the error names it and shows the form (watchlists, config)."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as 'Europe/Berlin'") from exc
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entity(Strict):
    """A company or other named party, matched in the document's title and text by any of its names."""

    name: str = Field(min_length=2, max_length=200)
    aliases: list[str] = Field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Keywords(Strict):
    """Boolean keyword filter on title + text (case-insensitive, whole words): all AND, any OR, none NOT."""

    all: list[str] = Field(default_factory=list)
    any: list[str] = Field(default_factory=list)
    none: list[str] = Field(default_factory=list)


class QuietHours(Strict):
    """Immediate alerts found in this window wait until it ends (digests are unaffected)."""

    start: time
    end: time
    timezone: str = "UTC"

    @field_validator("start", "end", mode="before")
    @classmethod
    def _quoted_time(cls, value: object) -> object:
        # YAML 1.1 reads an unquoted 22:00 as the base-60 number 1320.
        if not isinstance(value, str):
            raise ValueError("write times quoted as 'HH:MM', e.g. start: \"22:00\"")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return known_time_zone(value)


class EscalationRule(Strict):
    """Notify when the escalation index of `pair` (imposing-target, e.g. "CN-US") crosses a level, or rises
    by at least `rises_pct` percent within 7 days (docs/signals.md). Each rule fires once per crossing."""

    pair: str
    crosses: float | None = Field(default=None, gt=0)
    rises_pct: float | None = Field(default=None, gt=0)

    @field_validator("pair")
    @classmethod
    def _pair(cls, value: str) -> str:
        parts = re.split(r"\s*(?:→|->|>|-)\s*", value.strip(), maxsplit=1)
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"pair must be 'IMPOSING-TARGET' such as 'CN-US', got {value!r}")
        left, right = (vocabulary().resolve("countries", p) for p in parts)
        return f"{left}-{right}"

    @model_validator(mode="after")
    def _has_threshold(self) -> EscalationRule:
        if self.crosses is None and self.rises_pct is None:
            raise ValueError(
                "an escalation rule needs `crosses: <level>` or `rises_pct: <percent>` (or both)"
            )
        return self


class Watchlist(Strict):
    name: str = Field(description="Unique slug, e.g. cn-critical-minerals")
    description: str = ""
    owner: str | None = None
    channel: str
    mentions: list[str] = Field(default_factory=list)
    event_types: list[EventType] = Field(default_factory=list)
    direction: Literal["restrictive", "liberalizing"] | None = None
    imposing: list[Country] = Field(default_factory=list)
    targets: list[Country] = Field(default_factory=list)
    commodities: list[Commodity] = Field(
        default_factory=list
    )  # canonical names or aliases, or quoted HS codes
    technologies: list[Technology] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    keywords: Keywords = Field(default_factory=Keywords)
    min_confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    delivery: Literal["immediate", "hourly", "daily"] = "immediate"
    quiet_hours: QuietHours | None = None
    escalation: list[EscalationRule] = Field(default_factory=list)  # index subscriptions (signals)
    sharing: Literal["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER"] | None = None  # partner feed label (signals)
    source_file: str | None = Field(default=None, exclude=True)

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not WATCHLIST_NAME.match(value):
            raise ValueError(
                "name must be a lowercase slug (letters, digits, '-'), e.g. 'cn-critical-minerals'"
            )
        return value

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if not SLACK_CHANNEL.match(value):
            raise ValueError("channel must be '#lowercase-name' or a channel id such as 'C0123ABCD'")
        return value

    @field_validator("mentions")
    @classmethod
    def _mentions(cls, values: list[str]) -> list[str]:
        for value in values:
            if not SLACK_MENTION.match(value):
                raise ValueError(
                    f"mention {value!r} must be a Slack user id (U…), user-group id (S…) or 'here'"
                )
        return values

    @field_validator("imposing", "targets", "commodities", "technologies")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))  # aliases may resolve to the same canonical value

    @property
    def filters_events(self) -> bool:
        """False for a watchlist that only subscribes to escalation rules: it matches no single event."""
        return bool(
            self.event_types
            or self.imposing
            or self.targets
            or self.commodities
            or self.technologies
            or self.entities
            or self.keywords.all
            or self.keywords.any
        )

    @model_validator(mode="after")
    def _something_to_match(self) -> Watchlist:
        if not (self.filters_events or self.escalation):
            raise ValueError(
                "a watchlist needs at least one filter (event_types, imposing, targets, commodities,"
                " technologies, entities or keywords) or an escalation rule, else it would match every event"
            )
        return self

    @property
    def hs_codes(self) -> list[str]:
        return [c for c in self.commodities if HS_CODE.match(c)]

    @property
    def commodity_names(self) -> list[str]:
        return [c for c in self.commodities if not HS_CODE.match(c)]
