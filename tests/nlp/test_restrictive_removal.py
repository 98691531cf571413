"""Removals of a restrictive kind (issue 12): a privilege withdrawn, or a listing rule that adds parties while
taking others off, gives its own stage feature; an ordinary lifted restriction does not. Our own sentences."""

from __future__ import annotations

import pytest

from nlp.features import analyse, feature_names
from nlp.removal import ADDS_AND_REMOVES, PRIVILEGE_REMOVED, removal_kind


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Ruritania drops Freedonia from its customs register", "Officials gave no reason."),
        ("Trade preferences for Freedonia revoked", "The change applies to all tariff lines."),
        ("Washington strips the territory of its special trade status", ""),
        ("Ministry takes Freedonia off its trusted-partner white list", ""),
        ("Government ends tariff exemptions for imported steel", ""),
        ("Council suspends duty-free treatment for small parcels", ""),
    ],
)
def test_a_privilege_withdrawn_is_a_restrictive_removal(title: str, text: str) -> None:
    assert removal_kind(title, text, "en") == [PRIVILEGE_REMOVED]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Ruritania lifts duties on Freedonian wine", "The punitive tariffs were removed on Monday."),
        ("Commerce removes four firms from the Entity List", "The parties had answered end-use checks."),
        ("Freedonia resumes beef imports from Ruritania", ""),
        ("Ruritania scraps tariffs on grain, extends the quota for another year", ""),
        ("Freedonia adds 12 companies to its export-control list", "They supplied military end users."),
    ],
)
def test_an_ordinary_removal_or_listing_gives_no_feature(title: str, text: str) -> None:
    assert removal_kind(title, text, "en") == []


def test_a_rule_that_adds_and_takes_off_parties_is_marked() -> None:
    text = "The rule adds nine parties to the list and takes two entries off it after a review."
    assert removal_kind("List revisions", text, "en") == [ADDS_AND_REMOVES]
    assert removal_kind("List revisions", "The rule adds nine parties to the list.", "en") == []


def test_only_english_text_is_read() -> None:
    assert removal_kind("取消最惠国待遇", "removes Freedonia from the customs register", "zh") == []


def test_the_feature_reaches_the_stage_weighted_cues() -> None:
    (a,) = analyse([("Ruritania removes Freedonia from customs system", "", "en", "news", None, None)])
    names = feature_names(a)
    assert PRIVILEGE_REMOVED in names
    assert PRIVILEGE_REMOVED.startswith("cue:stage_")  # the stage head weights it like a stage cue
