"""Imposer decoding, measured by 5-fold cross-validation of the role head on our training data.

    PYTHONPATH=$PWD .venv/bin/python bench/role_decoding.py

The role head is sparse-only, so no encoder pass is needed (~1 min on 2 cores). Each fold fits the head on
the other four (nlp.train._fit_roles, the shipped role_C) and decodes the held-out measures two ways:
argmax of P(imposing) (+ the publisher prior), and nlp.roles.decode_roles (P(imposing) x (1 - P(target))).
Prints imposing accuracy of both. Folds are fixed by a CRC of the example id (deterministic).
"""

from __future__ import annotations

import zlib

import numpy as np

from nlp.lexicon import normalise_country
from nlp.roles import decode_roles, role_rows
from nlp.tagger import PUBLISHER_PRIOR
from nlp.train import DEFAULTS, Prepared, _fit_roles, analyse_examples, training_examples

FOLDS = 5


def main() -> None:
    examples, _ = training_examples()
    examples, analyses = analyse_examples(examples)
    fold = [zlib.crc32(e.id.encode()) % FOLDS for e in examples]
    prep = Prepared(examples, analyses, np.zeros((len(examples), 0), dtype=np.float32))
    right = {"argmax": 0, "decode_roles": 0}
    n = 0
    for k in range(FOLDS):
        train = [i for i, e in enumerate(examples) if fold[i] != k and e.is_measure]
        head = _fit_roles(prep, train, float(DEFAULTS["role_C"]))
        for i, e in enumerate(examples):
            if fold[i] != k or not e.is_measure:
                continue
            a = analyses[i]
            codes, rows = role_rows(a)
            if not codes:
                continue
            n += 1
            probs = head.scores(None, rows)
            juris = a.jurisdiction if a.jurisdiction not in (None, "", "XX") else None
            official = juris is not None and a.source_kind == "official"
            bonus = np.array([PUBLISHER_PRIOR if official and c == juris else 0.0 for c in codes])
            p = np.clip(probs[:, 0], 1e-6, 1 - 1e-6)
            argmax = codes[int(np.argmax(np.log(p) - np.log(1 - p) + bonus))]
            gold = normalise_country(e.imposing)
            right["argmax"] += argmax == gold
            right["decode_roles"] += decode_roles(codes, probs, bonus)[0] == gold
    print(f"{n} held-out measures with candidates")
    for name, ok in right.items():
        print(f"{name:>13}: imposing accuracy {ok / n:.4f} ({ok}/{n})")


if __name__ == "__main__":
    main()
