"""Stage evidence added for issue 12: the next day is already ahead, month-only and year-only dates, headline
forms that put a measure ahead, and removals decided for a later date (announced, not lifted). Our own
sentences; the last tests run them through the real tagger."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.dates import date_features, find_dates
from nlp.features import analyse, feature_names
from nlp.headline import AHEAD, headline_stage
from nlp.tagger import Tagger, TagInput


def _placed(text: str, published: str) -> list[tuple[str, str, str]]:
    return [(d["date"], d["role"], d["when"]) for d in find_dates(text, published)]


def test_the_day_after_publication_is_ahead() -> None:
    assert _placed("The duties apply from March 6.", "2026-03-05") == [("2026-03-06", "effective", "future")]
    assert _placed("The duties apply from March 5.", "2026-03-05") == [("2026-03-05", "effective", "same")]
    # A story filed the morning after a measure took effect still reads it as the same day.
    assert _placed("The duties applied from March 4.", "2026-03-05") == [("2026-03-04", "effective", "same")]
    assert _placed("関税は6日から適用する", "2026-03-05") == [("2026-03-06", "effective", "future")]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("海关总署决定自2027年3月起暂停相关产品进口", "2026-11-02", ("2027-03", "effective", "future")),
        ("新しい手続きは4月から適用する", "2026-02-10", ("2026-04", "effective", "future")),
        ("새 기준은 10월부터 적용된다", "2026-07-01", ("2026-10", "effective", "future")),
        ("该措施自1月起实施", "2026-12-15", ("2027-01", "effective", "future")),  # written in December
        ("相关限制已于3月起实施", "2026-05-20", ("2026-03", "effective", "past")),
        ("유예 조치는 2028년까지 유지된다", "2026-05-20", ("2028", "end", "future")),
        ("政府将于2029年起全面取消该项配额", "2026-05-20", ("2029", "effective", "future")),
        ("2030年に全面禁止する方針", "2026-05-20", ("2030", "mentioned", "future")),
        ("The levy rises again from 2028.", "2026-05-20", ("2028", "effective", "future")),
        ("Quotas apply until 2027.", "2026-05-20", ("2027", "end", "future")),
    ],
)
def test_month_and_year_without_a_day(text: str, published: str, expected: tuple[str, str, str]) -> None:
    assert _placed(text, published) == [expected]


def test_full_dates_are_not_read_twice_as_months_or_years() -> None:
    assert _placed("自2026年9月1日起施行", "2026-08-01") == [("2026-09-01", "effective", "future")]
    assert _placed("2026년 9월 15일부터 시행한다", "2026-08-01") == [("2026-09-15", "effective", "future")]
    assert _placed("A bare month names nothing: 9月の統計", "2026-08-01") == []
    assert "date:effective:future" not in date_features("The Trade Act of 1974 applies.", "2026-01-01")


@pytest.mark.parametrize(
    ("title", "lang", "ahead"),
    [
        ("Chile to raise duties on imported steel bars", "en", True),
        ("U.S. set to impose tariffs on imported drones", "en", True),
        ("Brussels poised to lift curbs on Serbian apples", "en", True),
        ("Peru imposes duties on steel bars to curb a surge of imports", "en", False),  # purpose infinitive
        ("Exports to Japan rise 4% from March to April", "en", False),
        ("Chile raises duties on imported steel bars", "en", False),
        ("政府、電池材料の輸出管理を強化へ", "ja", True),
        ("豪州産牛肉の輸入再開へ　来月にも", "ja", True),
        ("政府、電池材料の輸出管理を強化", "ja", False),
        ("政府、電池材料の輸出管理を強化する", "ja", False),
        ("政府将于下月起调整关税", "zh", False),  # Chinese says 将: a gazetteer cue, no headline form
    ],
)
def test_headline_forms_that_put_a_measure_ahead(title: str, lang: str, ahead: bool) -> None:
    assert (headline_stage(title, lang) == [AHEAD]) is ahead


def test_headline_evidence_is_a_weighted_stage_feature() -> None:
    (a,) = analyse([("Chile to raise duties on imported steel bars", "", "en", "news", None, None)])
    assert AHEAD in feature_names(a) and AHEAD.startswith("cue:stage_")


# Our own texts, none about a dev item's event: (language, title, text, published, stage, direction).
CASES = [
    (  # a removal decided for a later date: announced and liberalizing (Settled convention 2)
        "en",
        "Chile to scrap safeguard duties on imported steel balls from June 1",
        "Chile will stop collecting the safeguard duty on imported steel grinding balls from June 1, the "
        "finance ministry said, after its price commission found imports no longer hurt local mills.",
        "2026-05-12",
        "announced",
        "liberalizing",
    ),
    (  # the same removal once it applies: lifted (with "with immediate effect" added it still reads as
        # in_force: a known limit, docs/taxonomy.md)
        "en",
        "Chile lifts safeguard duties on imported steel balls",
        "Chile has lifted the safeguard duty on imported steel grinding balls, the finance ministry said.",
        "2026-06-01",
        "lifted",
        "liberalizing",
    ),
    (  # effective the day after publication
        "zh",
        "海关总署：暂停某国禽肉产品进口",
        "海关总署发布公告，因当地暴发禽流感疫情，自5月13日起暂停该国禽肉产品输华。",
        "2026-05-12",
        "announced",
        "restrictive",
    ),
    (  # a Japanese headline closed by へ
        "ja",
        "政府、電池材料の輸出管理を強化へ",
        "経済産業省は、リチウムイオン電池の正極材を輸出許可の対象に加える政令改正を閣議決定した。施行は来月1日。",
        "2026-04-10",
        "announced",
        "restrictive",
    ),
]


def test_stage_evidence_through_the_tagger(tagger: Tagger) -> None:
    results = tagger.tag([TagInput(t, x, lang, "news", None, pub) for lang, t, x, pub, _, _ in CASES])
    got = [(r.events[0].stage, r.events[0].direction) if r.events else None for r in results]
    assert got == [(stage, direction) for *_, stage, direction in CASES]


def test_the_stage_head_reads_stage_cues_weighted_further_up() -> None:
    from nlp.features import (
        STAGE_CUE_WEIGHT,
        STAGE_HEAD_CUE_WEIGHT,
        sparse_vector,
        sparse_vectors,
    )
    from nlp.hashing import hashed

    (a,) = analyse(
        [("Chile to raise duties on steel bars", "The levy will take effect.", "en", "news", None, None)]
    )
    (idx, vals), (s_idx, s_vals) = sparse_vectors(a)
    ref_idx, ref_vals = sparse_vector(a)
    assert np.array_equal(idx, ref_idx) and np.allclose(vals, ref_vals) and np.array_equal(idx, s_idx)
    at = np.searchsorted(idx, hashed({AHEAD}))
    plain = vals.min(), s_vals.min()  # an ordinary n-gram feature
    assert np.isclose(vals[at][0] / plain[0], STAGE_CUE_WEIGHT)
    assert np.isclose(s_vals[at][0] / plain[1], STAGE_HEAD_CUE_WEIGHT)
