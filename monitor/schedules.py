"""Turn schedule strings ("30s", "15m", "2h", or a 5-field crontab) into APScheduler triggers."""

from __future__ import annotations

import re

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_schedule(spec: str) -> BaseTrigger:
    match = _INTERVAL.match(spec)
    if match:
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
        if seconds <= 0:
            raise ValueError(f"schedule {spec!r}: interval must be positive")
        return IntervalTrigger(seconds=seconds)
    if len(spec.split()) == 5:
        return CronTrigger.from_crontab(spec, timezone="UTC")
    raise ValueError(f"schedule {spec!r}: use an interval such as '15m' or a 5-field crontab")
