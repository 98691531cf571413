"""UK Export Control Joint Unit (ECJU): Notices to exporters — export-control list changes, new general
licences, sanctions-related export bans — from its GOV.UK organisation Atom feed, each page dated by
``govuk:first-published-at`` (crawlers/mixins_govuk.py). "Notice to exporters 2025/07" is the notice number.
"""

from __future__ import annotations

import re

from crawlers.base import SourceSpider
from crawlers.mixins_govuk import GovUkAtomMixin


class UkEcjuSpider(GovUkAtomMixin, SourceSpider):
    name = "uk_ecju"
    publisher = "Export Control Joint Unit (UK)"
    jurisdiction = "GB"
    language = "en"
    kind = "official"
    schedule = "1h"
    min_items = 1
    timezone = "Europe/London"
    entry_url = "https://www.gov.uk/government/organisations/export-control-joint-unit.atom"
    feed_urls = (entry_url,)
    number_pattern = re.compile(r"Notice to exporters\s+(\d{4}/\d{2})", re.I)
    number_prefix = "NTE "
