"""A minimal Chinese-language listing spider: exercises decoding of GB18030 pages served without a charset."""

from __future__ import annotations

from crawlers.base import SourceSpider
from crawlers.mixins import HtmlListingMixin


class ZhFaultListingSpider(HtmlListingMixin, SourceSpider):
    name = "zh_fault_listing"
    publisher = "测试发布机构"
    jurisdiction = "CN"
    language = "zh"
    timezone = "Asia/Shanghai"
    fallback_encodings = ("gb18030",)
    listing_urls = ("https://www.example.gov.cn/gg/index.html",)
    row_selector = "ul.list li"
    date_selector = "span::text"
    content_selector = "div.content"
