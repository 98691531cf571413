"""US Federal Register API: rules and notices of BIS, ITA, USTR, Treasury/OFAC and USITC (SOURCES.md §1).

One documents.json query filtered by agency slugs, newest first; the document's full text comes from its
body_html_url. `--since` adds conditions[publication_date][gte] and follows the API's own next_page_url
(``/api/v1/documents?…&format=json&page=2&search_after_cursor=…``: an opaque cursor, never rebuilt by us)
up to the cap. A listing record already holds title, abstract, number and date: when the full text cannot
be fetched the document is stored with its abstract and its full text fetched again on the next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.extract import decode, main_text
from crawlers.items import DocItem
from crawlers.mixins import JsonApiMixin
from crawlers.state import fingerprint

API = "https://www.federalregister.gov/api/v1/documents.json"  # CWATCH_US_FEDERAL_REGISTER_API overrides
AGENCIES = (
    "industry-and-security-bureau",
    "international-trade-administration",
    "trade-representative-office-of-united-states",
    "foreign-assets-control-office",
    "treasury-department",
    "international-trade-commission",
)
FIELDS = (
    "title",
    "type",
    "abstract",
    "document_number",
    "html_url",
    "pdf_url",
    "publication_date",
    "agencies",
    "body_html_url",
    "citation",
    "action",
)
REQUIRED = ("document_number", "title", "html_url", "publication_date")


class FederalRegisterSpider(JsonApiMixin, SourceSpider):
    name = "us_federal_register"
    publisher = "Federal Register (BIS, ITA, USTR, Treasury/OFAC, USITC)"
    jurisdiction = "US"
    language = "en"
    kind = "official"
    schedule = "30m"
    min_items = 1
    timezone = "America/New_York"
    per_page = 100

    @classmethod
    def query_url(cls, since: str | None = None) -> str:
        params: list[tuple[str, str]] = [("conditions[agencies][]", a) for a in AGENCIES]
        if since:
            params.append(("conditions[publication_date][gte]", since))
        params += [("fields[]", f) for f in FIELDS]
        params += [("order", "newest"), ("per_page", str(cls.per_page))]
        return f"{API}?{urlencode(params)}"

    entry_url = f"{API}?conditions[agencies][]=industry-and-security-bureau&order=newest"

    async def start(self) -> Any:
        yield self.listing_request(self.query_url(self.since), self.parse_page, cb_kwargs={"page": 1})

    def parse_page(self, response: Response, page: int) -> Iterator[Any]:
        data = self.load_json(response)
        if data is None:
            return
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            # The API answers {"count": 0} without "results" when nothing matches a date filter.
            if isinstance(data, dict) and data.get("count") == 0:
                self.entries_or_fail([], response, "count 0")
            else:
                self.fail(f"missing field(s) results in {response.url}")
            return
        for doc in self.entries_or_fail(results, response, "results"):
            if not self.require(doc, REQUIRED, f"result of {response.url}"):
                continue
            yield from self.follow(doc)
        next_url = data.get("next_page_url")
        if next_url and self.since and page < self.page_cap:
            yield self.listing_request(next_url, self.parse_page, cb_kwargs={"page": page + 1})

    def follow(self, doc: dict[str, Any]) -> Iterator[Any]:
        listing_hash = fingerprint(
            doc["document_number"],
            doc["title"],
            doc.get("abstract"),
            doc["publication_date"],
            doc.get("body_html_url"),
        )
        if not self.should_fetch(doc["html_url"], listing_hash):
            return
        if doc.get("body_html_url"):
            yield self.detail_request(
                doc["body_html_url"],
                self.parse_body,
                key=doc["html_url"],
                listing_hash=listing_hash,
                cb_kwargs={"doc": doc},
                conditional=False,  # the abstract comes from the listing
                partial=self.document(doc, ""),
            )
        else:  # some older documents have no HTML full text: the abstract is what there is
            yield self.document(doc, "")

    def parse_body(self, response: Response, doc: dict[str, Any]) -> Iterator[DocItem]:
        yield self.document(doc, main_text(decode(response), response.url))

    def document(self, doc: dict[str, Any], body: str) -> DocItem:
        abstract = (doc.get("abstract") or "").strip()
        return DocItem(
            source=self.name,
            url=doc["html_url"],
            title=doc["title"],
            text="\n\n".join(part for part in (abstract, body) if part),
            published=doc["publication_date"],  # a date: read as midnight in Washington
            notice_number=f"FR Doc {doc['document_number']}",
            attachments=[doc["pdf_url"]] if doc.get("pdf_url") else [],
        )
