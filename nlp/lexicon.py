"""The bilingual lexicon: countries and blocs, commodities, technologies and measure cues.

Loaded once from nlp/lexicon/*.yaml (our aliases) plus pycountry's names. Also the normalisers that
evaluation applies to gold and predicted values alike (aliases → canonical names, countries → ISO codes).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import yaml

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
LANGS = ("en", "zh", "ja", "ko", "es", "fr", "de", "pt", "it", "tr", "vi")
# pycountry ships gettext catalogues of country names; Korean and the Latin-script languages come from there.
_GETTEXT_LANGS = ("ko", "es", "fr", "de", "pt", "it", "tr", "vi", "zh_CN", "zh_TW", "ja")
# Translated names too short or too common to match safely as words.
_GETTEXT_MIN_CHARS = 2
COUNTRY_KINDS = ("name", "adj", "capital", "inst", "company")
# pycountry names that are far more often something else in trade text.
_PYCOUNTRY_SKIP = {"Georgia", "Jordan", "Jersey", "Chad", "Turkey", "Guinea", "Niger", "Oman", "Mali", "Peru"}


@dataclass(frozen=True)
class Alias:
    text: str
    key: str  # ISO code, canonical commodity/technology name, or cue category
    kind: str  # country kind; "commodity"; "technology"; or "cue"
    case_sensitive: bool
    only_lang: str | None = (
        None  # matched only in texts of this language (a bare "政府" is Japan's in Japanese)
    )


@dataclass
class Lexicon:
    countries: list[Alias] = field(default_factory=list)
    commodities: list[Alias] = field(default_factory=list)
    technologies: list[Alias] = field(default_factory=list)
    cues: list[Alias] = field(default_factory=list)
    hs_codes: dict[str, str | None] = field(default_factory=dict)
    cue_categories: tuple[str, ...] = ()

    def all_aliases(self) -> list[Alias]:
        return [*self.countries, *self.commodities, *self.technologies, *self.cues]


def _read(name: str) -> dict:
    with open(LEXICON_DIR / name, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping")
    return data


def _merged(name: str) -> dict:
    """name.yaml with name_intl.yaml (Korean and Latin-script aliases) merged in, list by list."""
    data = _read(name)
    intl = LEXICON_DIR / name.replace(".yaml", "_intl.yaml")
    if intl.exists():
        for key, entry in _read(intl.name).items():
            base = data.setdefault(key, {}) if not isinstance(key, int) else data.setdefault(str(key), {})
            for field_name, values in (entry or {}).items():
                base[field_name] = [*(base.get(field_name) or []), *(values or [])]
    return data


def _gettext_names() -> list[tuple[str, str]]:
    """(translated country name, alpha-2) from pycountry's bundled iso3166-1 catalogues."""
    import gettext

    out: list[tuple[str, str]] = []
    for lang in _GETTEXT_LANGS:
        try:
            tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        for country in pycountry.countries:
            for attr in ("name", "common_name"):
                text = getattr(country, attr, None)
                if not text or text in _PYCOUNTRY_SKIP:
                    continue
                name = tr.gettext(text)
                if name != text and len(name) >= _GETTEXT_MIN_CHARS:
                    out.append((name, country.alpha_2))
    return out


def _acronym(text: str) -> bool:
    """Short all-caps aliases (EU, EAR, POM, AI) must match case-sensitively: 'ear', 'us', 'ai' are words."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters if c.isascii()) and len(text) <= 6


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    lex = Lexicon()
    seen: set[str] = set()
    for code, entry in _merged("countries.yaml").items():
        code = str(code)
        for kind in COUNTRY_KINDS:
            for text in entry.get(kind, []) or []:
                # Multi-word names and institutions match in any case ("Working Mechanism" / "working
                # mechanism"); single words stay case-sensitive ("China" the country, "china" the porcelain).
                exact = " " not in str(text) and not (kind == "inst" and not _acronym(str(text)))
                lex.countries.append(Alias(str(text), code, kind, exact))
                seen.add(str(text))
        for lang in LANGS[1:]:
            for text in entry.get(lang, []) or []:
                lex.countries.append(Alias(str(text), code, "name", True))
                seen.add(str(text))
        # A domestic outlet's bare "government" (政府 in Japanese, 정부 in Korean) is its own country's;
        # only in that language, and a named foreign one ("香港政府", "러시아 정부") takes the name's country.
        for lang in LANGS[1:]:
            for text in entry.get(f"home_{lang}", []) or []:
                lex.countries.append(Alias(str(text), code, "inst", True, only_lang=str(lang)))
                seen.add(str(text))
            # Names safe in one language only: Korean headlines abbreviate countries in hanja (中, 美, 日),
            # characters that mean other things in Chinese or Japanese text.
            for text in entry.get(f"only_{lang}", []) or []:
                lex.countries.append(Alias(str(text), code, "name", True, only_lang=str(lang)))
    # pycountry as the base: every country name maps to its code, unless ours already says something.
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            text = getattr(country, attr, None)
            if text and text not in seen and text not in _PYCOUNTRY_SKIP:
                lex.countries.append(Alias(text, country.alpha_2, "name", True))
                seen.add(text)
    for text, code in _gettext_names():
        if text not in seen:
            lex.countries.append(Alias(text, code, "name", True))
            seen.add(text)
    for canonical, entry in _merged("commodities.yaml").items():
        lex.hs_codes[str(canonical)] = entry.get("hs")
        for lang in LANGS:
            for text in [canonical, *(entry.get(lang) or [])] if lang == "en" else entry.get(lang) or []:
                lex.commodities.append(Alias(str(text), str(canonical), "commodity", _acronym(str(text))))
    for canonical, entry in _merged("technologies.yaml").items():
        for lang in LANGS:
            for text in [canonical, *(entry.get(lang) or [])] if lang == "en" else entry.get(lang) or []:
                lex.technologies.append(Alias(str(text), str(canonical), "technology", _acronym(str(text))))
    cues = _merged("cues.yaml")
    lex.cue_categories = tuple(cues)
    for category, entry in cues.items():
        for lang in LANGS:
            for text in entry.get(lang) or []:
                lex.cues.append(Alias(str(text), str(category), "cue", _acronym(str(text))))
    return lex


# --- normalisation (evaluation applies it to gold and predictions alike) -----------------------

_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text.strip().lower())


@functools.lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for alias in load_lexicon().countries:
        index.setdefault(_fold(alias.text), alias.key)
    for country in pycountry.countries:
        index[_fold(country.alpha_2)] = country.alpha_2
        index.setdefault(_fold(country.alpha_3), country.alpha_2)
    index["eu"] = "EU"
    index["uk"] = "GB"
    return index


@functools.lru_cache(maxsize=1)
def _canonical_index() -> tuple[dict[str, str], dict[str, str]]:
    lex = load_lexicon()
    commodities: dict[str, str] = {}
    technologies: dict[str, str] = {}
    for index, aliases in ((commodities, lex.commodities), (technologies, lex.technologies)):
        # Canonical names first: an alias shared by several entries ("AI chips") must not rename one of them.
        for alias in aliases:
            index[_fold(alias.key)] = alias.key
        for alias in aliases:
            index.setdefault(_fold(alias.text), alias.key)
    return commodities, technologies


def normalise_country(value: str | None) -> str | None:
    if not value:
        return None
    return _country_index().get(_fold(value), value.strip().upper())


def normalise_commodity(value: str) -> str:
    folded = _fold(value)
    return _canonical_index()[0].get(folded, folded)


def singular_word(word: str) -> str:
    """The word with a plural ending removed (batteries → battery, tools → tool), as commodity_key does."""
    return _singular(word)


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:  # "batteries" → battery; "ties" → tie
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def commodity_key(value: str) -> str:
    """What evaluation compares: the canonical name for a known commodity, otherwise the folded phrase with
    its head noun singular and British spellings folded, so "galvanised steel wires" and "galvanized steel
    wire" are one product. Applied to gold and predictions alike."""
    name = normalise_commodity(value)
    if name in load_lexicon().hs_codes:
        return name
    words = name.replace("tyre", "tire").replace("aluminium", "aluminum").split()
    words = [w.replace("ised", "ized").replace("isation", "ization") for w in words]
    if words:
        words[-1] = _singular(words[-1])
    key = " ".join(words)
    return normalise_commodity(key) if normalise_commodity(key) in load_lexicon().hs_codes else key


def normalise_technology(value: str) -> str:
    folded = _fold(value)
    return _canonical_index()[1].get(folded, folded)


def hs_code(commodity: str) -> str | None:
    return load_lexicon().hs_codes.get(commodity)


# --- CJK product names (issue 12) -----------------------------------------------------------------

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]")


def nospace(text: str) -> str:
    """Chinese, Japanese and Korean product names compare without spaces ("스테인리스스틸 후판")."""
    return "".join(text.split()).lower()


@functools.lru_cache(maxsize=1)
def cjk_commodity_index() -> dict[str, str]:
    """CJK alias (spaces removed) -> canonical commodity. A surface listed under two entries keeps the first."""
    index: dict[str, str] = {}
    for alias in load_lexicon().commodities:
        if _CJK_CHAR.search(alias.text):
            index.setdefault(nospace(alias.text), alias.key)
    return index


@dataclass(frozen=True)
class ProductParts:
    modifiers: dict[str, str]  # surface (spaces removed) -> English modifier
    forms: dict[str, str]  # surface (spaces removed) -> English form noun


@functools.lru_cache(maxsize=1)
def product_parts() -> ProductParts:
    data = _read("product_parts.yaml")
    out: list[dict[str, str]] = []
    for section in ("modifiers", "forms"):
        table: dict[str, str] = {}
        for english, entry in (data.get(section) or {}).items():
            for lang in ("zh", "ja", "ko"):
                for text in entry.get(lang) or []:
                    table.setdefault(nospace(str(text)), str(english))
        out.append(table)
    return ProductParts(*out)


@functools.lru_cache(maxsize=8)
def cjk_country_names(lang: str) -> tuple[str, ...]:
    """Country names and adjectives written in CJK scripts that may stand in a text of `lang`, longest first
    (the origin slot of "中国産X" / "중국산 X" / "原产于美国的X")."""
    names = {
        a.text
        for a in load_lexicon().countries
        if a.kind in ("name", "adj")
        and (a.only_lang is None or a.only_lang == lang)
        and _CJK_CHAR.search(a.text)
        and len(a.text) >= 2
    }
    return tuple(sorted(names, key=len, reverse=True))
