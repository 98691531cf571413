"""Headline forms that put a measure ahead of the story: stage evidence the cue gazetteer cannot spell out.

News headlines drop "will": "China to relax ownership caps", "EU set to impose duties" (an English infinitive
after the subject), 「…を追加へ」「輸入再開へ」 (a Japanese verbal noun closed by へ). Both say the step is decided
or planned but not yet taken. The gazetteer lists a few fixed phrases (追加へ, 発動へ); these patterns cover the
form itself. The feature names start with `cue:stage_`, so the sparse vector weights them like stage cues.
"""

from __future__ import annotations

import re

# Verbs a headline infinitive of a trade measure uses ("to impose", "to lift", "to be hit with" is not one).
_VERBS = (
    "impose|lift|raise|hike|ban|bar|restrict|relax|ease|curb|add|remove|scrap|axe|drop|cut|reduce|end|extend|"
    "launch|open|reopen|tighten|expand|widen|broaden|require|block|halt|stop|suspend|resume|restore|reinstate|"
    "allow|permit|probe|investigate|slap|levy|tax|introduce|place|put|list|blacklist|exclude|review|veto|"
    "phase|roll|limit|cap|increase|double|triple|grant|exempt|waive|revoke|sanction|target|screen|prohibit|"
    "start|begin|enforce|apply|set|step|scale|halve|unveil|implement|adopt"
)
# "<Subject> to VERB", "<Subject> set/poised/plans to VERB": the word before is the subject (a name, "U.S.",
# "government"), not an object, so a purpose infinitive ("imposes duties to curb imports") does not count.
_SUBJECT = (
    r"(?:[A-Z][\w.'’&-]*|government|ministry|administration|regulators?|officials|commission|lawmakers)"
)
_EN_AHEAD = re.compile(
    rf"(?:^|(?<=\s)){_SUBJECT} (?:(?:is |are )?(?:set|poised|due|planning|preparing|moving|plans|moves) )?to"
    rf" (?:{_VERBS})\b"
)
# A verbal noun (kanji or katakana) closed by へ at a clause end: 追加へ, 輸入再開へ, 引き上げへ.
_JA_AHEAD = re.compile(
    r"[\u4e00-\u9fff\u30a0-\u30ffげけせてめれ]へ(?=$|[\s\u3000、。…・「」『』（）()]|[0-9０-９])"
)

AHEAD = "cue:stage_headline:ahead"


def headline_stage(title: str, lang: str) -> list[str]:
    """Stage feature names of the headline (empty for most titles)."""
    if lang == "en":
        return [AHEAD] if _EN_AHEAD.search(title) else []
    if lang == "ja":
        return [AHEAD] if _JA_AHEAD.search(title) else []
    return []
