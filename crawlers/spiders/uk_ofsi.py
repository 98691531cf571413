"""UK Office of Financial Sanctions Implementation (OFSI, HM Treasury): financial sanctions notices
(designations, amendments, delistings), general licences and penalties, from its GOV.UK organisation Atom
feed, each page dated by ``govuk:first-published-at`` (crawlers/mixins_govuk.py).
"""

from __future__ import annotations

from crawlers.base import SourceSpider
from crawlers.mixins_govuk import GovUkAtomMixin


class UkOfsiSpider(GovUkAtomMixin, SourceSpider):
    name = "uk_ofsi"
    publisher = "Office of Financial Sanctions Implementation, HM Treasury (UK)"
    jurisdiction = "GB"
    language = "en"
    kind = "official"
    schedule = "30m"
    min_items = 1
    timezone = "Europe/London"
    entry_url = (
        "https://www.gov.uk/government/organisations/office-of-financial-sanctions-implementation.atom"
    )
    feed_urls = (entry_url,)
