"""The Result part, wherever the answer tells it: the result_part feature and the outcomes it reads.

A strong story also carries figures inside its actions ("I pulled a week of logs"), so deleting its Result
sentences must still cost points; a plan ("I would cut latency") and a feeling ("everyone was happy") must
never count as a result.
"""

from __future__ import annotations

import pytest

from stardrill.content_loader import load_bank
from stardrill.feedback import engine, evaluate
from stardrill.feedback.reading import read
from stardrill.feedback.text import normalise

BANK = load_bank()
LEVEL = BANK.level("senior")

SITUATION = "I was on the payments team at a ride-hailing company, and driver payouts were failing for about 2% of drivers."
ACTIONS = [
    "I pulled a week of payout logs and traced the failures to a timeout in the bank connector.",
    "I wrote a retry with backoff, added an alert on the failure rate and load-tested it against 40,000 payouts.",
    "I walked the connector's owners through the change and we rolled it out to one city first.",
    "I checked the failure dashboard every morning for the first week.",
]
RESULTS = [
    "Failed payouts went from 2% to under 0.1% within a week.",
    "Support tickets about missing pay fell from about 60 a week to 4, and the ops team now uses the alert for two other connectors.",
]
LESSON = "I learned to load-test against production volumes before any rollout, and since then I always do."


def _story(results: list[str], actions: list[str] = ACTIONS) -> str:
    return " ".join([SITUATION, *actions, *results, LESSON])


def _result_part(text: str) -> float:
    vec, _, _ = engine.explain(text, None, LEVEL)
    return vec["result_part"]


def test_the_result_part_is_read_wherever_it_sits_and_deleting_it_costs_points():
    full, deleted = _story(RESULTS), _story([])
    assert _result_part(full) > _result_part(deleted)
    assert evaluate(full, None, LEVEL).score - evaluate(deleted, None, LEVEL).score >= 2


def test_a_vague_ending_is_not_a_result():
    vague = _story(["In the end it went really well and everyone was happy with how it turned out."])
    assert _result_part(vague) == _result_part(_story([]))


def test_a_plan_is_not_a_result():
    planned = [s.replace("I ", "I would ", 1) for s in ACTIONS]
    would = _story(["I would expect failed payouts to go from 2% to under 0.1% within a week."], planned)
    assert _result_part(would) == 0.0
    assert evaluate(would, None, LEVEL).score < evaluate(_story(RESULTS), None, LEVEL).score


def test_results_told_by_others_count_as_much_as_figures():
    adopted = _story(["The ops team now uses the alert for two other connectors.",
                      "About 300 drivers who had stopped driving came back within a month."])
    assert _result_part(adopted) > _result_part(_story([]))


def test_a_vague_word_beside_a_figure_does_not_hide_the_outcome():
    assert read(normalise("I launched successfully in all 12 markets within 7 months.")).outcome
    assert not read(normalise("It launched successfully and everyone was happy.")).outcome


def test_a_vague_word_beside_a_date_kept_does_not_hide_the_outcome():
    """ "we successfully delivered the project on time" was "vague" for its adverb, and the story had no result."""
    on_time = read(normalise("As a result, we successfully delivered the project on time."))
    assert on_time.outcome == "delivered" and not on_time.vague
    assert read(normalise("We successfully delivered the project.")).vague == "successfully"
    assert not read(normalise("I worked hard to make sure it went smoothly and on time.")).outcome


def test_a_vague_phrase_is_a_vague_result_only_where_it_stands_in_for_the_result():
    """ "Morale improved a lot" beside a result anyone could check is colour (no-number still asks for figures);
    as the only result it is the major vague-result flag, beside missing-result."""
    base = ("At a logistics startup our nightly export kept failing. I traced it to a lock timeout, split the job into "
            "batches and added a retry.")
    beside = {f.code for f in evaluate(base + " The export stopped failing, and morale improved a lot.", None,
                                       LEVEL).flags}
    alone = {f.code for f in evaluate(base + " After that, morale improved a lot.", None, LEVEL).flags}
    assert "vague-result" not in beside and "missing-result" not in beside and "no-number" in beside
    assert {"vague-result", "missing-result"} <= alone


def test_a_vague_phrase_asked_about_is_no_claim():
    """ "checked whether the client was happy" is a step that asks; "the client was happy" claims it."""
    assert read(normalise("I checked whether the client was happy with this solution.")).vague == ""
    assert read(normalise("I asked if everyone was happy with the plan.")).vague == ""
    assert read(normalise("The client was happy with this solution.")).vague == "was happy with"


def test_options_laid_out_are_not_steps():
    """ "presented options (cut scope vs. delay 1 week)" read "cut ... 1 week" as a step with its measured result."""
    r = read(normalise("I presented two options (cut scope vs. delay a week) and recommended the delay."))
    assert r.i_verbs == ("presented", "recommended") and not r.outcome
    assert read(normalise("I weighed the options: cut scope or delay a week.")).i_verbs == ("weighed",)
    assert read(normalise("I cut scope (the export feature) and kept the date.")).i_verbs == ("cut", "kept")


def test_a_goal_is_not_a_step_nor_a_result():
    """ "my instructions were to make sure that we offered ..." was read as a step of ours; "reallocated people to
    ensure we met the deadline" as the deadline met."""
    assert read(normalise("My brief was to make sure that we offered the client the best service.")).we_verbs == ()
    goal = read(normalise("I reallocated two people to ensure we met the deadline."))
    assert goal.i_verbs == ("reallocated",) and goal.we_verbs == () and not goal.outcome
    assert read(normalise("I made sure that we shipped on time.")).we_verbs == ("shipped",)
    # "... to redistribute the tasks and ensure he received support": one purpose, and nothing he received yet
    chain = read(normalise("I worked with the lead to redistribute tasks and ensure he received clear instructions."))
    assert [c.verb for c in chain.clauses] == ["worked"] and not chain.outcome


def test_a_result_told_without_an_outcome_verb_ends_the_story():
    """The end of the story is its result when others or the work act there with a figure, even with no
    outcome verb ("the alert caught two more failures"); deleting those sentences costs points."""
    told = ["Five of six regional teams moved to the new connector within one quarter.",
            "In the next six months the alert caught two more connector failures."]
    full, deleted = _story(told), _story([])
    late = [engine.explain(text, None, LEVEL)[0]["result_at_end"] for text in (full, deleted)]
    assert late[0] > late[1]
    assert evaluate(full, None, LEVEL).score - evaluate(deleted, None, LEVEL).score >= 2


def test_a_perfect_tense_with_an_adverb_or_a_negation_keeps_its_verb():
    """"I've since delivered", "we have not had", "I have used": the verb after "have" is the action, not "have"."""
    assert read(normalise("I've since delivered 4 projects on time using these approaches.")).i_verbs == ("delivered",)
    assert [(c.verb, c.mood) for c in read(normalise("We have not had a similar miss.")).clauses] == [("had", "neg")]
    assert read(normalise("I have used that checklist on every launch.")).clauses[0].verb == "used"


def test_managed_to_is_read_as_the_verb_it_carries():
    r = read(normalise("I managed to finish all projects on time and attained a 95% client satisfaction level."))
    assert r.i_verbs == ("finish", "attained")
    assert r.outcome == "attained 95% client"
    assert read(normalise("I would manage to finish it.")).i_verbs == ()


# The outcome each reading names: the words a quote and a criterion point at.
@pytest.mark.parametrize("text,outcome", [
    # A failure that stopped recurring for a stretch of time; "not had time" names no failure.
    ("Since then we have not had a similar miss in 18 months.", "not had ... in 18 months"),
    ("We haven't had an outage for two years.", "not had ... in two years"),
    ("We have not had time for it in two weeks.", ""),
    # A result named as such counts with a figure or a prize, not with a feeling.
    ("The outcome was a new vendor at 12 stores.", "the outcome was ... 12 stores"),
    ("The payoff was a signed contract with a new customer.", "the payoff was ... contract"),
    ("The result was that everyone was happy.", ""),
    # A saving told as a noun keeps its figure.
    ("We picked a new vendor at a cost savings of more than $30,000 per year.", "savings of $30,000"),
    # Harm that did not happen is a result, but only for someone else.
    ("The patient did not experience any adverse effects.", "no effects"),
    ("I did not have any impact on the plan.", ""),
    # Containment, others' reactions and an influence on others are results ...
    ("I contained the breach within 4 hours.", "contained"),
    ("The client appreciated our transparency.", "appreciated"),
    ("Within a few weeks, the entire team had embraced the new practices.", "embraced"),
    ("Our recommendations influenced the federal strategy.", "influenced"),
    # The other side coming round is the result of a conflict or a negotiation; the speaker understanding is a step.
    ("She understood it was a genuine mistake and we decided to share the commission.", "understood"),
    ("I understood the problem.", ""),
    ("The customer was amazed once they saw the numbers.", "was amazed"),
    ("I was amazed by the bug.", ""),
    # A request fulfilled is done; in a failure story, what the mistake did is its result.
    ("The client's request was fulfilled promptly.", "fulfilled"),
    ("Instead of calming them, it exacerbated the situation.", "exacerbated"),
    ("My shortcut backfired.", "backfired"),
    # ... but the speaker appreciating or embracing something is a step of the story, not what it changed.
    ("I appreciated the feedback and embraced the new process.", ""),
    # Others taking the work up, after a vague lead-in or before a vague tail: only vagueness in their own clause
    # hides it.
    ("After seeing the positive impact, the team leader implemented the agenda as standard practice.", "implemented"),
    ("The team leader implemented it and it went really well.", "implemented"),
    ("The export stopped failing, and morale improved a lot.", "stopped"),
    ("The export stopped failing successfully.", ""),
    # A chain leaves the result verb bare ("able to complete"); a vague word before its clause is about the effort.
    ("It took a lot of planning, but we were able to complete the project in a timely manner.", "complete"),
    ("We were able to reduce the backlog by 40%.", "reduce the backlog by 40%"),
    ("We were able to complete the project and it went really well.", "complete"),
    ("We weren't able to complete the project.", ""),
    # What the speaker managed in the end, whatever the verb; a finding or a vague ending is not one.
    ("By addressing it directly, we were able to move forward without any lingering tension.", "able to move"),
    ("A few months later I was able to score an even bigger account for the department.", "able to score"),
    ("I managed to calm him down before the call ended.", "managed to calm"),
    ("I was able to identify the root cause.", ""),
    ("We were able to move forward and it went really well.", "able to move"),
    ("If I were able to move faster, I would.", ""),
    # A deal closed is won, a ticket closed is a step; a customer who stayed on is a result, one who kept
    # complaining is not, and a clause after a vague word still lands.
    ("We closed the deal the following week.", "closed the deal"),
    ("We got the contract that we had bid on.", "got the contract"),
    ("Last year we got a new customer who kept asking for discounts.", ""),  # someone brought into the story
    ("I closed the ticket the following week.", ""),
    ("They kept ordering from us for two more years.", "kept ... ordering"),
    ("The client remained a customer.", "remained ... customer"),
    ("The client continued to complain.", ""),
    ("The team kept arguing about it for weeks.", ""),
    ("The client was satisfied and continued to be a loyal customer.", "continued ... loyal"),
    ("The client kept ordering and it went really well.", "kept ... ordering"),
    # What the work earned the speaker: praise, a promotion, an offer, others told to do the same ...
    ("My lead was very impressed with the runbook.", "was impressed"),
    ("My lead was not impressed with the runbook.", ""),
    ("I was promoted to team lead two months later.", "promoted"),
    ("I rewrote the parser and ended up being praised and promoted for it.", "was promoted"),
    ("I promoted the new build to staging.", ""),
    ("The director suggested promoting me after the audit.", "suggested promoting me"),
    ("The client offered me a permanent role at the end of the pilot.", "offered me a role"),
    ("My manager asked the other new hires to take the same course.", "asked others to do the same"),
    ("They asked to share it with the other support leads.", "asked to share it"),
    ("The client asked us to use the same template for all reports.", ""),
    ("My supervisor said I handled the outage calmly and properly.", "said I handled it well"),
    ("My supervisor said I handled the outage.", ""),
    # ... and a named event that came off; "successful" alone, or as a goal, names nothing.
    ("I rehearsed the demo twice, leading to a successful funding round.", "a successful funding"),
    ("We had a successful launch in March.", "a successful launch"),
    ("To ensure a successful launch, I wrote a rollback plan.", ""),
    ("It was a successful project.", ""),
    # ... and a commitment kept from then on by someone else
    ("Eventually, he started meeting his deadlines more consistently.", "started meeting deadlines"),
    ("After that, the team began hitting its sprint goals.", "began hitting goals"),
    ("The old servers started making noise.", ""),
    # ... and what the work let others do, with a figure or a "sooner"; without one it names nothing
    ("I rewrote the export job, allowing finance to close the books two days earlier.",
     "allowing finance to close the books two days earlier"),
    ("I automated the report, which allowed the team to stop the manual reruns.",
     "which allowed the team to stop the manual reruns"),
    ("I set up a shared rota, enabling both teams to cover weekends without overtime.",
     "enabling both teams to cover weekends without overtime"),
    ("I documented it, allowing us to improve our processes.", ""),
    ("I moved the meeting, which allowed me to focus on my own work.", ""),
])
def test_the_outcome_a_reading_names(text, outcome):
    assert read(normalise(text)).outcome == outcome
