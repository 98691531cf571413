"""The gazetteer reads phrase-matcher hits as integer offsets (nlp/components.py `_Hit`): every hit carries
exactly what the spaCy Span of the same tokens would give, in every pipeline (word tokenizer and CJK
character tokenizer, whose docs drop newlines), on our labelled texts and on notice-length ones."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from nlp.components import Gazetteer, _Hit, _Tokens, pipeline
from nlp.data import load_dir

LANGS = ("en", "zh", "ja", "ko", "es")


@pytest.fixture(scope="module")
def texts() -> dict[str, list[str]]:
    examples = load_dir()[0]
    by_lang: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for e in examples:
        lang = e.language or "en"
        if lang in by_lang:
            by_lang[lang].append(f"{e.title}\n{e.text}")
    # A notice-length text with paragraphs, double spaces and punctuation runs.
    by_lang["en"].append("\n\n".join(by_lang["en"][:60]).replace(". ", ".  "))
    return by_lang


@pytest.mark.parametrize("lang", LANGS)
def test_hits_equal_spans(lang: str, texts: dict[str, list[str]]) -> None:
    nlp = pipeline(lang)
    gazetteer = nlp.get_pipe("cwatch_gazetteer")
    assert isinstance(gazetteer, Gazetteer)
    matchers = (gazetteer.entity_exact, gazetteer.entity_lower, gazetteer.cue_exact, gazetteer.cue_lower)
    compared = multi = 0
    for text in texts[lang]:
        doc = nlp.make_doc(text)
        tokens = _Tokens(doc)
        for matcher in matchers:
            for key, start, end in matcher(doc):
                span = Span(doc, start, end, label=key)
                hit = _Hit(tokens, doc.vocab.strings[key], start, end)
                got = (hit.start, hit.end, hit.label_, hit.start_char, hit.end_char, hit.text, len(hit))
                want = (
                    span.start,
                    span.end,
                    span.label_,
                    span.start_char,
                    span.end_char,
                    span.text,
                    len(span),
                )
                assert got == want
                compared += 1
                multi += end - start > 1
    # Hits of one and of several tokens were compared (the Spanish examples are few).
    assert compared > (10 if lang == "es" else 50) and multi > (0 if lang == "es" else 5)


def test_empty_doc_has_no_tokens() -> None:
    tokens = _Tokens(pipeline("en").make_doc(""))
    assert tokens.orth == [] and tokens.idx == []
