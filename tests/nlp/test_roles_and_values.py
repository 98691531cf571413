"""Imposer decoding, candidate countries and the value head's training labels (issue 12). All texts are
written for these tests and are about no event of the dev sets."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.features import analyse
from nlp.roles import candidates, country_mentions, decode_roles, role_rows
from nlp.tagger import Tagger, TagInput
from nlp.values import names_gold_commodity


def _analysis(text: str, lang: str = "en") -> object:
    return analyse([("", text, lang, "news", None, None)])[0]


# --- decode_roles ------------------------------------------------------------------------------------


def test_a_sure_target_loses_a_near_tie_for_imposer() -> None:
    # CN looks a little more like the imposer, but the target head is sure it is the target.
    probs = np.array([[0.20, 0.95], [0.18, 0.30]])
    imposing, targets = decode_roles(["CN", "US"], probs, np.zeros(2))
    assert (imposing, targets) == ("US", ["CN"])


def test_a_clear_imposer_wins_even_when_it_also_looks_like_a_target() -> None:
    probs = np.array([[0.97, 0.60], [0.05, 0.90]])
    imposing, targets = decode_roles(["CN", "US"], probs, np.zeros(2))
    assert (imposing, targets) == ("CN", ["US"])


def test_the_publisher_bonus_breaks_a_tie_and_the_imposer_is_never_a_target() -> None:
    probs = np.array([[0.40, 0.55], [0.40, 0.55]])
    imposing, targets = decode_roles(["JP", "KR"], probs, np.array([0.0, 1.0]))
    assert (imposing, targets) == ("KR", ["JP"])


# --- which mentions are candidates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Vietnam's State Securities Commission said on Monday it would review the listing.", ["VN"]),
        ("The International Trade Commission voted to continue the case.", []),
        ("The Commission said the duties would apply from Friday.", ["EU"]),
        ("the European Commission said it would respond.", ["EU"]),
    ],
)
def test_a_bare_commission_after_a_capitalised_word_is_another_body(text: str, codes: list[str]) -> None:
    a = _analysis(text)
    assert [m.key for m in country_mentions(a)] == codes  # type: ignore[arg-type]
    # The reference path and the fast path see the same candidates.
    assert [c.code for c in candidates(a)] == role_rows(a)[0]  # type: ignore[arg-type]


def test_the_imposer_of_an_initiation_that_names_only_the_petitioners_country(tagger: Tagger) -> None:
    result = tagger.tag(
        [
            TagInput(
                "Antidumping Duty Investigation Initiated on Vietnamese Steel Wire Hangers",
                "Commerce is initiating an antidumping duty investigation of steel wire hangers imported from "
                "Vietnam. The petition was filed by a coalition whose members are U.S. makers of hangers.",
                "en",
                "official",
            )
        ]
    )[0]
    assert result.events
    assert result.events[0].imposing == "US"
    assert result.events[0].targets == ["VN"]


# --- value head labels -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "gold", "lang", "expected"),
    [
        ("citrus fruits", {"citrus fruit"}, "en", True),  # compared as evaluation compares
        ("steel", {"galvanized steel sheet"}, "ja", True),  # named more narrowly
        ("machine tools", {"machine tool parts"}, "ko", True),
        ("steel", {"galvanized steel sheet"}, "en", False),  # English keeps the hit a negative
        ("stainless steel", {"steel"}, "zh", False),  # a broader label does not name the narrower good
        ("cars", {"electric vehicles"}, "zh", False),
        ("lithium", {"lithium-ion batteries"}, "ja", False),  # a word, not a part of one
        ("graphite", set(), "zh", False),
    ],
)
def test_value_label_names_the_good(key: str, gold: set[str], lang: str, expected: bool) -> None:
    assert names_gold_commodity(key, gold, lang) is expected
