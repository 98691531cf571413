"""The encoder in a worker thread beside the gazetteer pass: same results as the plain sequential path."""

from __future__ import annotations

import sys
import threading
from dataclasses import asdict

import pytest

from nlp.background import in_background, short_switch_interval
from nlp.data import load_dir
from nlp.features import analyse, encoder_text, gazetteer_pass, prepare
from nlp.tagger import Tagger, TagInput, TagResult


def _inputs() -> list[TagInput]:
    """Our training examples of every language, plus notice-length texts built from them."""
    examples = load_dir()[0]
    picked = []
    for lang in ("en", "zh", "ja", "ko", None):
        picked += [e for e in examples if e.language == lang][:12]
    docs = [
        TagInput(e.title, e.text, e.language, e.source_kind, e.source_jurisdiction, e.published)
        for e in picked
    ]
    english = [e for e in examples if e.language in (None, "en")]
    for k in range(3):  # long enough that the gazetteer pass runs well beside the encoder
        body = "\n\n".join(e.text for e in english[k * 40 : (k + 1) * 40])
        docs.append(TagInput(english[k].title, body, "en", "official", ["US", "CN", None][k], "2025-03-01"))
    docs.append(TagInput("", "", None, None))  # nothing to tag
    return docs


def _plain(r: TagResult) -> dict:
    return {**asdict(r), "events": [asdict(e) for e in r.events]}


def test_tag_equals_the_sequential_path(tagger: Tagger) -> None:
    docs = _inputs()
    items = [(d.title, d.text, d.language, d.source_kind, d.source_jurisdiction, d.published) for d in docs]
    analyses = analyse(items)
    emb = tagger.encoder.encode([encoder_text(a) for a in analyses], batch_size=16)
    sequential = tagger.decode(analyses, emb)  # roles and values worked out after the scores, on demand
    overlapped = tagger.tag(docs, batch_size=16)
    assert [_plain(r) for r in overlapped] == [_plain(r) for r in sequential]
    tagger.overlap = False
    try:
        in_order = tagger.tag(docs, batch_size=16)
    finally:
        tagger.overlap = True
    assert [_plain(r) for r in in_order] == [_plain(r) for r in sequential]
    assert sum(len(r.events) for r in sequential) > 20  # the examples carry measures with roles and values
    assert any(e.commodities for r in sequential for e in r.events)
    assert any(e.targets for r in sequential for e in r.events)


def test_objects_read_ahead_equal_the_ones_on_demand(tagger: Tagger) -> None:
    analyses = analyse(
        [(d.title, d.text, d.language, d.source_kind, d.source_jurisdiction) for d in _inputs()]
    )
    emb = tagger.encoder.encode([encoder_text(a) for a in analyses])
    ahead = [tagger.objects(a) if i % 2 else None for i, a in enumerate(analyses)]  # half read ahead
    assert [_plain(r) for r in tagger.decode(analyses, emb, found=ahead)] == [
        _plain(r) for r in tagger.decode(analyses, emb)
    ]


def test_prepare_then_gazetteer_pass_is_analyse() -> None:
    items = [(d.title, d.text, d.language, d.source_kind, d.source_jurisdiction) for d in _inputs()]
    assert gazetteer_pass(prepare(items)) == analyse(items)
    # The encoder window is fixed before the gazetteer pass (Traditional Chinese already folded).
    assert [encoder_text(a) for a in prepare(items)] == [encoder_text(a) for a in analyse(items)]


def test_switch_interval_restored_after_overlapping_sections() -> None:
    before = sys.getswitchinterval()
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with short_switch_interval(0.0001):
            inside.set()
            leave.wait(5)

    with short_switch_interval(0.0003):
        assert sys.getswitchinterval() == pytest.approx(0.0003)
        thread = threading.Thread(target=other)
        thread.start()
        assert inside.wait(5)
    # The other section is still open: the short interval stays until the last one closes.
    assert sys.getswitchinterval() == pytest.approx(0.0003)
    leave.set()
    thread.join(5)
    assert sys.getswitchinterval() == pytest.approx(before)


def test_background_errors_reach_the_caller() -> None:
    def fail() -> None:
        raise RuntimeError("encoder failed")

    with pytest.raises(RuntimeError, match="encoder failed"):
        in_background(fail).result()
    assert in_background(sum, [1, 2, 3]).result() == 6
