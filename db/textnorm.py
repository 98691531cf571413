"""Normalise untrusted text before it is stored: titles are shown in Slack, terminals and the console.

- `clean_title`: HTML tags dropped (a title is text, never markup), NFKC so fullwidth and other compatibility
  look-alikes (ＥＵ, ｅｘｐｏｒｔ, ﬁ) become their plain forms and match searches and watchlists, invisible
  format characters removed (zero-width spaces/joiners, bidi overrides and isolates, BOM, soft hyphen,
  Unicode tag characters), control characters and line breaks turned into spaces, runs of spaces collapsed.
  Fullwidth CJK punctuation (，：（） …) is kept: it is the ordinary typography of Chinese and Japanese titles.
- `strip_controls`: for body text — C0/C1 controls and bidi overrides removed, newlines and tabs kept.

Mixed-script confusables (a Cyrillic "а" inside a Latin word) are NOT mapped: that needs a language guess
and would corrupt genuine Russian or Greek titles. SECURITY.md lists this.
"""

from __future__ import annotations

import re
import unicodedata

# Han, kana and Hangul (with their compatibility and half-width forms): scripts written without spaces.
# A document holding any is in the trigram index (migration 014); search routes terms holding any there.
CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003134f]"
)


def has_cjk(*texts: str) -> bool:
    """Whether any of the texts holds a CJK character (ASCII text is answered without a regex scan)."""
    return any(not text.isascii() and CJK.search(text) is not None for text in texts)


# Fullwidth punctuation and symbols used in CJK typography: kept as they are (NFKC would make them ASCII).
_KEEP = frozenset(
    [chr(c) for c in range(0xFF01, 0xFF10)]
    + [chr(c) for c in range(0xFF1A, 0xFF21)]
    + [chr(c) for c in range(0xFF3B, 0xFF41)]
    + [chr(c) for c in range(0xFF5B, 0xFF66)]
)
_TAG = re.compile(r"<[a-zA-Z/!?][^<>]{0,500}>")
_SPACES = re.compile(r"\s+")
_BIDI_CHARS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0/C1 controls but tab, newline, CR
_UNSAFE_IN_TEXT = re.compile(f"[{_CONTROL_CHARS}{_BIDI_CHARS}]")
# ASCII text can only hold the C0 controls and DEL; str.translate deletes them ~10x faster than a regex.
_ASCII_CONTROLS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _nfkc_except_cjk_punctuation(text: str) -> str:
    out: list[str] = []
    run: list[str] = []
    for char in text:
        if char in _KEEP:
            out.append(unicodedata.normalize("NFKC", "".join(run)))
            out.append(char)
            run = []
        else:
            run.append(char)
    out.append(unicodedata.normalize("NFKC", "".join(run)))
    return "".join(out)


def strip_tags(text: str) -> str:
    """Markup removed, entities decoded once; the contents of script/style elements dropped too."""
    if "<" not in text and "&" not in text:
        return text
    import html

    without = re.sub(r"(?is)<(script|style)\b[^>]*>.*?</\1\s*>", " ", text)
    return html.unescape(_TAG.sub(" ", without))


def clean_title(title: str, limit: int = 1000) -> str:
    text = _nfkc_except_cjk_punctuation(strip_tags(title[: limit * 4]))
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":  # format characters: invisible by definition
            continue
        kept.append(" " if category in ("Cc", "Zl", "Zp") else char)
    return _SPACES.sub(" ", "".join(kept)).strip()[:limit]


def strip_controls(text: str) -> str:
    """Body text: terminal-escape and bidi-override characters removed; newlines and tabs kept."""
    if text.isascii():
        return text.translate(_ASCII_CONTROLS)
    return _UNSAFE_IN_TEXT.sub("", text)
