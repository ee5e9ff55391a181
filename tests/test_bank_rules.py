"""Each bank rule catches what it is for, on questions altered from the bank (so the rules can fail)."""

from __future__ import annotations

from stardrill import bank_rules
from stardrill.content_loader import Bank
from stardrill.content_models import WeakExample


def altered(bank, **changes):
    question = bank.question("lead-without-title").model_copy(update=changes)
    small = Bank({question.id: question}, dict(bank.levels), {question.id: "pack.toml"})
    return [(f.rule, str(f)) for f in bank_rules.check(small)]


def rules_of(found) -> set[int]:
    return {rule for rule, _ in found}


def test_a_missing_band_a_short_answer_and_a_copied_signal_are_found(bank):
    lead = bank.question("lead-without-title")
    found = altered(bank, levels=[*lead.levels, "em"])
    assert any(rule == 2 and "management band" in text for rule, text in found)
    example = lead.strong_examples[0]
    short = example.model_copy(update={"action": example.action.model_copy(update={"text": "I fixed it."})})
    assert any(rule == 3 and "words" in text for rule, text in altered(bank, strong_examples=[short]))
    criterion = lead.criteria[0].model_copy(update={"signals": ["from", "%", "not my team"]})
    assert any(rule == 5 and "'from' is too broad" in text for rule, text in altered(bank, criteria=[criterion, *lead.criteria[1:]]))


def test_weak_examples_need_a_short_one_and_a_long_one_weak_for_another_reason(bank):
    thin = WeakExample(kind="thin", text="We fixed it and it went well.", flaws=["vague", "we"], verdict="No hire.")
    found = altered(bank, weak_examples=[thin])
    assert sum(rule == 4 for rule, _ in found) >= 2


def test_american_spelling_and_provenance_are_found(bank):
    lead = bank.question("lead-without-title")
    tips = [*lead.coaching_tips, "Prioritize the behavior you want, as Seed 004 says."]
    assert {7, 10} <= rules_of(altered(bank, coaching_tips=tips))


def test_duplicate_texts_are_found(bank):
    lead = bank.question("lead-without-title")
    twin = lead.model_copy(update={"id": "twin", "text": lead.text.upper() + "!"})
    both = Bank({lead.id: lead, "twin": twin}, dict(bank.levels), {lead.id: "a.toml", "twin": "b.toml"})
    assert sum(f.rule == 1 for f in bank_rules.check(both)) == 2


def test_content_validate_warns_about_a_pack_without_failing(tmp_path, bank):
    import contextlib
    import io

    from stardrill.adapters.cli import main

    pack = tmp_path / "pack"
    pack.mkdir()
    text = open(bank.sources["lead-without-title"], encoding="utf-8").read().replace('id = "lead-without-title"', 'id = "team-lead-1"')
    text = text.replace('signals = [', 'signals = ["from", ', 1)
    (pack / "team.toml").write_text(text, encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["content", "validate", str(pack)])
    lines = err.getvalue().splitlines()
    assert "warnings (team packs)" in err.getvalue()
    assert any(line.startswith(str(pack / "team.toml")) and "team-lead-1.text: the same question text" in line for line in lines)
    assert any("'from' is too broad" in line for line in lines)
    assert code == (1 if "errors (the bundled bank)" in err.getvalue() else 0)


def test_a_criterion_whose_signals_show_up_in_unrelated_answers_is_found(bank):
    lead = bank.question("lead-without-title")
    broad = lead.criteria[0].model_copy(update={"signals": ["the team", "we had", "i was"]})
    changed = lead.model_copy(update={"criteria": [broad, *lead.criteria[1:]]})
    whole = Bank({**bank.questions, lead.id: changed}, dict(bank.levels), dict(bank.sources))
    found = [str(f) for f in bank_rules.shown_elsewhere(whole, [changed])]
    assert len(found) == 1 and f"{lead.id}.criteria.{broad.id}" in found[0] and "show up in" in found[0]
    assert bank_rules.shown_elsewhere(bank, [lead]) == []
