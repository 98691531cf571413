"""A watchlist on a broad commodity matches the specific products the tagger names under it."""

from __future__ import annotations

from typing import Any

import pytest

from alerts.matching import event_matches
from watchlists.loader import parse_watchlist
from watchlists.schema import Watchlist


def _watchlist(*commodities: str) -> Watchlist:
    items = ", ".join(f'"{c}"' for c in commodities)
    loaded = parse_watchlist(f'name: w\nchannel: "#trade"\ncommodities: [{items}]\n', "w.yaml")
    assert loaded.ok, loaded.errors
    return loaded.watchlists[0]


def _event(*commodities: str, hs_codes: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "event_type": "investigation",
        "confidence": 0.9,
        "imposing": "CN",
        "targets": ["JP"],
        "commodities": list(commodities),
        "hs_codes": list(hs_codes),
        "title": "",
        "text": "",
    }


@pytest.mark.parametrize(
    ("watched", "products", "hs_codes"),
    [
        ("steel", ("hot-rolled steel plate",), ()),  # the watched name inside the product's
        ("steel", ("stainless steel plate",), ()),  # and by HS: 7219 is in chapter 72
        ("graphite", ("graphite electrodes",), ()),
        ("steel", ("cold-rolled flat products",), ("7209.16",)),  # only the code links it
        ("gallium", ("gallium",), ()),
    ],
)
def test_a_broad_watch_matches_its_specific_products(
    watched: str, products: tuple[str, ...], hs_codes: tuple[str, ...]
) -> None:
    assert event_matches(_watchlist(watched), _event(*products, hs_codes=hs_codes))


@pytest.mark.parametrize(
    ("watched", "products"),
    [
        ("steel", ("stainless steelworks equipment",)),  # a word run, not a substring
        ("graphite", ("gallium",)),
        ("pork", ("frozen beef",)),
        ("steel", ()),
    ],
)
def test_other_products_do_not_match(watched: str, products: tuple[str, ...]) -> None:
    assert not event_matches(_watchlist(watched), _event(*products))
