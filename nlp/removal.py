"""Removals of a restrictive kind: stage evidence that a "remove"/"revoke" cue is not a `lifted` measure.

The lifted cues ("removes", "revoked", "suspends") usually end a restriction. Two English forms end something
else and so restrict (Settled convention 2 of the dev-set README: `lifted` is the removal of a restriction):
- a privilege withdrawn: a country dropped from a customs register or a trusted "white list", trade preferences
  (GSP, MFN, normal trade relations) or an exemption, exclusion or waiver ended;
- a listing rule that adds parties and takes others off in the same text (its net effect is restrictive).
The feature names start with `cue:stage_`, so the stage head weights them like stage cues.
"""

from __future__ import annotations

import re

_REMOVE = (
    r"(?:remov(?:e|es|ed|ing)|strip(?:s|ped|ping)?|revok(?:e|es|ed|ing)|suspend(?:s|ed|ing)?|"
    r"terminat(?:e|es|ed|ing)|end(?:s|ed|ing)?|withdr(?:aw|aws|ew|awn|awing)|drop(?:s|ped|ping)?|"
    r"scrap(?:s|ped|ping)?|cancel(?:s|led|ed|ling|ing)?|tak(?:e|es|en|ing) \S+ off|took \S+ off|"
    r"kick(?:s|ed)? \S+ (?:off|out of)|expel(?:s|led)?)"
)
_PRIVILEGE = (
    r"(?:customs (?:system|register|registry|database)|white ?list|whitelist|trusted|preferenc\w*|preferential|"
    r"privileges?|special (?:trade )?status|gsp|generalized system|mfn|most[- ]favou?red|normal trade relations|"
    r"pntr|exemptions?|exclusions?|waivers?|de minimis|duty-free (?:treatment|access|status)|license exceptions?|"
    r"licence exceptions?|trade status)"
)
# The privilege within four words after the verb ("removes Lithuania from its customs system"), or the verb
# right after it ("trade preferences were revoked", "its white-list status suspended").
_PRIVILEGE_REMOVED = re.compile(
    rf"\b{_REMOVE}\b(?:\W+\w[\w.'’-]*){{0,4}}?\W+{_PRIVILEGE}\b"
    rf"|\b{_PRIVILEGE}\b(?:\W+\w[\w'’-]*){{0,3}}?\W+(?:(?:is|are|was|were|be|been|being) )?{_REMOVE}\b"
)
_ADDS = re.compile(
    r"\b(?:add(?:s|ed|ing)?|placed|places|designat(?:es|ed|ing))\b\W+(?:\w+\W+){0,4}?"
    r"(?:\d+|[a-z]+teen|two|three|four|five|six|seven|eight|nine|ten|dozens?|several|new|more|"
    r"further|additional)\b"
)

PRIVILEGE_REMOVED = "cue:stage_removal:privilege"
ADDS_AND_REMOVES = "cue:stage_removal:with_additions"

# Taking parties off a list ("removes", "delisted", "takes two entries off it"); not "end users".
_LISTING_REMOVAL = re.compile(
    r"\b(?:remov(?:e|es|ed|ing)|delist\w*|(?:tak(?:e|es|en|ing)|took)(?:\W+\w+){1,4}?\W+off|off the)\b"
)


def removal_kind(title: str, text: str, lang: str) -> list[str]:
    """Feature names of restrictive removals in an English title and text (empty for most documents)."""
    if lang != "en":
        return []
    joined = f"{title}\n{text}".lower()
    names = []
    if _PRIVILEGE_REMOVED.search(joined):
        names.append(PRIVILEGE_REMOVED)
    if _ADDS.search(joined) and _LISTING_REMOVAL.search(joined):
        names.append(ADDS_AND_REMOVES)
    return names
