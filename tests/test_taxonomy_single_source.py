"""Adding an event label touches db/taxonomy.py, the lexicon and the training data only: no other file of
the product enumerates the labels (a list there would silently miss the new one)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from db.taxonomy import EVENT_TYPES, TAXONOMY

ROOT = Path(__file__).resolve().parents[1]
# Where the labels are meant to be listed: the taxonomy itself, the lexicon cues, the training data and the
# trained artefacts' metadata. Docs describe the labels for people; tests and benches may name them all.
ALLOWED = ("db/taxonomy.py", "nlp/lexicon/", "nlp/data/", "nlp/artefacts/", "docs/", "tests/", "bench/")
PRODUCT_FILES = (".py", ".yaml", ".yml", ".sql", ".html", ".json", ".toml", ".cfg")


def _tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [f for f in listed.stdout.splitlines() if f.endswith(PRODUCT_FILES) and not f.startswith(ALLOWED)]


def test_no_file_outside_the_taxonomy_enumerates_the_labels() -> None:
    files = _tracked_files()
    assert len(files) > 100  # the scan really covers the product
    enumerating = []
    for name in files:
        path = ROOT / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if all(label in text for label in EVENT_TYPES):
            enumerating.append(name)
    assert enumerating == [], f"these list every event label; derive them from db/taxonomy.py: {enumerating}"


def test_every_label_has_all_it_needs() -> None:
    assert len({t.name for t in TAXONOMY}) == len(TAXONOMY)
    assert len({t.colour for t in TAXONOMY}) == len(TAXONOMY)  # charts tell them apart
    assert len({t.header_rank for t in TAXONOMY}) == len(TAXONOMY)  # headers order them one way
    for spec in TAXONOMY:
        assert spec.label and spec.escalation_weight > 0
        assert spec.subsumes <= set(EVENT_TYPES) - {spec.name}
