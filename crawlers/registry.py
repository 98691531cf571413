"""Every source, from the spider classes' attributes (one spider module per source)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from pathlib import Path

from crawlers.base import SourceSpider
from db.records import SourceMeta

# One set of recorded pages serves the tests and the demo (`cwatch demo`, `crawl --sample`): the fixtures,
# each mirroring a referenced real structure (docs/sources.md). Test-only slugs have no spider here.
SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def spider_classes(modules: Sequence[str] = ("crawlers.spiders",)) -> dict[str, type[SourceSpider]]:
    found: dict[str, type[SourceSpider]] = {}
    for package_name in modules:
        package = importlib.import_module(package_name)
        names = [package_name]
        if hasattr(package, "__path__"):
            names += [f"{package_name}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
        for name in names:
            module = importlib.import_module(name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, SourceSpider)
                    and value.name
                    and value.__module__ == module.__name__
                ):
                    found[value.name] = value
    return dict(sorted(found.items()))


def all_sources() -> list[SourceMeta]:
    return [cls.source_meta() for cls in spider_classes().values()]


def sample_slugs() -> list[str]:
    """Sources with recorded pages (tests/fixtures/<slug>/), i.e. every source once it has its test."""
    from crawlers.browser import browser_available

    # A browser-path source needs Debian's chromium: without it the offline demo leaves that source out.
    known = {slug: cls for slug, cls in spider_classes().items() if not cls.browser or browser_available()}
    return (
        sorted(p.name for p in SAMPLES.iterdir() if p.is_dir() and p.name in known)
        if SAMPLES.is_dir()
        else []
    )
