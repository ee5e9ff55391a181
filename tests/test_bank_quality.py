"""The bundled bank as an interviewer reads it: every rule of stardrill.bank_rules, each test listing every violation."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from stardrill import bank_rules
from stardrill.content_models import BANDS, LEADERSHIP_PRINCIPLES, band_of


@pytest.fixture(scope="module")
def findings(bank):
    return bank_rules.check(bank)


def violations(findings, rule: int) -> list[str]:
    return [str(f) for f in findings if f.rule == rule]


@pytest.mark.parametrize("rule", [1, 2, 3, 4, 5, 6, 8, 10])
def test_bank_rule_holds(findings, rule):
    """1 one question per text; 2 a model answer per band at its level's scope; 3 length fits the time;
    4 weak examples worth learning from; 5 signals that generalise; 6 failure probes; 8 quiz; 10 spelling."""
    assert violations(findings, rule) == []


def test_timing_frameworks_agree_and_members_never_see_provenance(bank, findings):
    assert violations(findings, 7) + [str(f) for f in bank_rules.framework_findings(bank)] == []
    for level in bank.levels.values():
        for framework in level.frameworks:
            assert not bank_rules.PROVENANCE.search(framework.name), framework.name
            assert framework.reflection > 0


def test_at_least_150_distinct_questions(bank):
    assert len({bank_rules.normalise_text(q.text) for q in bank.questions.values()}) >= 150


def test_each_level_has_30_questions_with_a_model_answer_for_its_band(bank):
    counts = Counter(
        lv for q in bank.questions.values() for lv in q.levels
        if any(band_of(e.level) == band_of(lv) for e in q.strong_examples)
    )
    assert {lv: counts[lv] for lv in bank.levels if counts[lv] < 30} == {}


def test_every_leadership_principle_has_three_questions_at_every_band(bank):
    counts = bank_rules.principle_band_counts(bank)
    short = {f"{LEADERSHIP_PRINCIPLES[lp]} @ {band}": n for lp, bands in counts.items() for band, n in bands.items() if n < 3}
    assert short == {}


def test_sde1_model_answers_include_internships_and_university_projects(bank):
    sde1 = [e.text() for q in bank.questions.values() for e in q.strong_examples if e.level == "sde1"]
    student = [t for t in sde1 if re.search(r"\b(?:intern(?:ship)?|universit\w*|capstone|college|course project|final-year|graduat\w*)\b", t, re.I)]
    assert len(student) >= 5, f"{len(student)} of {len(sde1)} SDE1 model answers"


# The candidate's own failure (a number that "looked wrong" is not one): what the question asks them to own.
FAILURE_TEXT = re.compile(
    r"\b(?:fail\w*|mistake|missed|backfired|did not pay off|got (?:\w+ )?wrong|turned out (?:to be )?wrong|"
    r"(?:was|were) wrong|badly wrong|went wrong|you caused|bad hire|let (?:\w+ ){1,2}go)\b", re.I)
# Owning it: one sentence in the first person that names the speaker's own misstep.
MISSTEP = re.compile(
    r"\b(?:mistake|wrong|misjudg\w*|misread|should have|should not have|shouldn't have|was mine|my (?:call|decision|fault)|"
    r"I (?:had )?(?:not|never|failed|missed|underestimated|overestimated|assumed|ignored|overrode|rushed|skipped|delayed)|"
    r"I hadn't|I didn't|did not (?:allow|account|plan|test|check|see|notice|ask)|had broken|broke|"
    r"without (?:asking|checking|testing|telling)|too (?:late|long|early|slow)|blind spot)\b", re.I)


def owns_the_misstep(text: str) -> bool:
    return any(re.search(r"\b(?:I|[Mm]y|[Mm]ine|me)\b", s) and MISSTEP.search(s) for s in re.split(r"(?<=[.!?])\s+", text))


def test_fifteen_questions_about_real_failure_own_the_misstep(bank):
    about_failure = [q for q in bank.questions.values() if FAILURE_TEXT.search(q.text)]
    disowned = [f"{q.id} ({e.level})" for q in about_failure for e in q.strong_examples if not owns_the_misstep(e.text())]
    assert len(about_failure) >= 15, [q.id for q in about_failure]
    assert disowned == []


# Themes an interviewer asks about that the bank must cover, each at the levels where it is asked.
THEMES = {
    "proudest or most challenging project": (r"proud|most challenging project|most difficult project", None),
    "critical feedback received": (r"critical feedback|feedback (?:that )?you received|received (?:\w+ )?feedback", None),
    "deadlines and priorities at SDE1": (r"deadline|priorit", {"sde1"}),
    "incomplete data as an EM": (r"incomplete|without (?:complete|all the|enough) (?:data|information)|before the data", {"em"}),
    "leading a technical initiative": (r"technical initiative|led a major|lead a major", {"senior", "tl", "staff"}),
    "hiring and bar raising": (r"\bhir(?:e|ing)\b|bar rais", {"em", "l7"}),
    "letting someone go": (r"let (?:\w+ ){1,2}go|letting (?:\w+ ){1,2}go|part ways|dismiss", None),
    "explaining to non-technical people": (r"non-technical", None),
    "vision and planning": (r"vision|annual plan|planning", {"em"}),
    "diversity and inclusion": (r"diversity|inclusi", None),
    "difficult coworker": (r"difficult (?:co-?worker|colleague|teammate)", {"sde1", "sde2"}),
    "managing managers": (r"manag\w* (?:other )?managers|leaders of leaders|through (?:your )?managers|your managers", {"l7"}),
    "mergers and acquisitions": (r"acqui|merger|m&a", {"l7"}),
    "a cost programme": (r"cost", {"l7"}),
    "why leadership": (r"why (?:do )?you want to (?:move into|become|lead)|move into (?:leadership|management)|why leadership", None),
    "resistance to change": (r"resist", None),
}


def test_every_missing_theme_has_a_question(bank):
    missing = []
    for theme, (pattern, levels) in THEMES.items():
        hits = [q for q in bank.questions.values() if re.search(pattern, q.text, re.I) and (levels is None or set(q.levels) & levels)]
        if not hits:
            missing.append(theme)
    assert missing == []


def test_company_filter_returns_the_real_spread(bank):
    """Each company-tagged question appears once; the seeds' real questions keep their tags."""
    tagged = Counter(c for q in bank.questions.values() for c in q.companies)
    assert {c: tagged[c] for c in ("google", "amazon", "microsoft", "meta", "apple", "netflix") if tagged[c] == 0} == {}
    texts = Counter(bank_rules.normalise_text(q.text) for q in bank.questions.values() if q.companies)
    assert [t for t, n in texts.items() if n > 1] == []


def test_bands_cover_every_level():
    assert sorted(lv for levels in BANDS.values() for lv in levels) == sorted(["sde1", "sde2", "senior", "staff", "tl", "em", "l7"])
