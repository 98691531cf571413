"""The gazetteer's tokenizer for space-separated languages keeps the text exactly and cuts aliases and text
the same way."""

from __future__ import annotations

import random

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
