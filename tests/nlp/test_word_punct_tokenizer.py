"""The gazetteer's tokenizer for space-separated languages keeps the text exactly and cuts aliases and text
the same way."""

from __future__ import annotations

import random
import re

from nlp.components import pipeline

PIECES = [
    "U",
    "S",
    "a",
    "é",
    "ğ",
    "4",
    "2",
    ".",
    "-",
    "’",
    "'",
    "(",
    ")",
    ",",
    " ",
    " ",
    "\n",
    "\t",
    "\u3000",
]


def test_doc_text_is_the_input_exactly() -> None:
    nlp = pipeline("en")
    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))
        assert nlp.make_doc(text).text == text, repr(text)


def test_aliases_with_punctuation_and_offsets() -> None:
    nlp = pipeline("en")
    text = "Title\n\nThe U.S.  Department of Commerce added entities in China (42), Iran, and Pakistan."
    doc = nlp(text)
    found = {(m.key, m.text) for m in doc._.cw_mentions if m.layer == "country"}
    assert {("US", "U.S."), ("CN", "China"), ("IR", "Iran"), ("PK", "Pakistan")} <= found
    for m in doc._.cw_mentions:  # character offsets point at the mention in the original text
        assert text[m.start_char : m.end_char] == m.text


def test_other_latin_languages_use_it_too() -> None:
    doc = pipeline("es")("Medidas antidumping sobre el acero de China.")
    assert [t.text for t in doc][-2:] == ["China", "."]
    assert any(m.key == "CN" for m in doc._.cw_mentions)


def _reference_tokens(text: str) -> list[tuple[str, bool]]:
    """The specification: word runs, single marks and whitespace runs; one space right after a token is
    that token's trailing space, any other whitespace is a token of its own."""
    tokens: list[tuple[str, bool]] = []
    for match in re.finditer(r"\w+|[^\w\s]|\s+", text):
        token = match.group()
        if token.isspace() and tokens and token[0] == " " and not tokens[-1][0].isspace():
            tokens[-1] = (tokens[-1][0], True)
            token = token[1:]
        if token:
            tokens.append((token, False))
    return tokens


def test_tokens_and_trailing_spaces_follow_the_specification() -> None:
    nlp = pipeline("en")
    rng = random.Random(9)
    for _ in range(20_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))
        doc = nlp.make_doc(text)
        assert [(t.text, bool(t.whitespace_)) for t in doc] == _reference_tokens(text), repr(text)
