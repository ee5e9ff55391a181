"""The bank's breadth, read from the bank itself (never a hard-coded file count), and the own-words rule."""

from __future__ import annotations

from collections import Counter

import pytest

from stardrill.content_models import AREAS, LEADERSHIP_PRINCIPLES, PARTS
from tests.own_words import DEFAULT_SEEDS, copied_runs


def test_at_least_100_questions(bank):
    assert len(bank.questions) >= 100


def test_every_leadership_principle_has_four_questions(bank):
    counts = Counter(c for q in bank.questions.values() for c in q.competencies)
    assert {lp: counts[lp] for lp in LEADERSHIP_PRINCIPLES if counts[lp] < 4} == {}


def test_every_area_of_the_seeds_is_covered(bank):
    counts = Counter(c for q in bank.questions.values() for c in q.competencies)
    assert [a for a in AREAS if counts[a] == 0] == []


def test_every_level_has_fifteen_questions(bank):
    counts = Counter(lv for q in bank.questions.values() for lv in q.levels)
    assert {lv: counts[lv] for lv in bank.levels if counts[lv] < 15} == {}


def test_company_tags_present(bank):
    companies = {c for q in bank.questions.values() for c in q.companies}
    assert {"google", "amazon", "microsoft", "meta", "apple", "netflix"} <= companies


def test_quiz_and_angles_on_thirty_questions(bank):
    assert sum(1 for q in bank.questions.values() if q.quiz and q.angles) >= 30


def test_every_question_is_complete(bank):
    incomplete = []
    for q in bank.questions.values():
        example = q.strong_examples[0]
        if not (3 <= len(q.criteria) <= 6 and len(q.probes) >= 3 and q.common_mistakes and q.coaching_tips):
            incomplete.append(q.id)
        if any(getattr(example, part).seconds <= 0 for part in PARTS) or example.level not in q.levels:
            incomplete.append(f"{q.id}.strong_example")
        if any(not (p.weak.why and p.strong.why) for p in q.probes):
            incomplete.append(f"{q.id}.probes")
    assert incomplete == []


def test_level_profiles_record_their_calibration(bank):
    for level in bank.levels.values():
        assert level.calibration_source and level.frameworks and level.red_flags
    assert "seed 001" in bank.levels["em"].calibration_source.lower()  # the disagreement and the choice


@pytest.mark.skipif(not DEFAULT_SEEDS.is_dir(), reason="the seed guides (../shared/seeds) are not beside this checkout")
def test_no_twelve_word_run_copied_from_the_seeds(bank):
    assert copied_runs(bank, DEFAULT_SEEDS) == []
