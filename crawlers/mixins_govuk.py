"""GOV.UK organisation Atom feeds → each linked page (SOURCES.md, "GOV.UK organisation Atom feeds").

Entries carry ``<updated>`` (which moves on every edit) and no ``<published>``; the page's
``govuk:first-published-at`` meta is the first publication, so every entry's page is fetched and dated from
it. The body is the ``.gem-c-govspeak`` / ``.govuk-govspeak`` block. A spider sets ``feed_urls`` and may set
``number_pattern`` (a regex with one group, searched in the title) for the publisher's own notice number.
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawlers.dates import normalise_iso
from crawlers.extract import attachments
from crawlers.items import DocItem
from crawlers.mixins import Entry, FeedMixin


class GovUkAtomMixin(FeedMixin):
    number_pattern: re.Pattern[str] | None = None
    number_prefix = ""

    def entry_item(self, entry: Entry, response: Response | None) -> DocItem:
        if response is None:
            return super().entry_item(entry, response)
        page = self.page(response)
        title = (page.css("h1::text").get() or entry.title).strip()
        found = self.number_pattern.search(title) if self.number_pattern else None
        first = page.css('meta[name="govuk:first-published-at"]::attr(content)').get()
        return DocItem(
            source=self.name,
            url=entry.url,
            title=title,
            html=page.css(".gem-c-govspeak, .govuk-govspeak").get() or page.text,
            published=normalise_iso(first, self.timezone) or entry.date,
            notice_number=f"{self.number_prefix}{found.group(1)}" if found else None,
            attachments=attachments(page, "main"),
        )
