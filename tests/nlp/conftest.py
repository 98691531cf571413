"""One real model load for the whole NLP test session."""

from __future__ import annotations

import pytest

from nlp.tagger import Tagger


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    return Tagger.load()
