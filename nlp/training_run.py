"""One `cwatch train` run: gather examples, optionally score a held-out split, fit and save the heads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nlp.data import split
from nlp.encoder import load_encoder
from nlp.evaluate import score
from nlp.tagger import Tagger
from nlp.train import fit, prepare, train_and_save


@dataclass
class TrainingRun:
    summary: dict[str, Any]  # what train_and_save reports: examples, seconds, bytes, out
    heldout: Any = None  # nlp.evaluate.score's report on the held-out split, when asked for
    heldout_size: int = 0


def train(
    examples: list[Any],
    encoder_name: str | None,
    target: str,
    *,
    heldout: bool,
    progress: Callable[[str, int], None],
) -> TrainingRun:
    """Progress units: one per example and pass (two passes with `heldout`)."""
    encoder = load_encoder(encoder_name)  # a registered kind, `a+b`, or a model directory
    run = TrainingRun(summary={})
    if heldout:
        train_set, test_set = split(examples)
        prep_train = prepare(train_set, encoder, progress)
        prep_test = prepare(test_set, encoder, progress)
        tagger = Tagger(encoder, fit(prep_train))
        run.heldout = score(prep_test.examples, tagger.decode(prep_test.analyses, prep_test.emb))
        run.heldout_size = len(test_set)
    run.summary = train_and_save(examples, encoder, target, progress)
    return run
