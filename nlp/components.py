"""spaCy components registered as entry points (DESIGN.md §8), and the per-language pipelines.

- `cwatch.cjk_char_tokenizer.v1`: one token per CJK character, Latin words and numbers kept whole. Needs no
  downloads (spaCy's Japanese tokenizer needs SudachiPy; jieba/pkuseg need model files) and matches
  gazetteer phrases inside unsegmented Chinese and Japanese text.
- `cwatch.word_punct_tokenizer.v1`: word runs and single punctuation marks for every other language; the
  text is kept exactly (whitespace tokens), so mention offsets stay true.
- `cwatch_gazetteer`: phrase matchers for countries, commodities, technologies and measure cues from the
  bilingual lexicon; every alias of every language is matched in every pipeline so mixed-script text works.
  Results go to `doc._.cw_mentions` (entities, overlaps resolved longest-first across countries,
  commodities and technologies, so "Samsung Electronics" or 露光装置 hide the words inside them) and
  `doc._.cw_cues` (longest-first within each cue layer: see resolve_cue_overlaps).
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

import spacy
from spacy.attrs import IDX, ORTH, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans
from spacy.vocab import Vocab

from nlp.lexicon import Alias, load_lexicon

_CJK_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+|\S")  # Hangul syllables, kana and Han: one token each


class Mention(NamedTuple):  # a tuple: ~3x cheaper to build than a frozen dataclass, ~300 per notice
    layer: str  # country | commodity | technology | cue
    key: str
    kind: str
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    text: str


class _StatelessTokenizer:
    """A tokenizer with nothing to save: serialisation hooks so nlp.to_disk()/from_disk() work with it."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def to_bytes(self, **_: Any) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_: Any) -> _StatelessTokenizer:
        return self

    def to_disk(self, _path: Any, **_: Any) -> None:
        return None

    def from_disk(self, _path: Any, **_: Any) -> _StatelessTokenizer:
        return self


class CJKCharTokenizer(_StatelessTokenizer):
    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for match in _CJK_TOKEN.finditer(text):
            words.append(match.group())
            end = match.end()
            spaces.append(end < len(text) and text[end] == " ")
        return Doc(self.vocab, words=words, spaces=spaces)


# A word run or punctuation mark with the single space after it (that token's trailing space), or any
# other whitespace run, which becomes a token of its own.
_TOKEN_AND_SPACE = re.compile(r"(\w+|[^\w\s])( ?)|(\s+)")


class WordPunctTokenizer(_StatelessTokenizer):
    """Word runs and single punctuation marks, whitespace kept so that doc.text is the input exactly (char
    offsets of mentions stay true). The gazetteer only needs its aliases and the text cut the same way, and
    spaCy's rule-based tokenizer cost ~4x more on notice-length texts (bench/gazetteer_tokenizer.py)."""

    def __call__(self, text: str) -> Doc:
        found = _TOKEN_AND_SPACE.findall(text)  # one C pass; no Python work per match
        words = [token or whitespace for token, _space, whitespace in found]
        spaces = [space == " " for _token, space, _whitespace in found]
        return Doc(self.vocab, words=words, spaces=spaces)


@spacy.registry.tokenizers("cwatch.word_punct_tokenizer.v1")
def create_word_punct_tokenizer() -> Any:
    def make(nlp: Language) -> WordPunctTokenizer:
        return WordPunctTokenizer(nlp.vocab)

    return make


@spacy.registry.tokenizers("cwatch.cjk_char_tokenizer.v1")
def create_cjk_char_tokenizer() -> Any:
    def make(nlp: Language) -> CJKCharTokenizer:
        return CJKCharTokenizer(nlp.vocab)

    return make


for _name in ("cw_mentions", "cw_cues"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class Gazetteer:
    def __init__(self, nlp: Language, name: str, lang: str = "") -> None:
        self.name = name
        lex = load_lexicon()
        self._aliases: dict[str, list[Alias]] = {}
        self._labels: dict[int, str] = {}  # match id -> "kind|key"
        self._last: tuple[Doc, _Tokens] | None = None
        self.home_words = {a.text for a in lex.countries if a.only_lang == lang and a.kind == "inst"}
        self.entity_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entity_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.cue_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.cue_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        groups: dict[tuple[bool, bool], dict[str, list[Doc]]] = {}
        for alias in lex.all_aliases():
            if alias.only_lang is not None and alias.only_lang != lang:
                continue
            match_id = f"{alias.kind}|{alias.key}"
            self._aliases.setdefault(match_id, []).append(alias)
            is_cue = alias.kind == "cue"
            bucket = groups.setdefault((is_cue, alias.case_sensitive), {})
            bucket.setdefault(match_id, []).append(nlp.make_doc(alias.text))
        for (is_cue, exact), bucket in groups.items():
            matcher = (
                (self.cue_exact if exact else self.cue_lower)
                if is_cue
                else (self.entity_exact if exact else self.entity_lower)
            )
            for match_id, docs in bucket.items():
                matcher.add(match_id, docs)

    def _spans(self, doc: Doc, *matchers: PhraseMatcher) -> list[Any]:
        spans = []
        tokens = self._tokens(doc)
        for matcher in matchers:
            # Hits as (match_id, start, end): a Span (and its Tokens, for .text) per hit cost ~5 ms/notice.
            found = [_Hit(tokens, self._label(doc, key), start, end) for key, start, end in matcher(doc)]
            if matcher in (self.entity_lower, self.cue_lower):
                # A lowercase alias ("app", "ore") met as a short all-caps token is an acronym ("APP/AFP").
                found = [s for s in found if not (len(s) == 1 and s.text.isupper() and len(s.text) <= 3)]
            spans.extend(found)
        return spans

    def _tokens(self, doc: Doc) -> _Tokens:
        """The doc's token arrays, read once for the entity and the cue matchers."""
        if self._last is None or self._last[0] is not doc:
            self._last = (doc, _Tokens(doc))
        return self._last[1]

    def _label(self, doc: Doc, key: int) -> str:
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = doc.vocab.strings[key]
        return label

    def __call__(self, doc: Doc) -> Doc:
        found = self._spans(doc, self.entity_exact, self.entity_lower)
        # An alias listed under several entries ("AI chips", "drones", "TikTok") yields one span per entry
        # with the same boundaries: all are kept, and the trained value head decides which of them the
        # measure is about.
        kept = _longest_first(found)
        mentions = [_mention(span) for span in sorted(kept, key=lambda s: (s.start, s.label_))]
        doc._.cw_mentions = self._named_governments(mentions)
        cues = resolve_cue_overlaps(self._spans(doc, self.cue_exact, self.cue_lower))
        doc._.cw_cues = [_mention(span) for span in sorted(cues, key=lambda s: (s.start, s.label_))]
        return doc

    def _named_governments(self, mentions: list[Mention]) -> list[Mention]:
        """A bare home-government word right after a country ("香港政府", "러시아 정부") is that country's
        government, not the outlet's own."""
        out: list[Mention] = []
        for m in mentions:
            before = out[-1] if out else None
            if (
                m.text in self.home_words
                and before is not None
                and before.layer == "country"
                and before.end == m.start
                and before.key != m.key
            ):
                m = Mention(m.layer, before.key, "inst", m.start, m.end, m.start_char, m.end_char, m.text)
            out.append(m)
        return out


def _longest_first(spans: list[Any]) -> list[Any]:
    """filter_spans, plus the spans it dropped that have the same bounds as a kept one (other labels)."""
    kept = filter_spans(spans)
    bounds = {(s.start, s.end) for s in kept}
    labels = {(s.start, s.end, s.label_) for s in kept}
    for span in spans:
        key = (span.start, span.end, span.label_)
        if (span.start, span.end) in bounds and key not in labels:
            labels.add(key)
            kept.append(span)
    return kept


def _is_stage_cue(span: Any) -> bool:
    return bool(span.label_.startswith("cue|stage_"))


def resolve_cue_overlaps(spans: list[Any]) -> list[Any]:
    """Longest-first within each cue layer, not across them.

    Measure cues (types, direction, non-measure) overlap each other ("export controls" inside "Export Control
    Law"): the longest wins. Stage cues are a layer of their own, so a stage phrase never hides the measure
    word it is built on: "禁止する" keeps 禁止 (market access), "will impose" keeps "impose", "has lifted"
    keeps "lifted". A word listed under two categories (禁止: restrictive and market access) lights both.
    A stage cue lying inside a longer measure cue is part of that word, not a stage phrase
    (案 in 立案调查, 暂停 in 暂停实施), and is dropped."""
    measure = _longest_first([s for s in spans if not _is_stage_cue(s)])
    owner: dict[int, Any] = {}  # token -> the measure cue covering it (they no longer overlap)
    for span in measure:
        for i in range(span.start, span.end):
            owner[i] = span
    stage = []
    for span in _longest_first([s for s in spans if _is_stage_cue(s)]):
        host = owner.get(span.start)
        if host is None or host.end < span.end or len(host) <= len(span):
            stage.append(span)
    return measure + stage


class _Tokens:
    """A document's token strings and character offsets, read from its arrays; a string is looked up only
    for the tokens of a hit."""

    def __init__(self, doc: Doc) -> None:
        cols = doc.to_array([ORTH, IDX, SPACY]).T.tolist() if len(doc) else [[], [], []]
        self.orth, self.idx, self.space = cols
        self.strings = doc.vocab.strings

    def text(self, start: int, end: int) -> str:
        """Span(doc, start, end).text: each token with its trailing space, but the last one's."""
        orth, strings = self.orth, self.strings
        if end - start == 1:
            return str(strings[orth[start]])
        parts = []
        for i in range(start, end - 1):
            parts.append(strings[orth[i]])
            if self.space[i]:
                parts.append(" ")
        parts.append(strings[orth[end - 1]])
        return "".join(parts)

    def length(self, i: int) -> int:
        return len(self.strings[self.orth[i]])


class _Hit:
    """A matcher hit with what filter_spans and _mention read of a Span (start, end, label_, char offsets,
    text), built without spaCy objects."""

    __slots__ = ("start", "end", "label_", "start_char", "end_char", "text")

    def __init__(self, tokens: _Tokens, label: str, start: int, end: int) -> None:
        self.start, self.end, self.label_ = start, end, label
        self.start_char = tokens.idx[start]
        if end - start == 1:  # most hits: one token, its string looked up once
            self.text = tokens.strings[tokens.orth[start]]
            self.end_char = self.start_char + len(self.text)
        else:
            self.text = tokens.text(start, end)
            self.end_char = tokens.idx[end - 1] + tokens.length(end - 1)

    def __len__(self) -> int:
        return self.end - self.start


def _mention(span: Any) -> Mention:
    kind, key = span.label_.split("|", 1)
    layer = kind if kind in ("commodity", "technology", "cue") else "country"
    return Mention(layer, key, kind, span.start, span.end, span.start_char, span.end_char, span.text)


@Language.factory("cwatch_gazetteer", default_config={"lang": ""})
def make_gazetteer(nlp: Language, name: str, lang: str) -> Gazetteer:
    return Gazetteer(nlp, name, lang)


# spaCy's blank tokenizers for the Latin-script languages we tag; Vietnamese (whose spaCy tokenizer needs
# pyvi) and anything else use the multi-language one.
_BLANK = {"en": "en", "es": "es", "fr": "fr", "de": "de", "pt": "pt", "it": "it", "tr": "tr"}


@functools.lru_cache(maxsize=16)
def pipeline(lang: str) -> Language:
    """The blank pipeline for a language with our gazetteer; built once per process. Chinese, Japanese and
    Korean get one token per character (Korean needs no MeCab, and cues match inside compounds)."""
    if lang in ("zh", "ja", "ko"):
        nlp = spacy.blank(
            "xx" if lang == "ko" else lang,
            config={"nlp": {"tokenizer": {"@tokenizers": "cwatch.cjk_char_tokenizer.v1"}}},
        )
    else:
        nlp = spacy.blank(
            _BLANK.get(lang, "xx"),
            config={"nlp": {"tokenizer": {"@tokenizers": "cwatch.word_punct_tokenizer.v1"}}},
        )
    _fold_typographic_marks(nlp)
    nlp.add_pipe("cwatch_gazetteer", config={"lang": lang})
    return nlp


# Curly apostrophes and quotes, primes and Unicode hyphens, as the plain marks the lexicon is written with.
TYPOGRAPHIC_MARKS = {
    "\u2019": "'",  # ’ right single quotation mark: "People’s Republic of China"
    "\u2018": "'",  # ‘
    "\u201b": "'",  # ‛
    "\u02bc": "'",  # ʼ modifier letter apostrophe
    "\u2032": "'",  # ′ prime
    "\uff07": "'",  # ＇ fullwidth apostrophe
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\uff02": '"',  # ＂
    "\u2010": "-",  # ‐ hyphen
    "\u2011": "-",  # ‑ non-breaking hyphen
}


def _fold_typographic_marks(nlp: Language) -> None:
    """The case-insensitive matchers compare LOWER forms: give each typographic mark the LOWER of its plain
    mark, so "People’s Republic of China" matches the alias "People's Republic of China" (CN) instead of
    falling back to the shorter "Republic of China" (TW). Tokens and offsets keep the text as written."""
    for mark, plain in TYPOGRAPHIC_MARKS.items():
        nlp.vocab[mark].lower_ = plain
