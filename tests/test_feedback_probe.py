"""Probe mode: a short reply to one follow-up is judged as a reply, not as a full STAR answer.

Also the two engine fixes that came with it: "kind of"/"sort of" are counted once (as hedges), and
counts of customers/users are not read as team size in level calibration.
"""

from __future__ import annotations

from stardrill.content_loader import load_bank
from stardrill.content_models import ProbeAnswer
from stardrill.feedback import evaluate
from stardrill.feedback import signals as S
from stardrill.feedback.calibration import extract
from stardrill.feedback.model import VERDICTS
from stardrill.feedback.scoring import PROBE_WEIGHTS, STRONG, WEIGHTS
from stardrill.feedback.text import normalise
from tests.test_feedback_engine import (BLAME, EM_SMALL, GENERIC_LESSON, HEDGED, LEAD, L7_BIG, SETUP_HEAVY, STRONG as
                                        STRONG_FULL, WEAK as WEAK_FULL, WE_EVERYWHERE)

BANK = load_bank()
ACCEPT_FIX = LEAD.probes[0]  # "How did you get the other team to accept your fix when you had no authority over them?"
WHY_YOU = LEAD.probes[2]  # "Why did you take this on when it was not your team's problem?"

# Replies written for these tests (not the bank's): a strong one in other words, and weak ones as
# long as a strong reply, so length alone cannot carry the verdict.
OWN_STRONG = (
    "I booked half an hour with their tech lead and brought the delivery logs and a tested retry patch, so the "
    "only question left was whether to merge it. Because the change sat behind a feature flag, she agreed that "
    "week and it shipped two days later."
)
LONG_HANDOFF = (
    "It was tricky for a while, because there were a lot of moving parts and different opinions on both teams. "
    "I pinged them about it a few times and in the end they handled it. It was eventually fine and everyone was "
    "happy with how it turned out."
)
LONG_SOMEBODY = (
    "Honestly somebody had to, and it was sort of sitting there with nobody looking at it for a long time. "
    "It was tricky but eventually fine, and the other team took care of it once they had some time for it."
)


def fb(answer, probe, question=LEAD, level="sde2"):
    return evaluate(answer, question, BANK.level(level), probe=probe)


def codes(feedback) -> set[str]:
    return {f.code for f in feedback.flags}


# --- strong beats weak ---------------------------------------------------------------------------


def test_strong_probe_reply_beats_weak_for_probes_across_the_bank():
    # Every question's first two follow-ups, at the question's own level: the bank's strong reply beats its
    # weak reply. The bank grows and its replies are rewritten, so the bar is a share with some room. On the
    # bank when this was set: 76% by 25+ points, 94% by 10+, 68% of weak replies "weak" (the engine before
    # the v2 rewrite, same bank: 72%, 94%, 66%).
    pairs = []
    for qid in sorted(BANK.questions):
        q = BANK.questions[qid]
        level = q.strong_examples[0].level
        for probe in q.probes[:2]:
            pairs.append((fb(probe.strong.text, probe, q, level), fb(probe.weak.text, probe, q, level)))
    assert len({q.strong_examples[0].level for q in BANK.questions.values()}) >= 5 and len(pairs) >= 100
    by25 = sum(s.score > w.score + 25 for s, w in pairs) / len(pairs)
    by10 = sum(s.score > w.score + 10 for s, w in pairs) / len(pairs)
    weak_verdict = sum(w.verdict in ("weak", "not an answer") for _, w in pairs) / len(pairs)
    assert by25 >= 0.7 and by10 >= 0.9 and weak_verdict >= 0.6, (by25, by10, weak_verdict)


def test_strong_probe_replies_land_in_the_strong_band():
    # Same band as strong full answers. One of the four (a reason-only reply to "why did you take this
    # on?", no "I did" sentence) lands in "mixed"; lead-without-title is on the report split, so the
    # engine is not tuned to it.
    results = [fb(probe.strong.text, probe) for probe in LEAD.probes]
    assert sum(f.score >= STRONG and f.verdict == "strong" for f in results) >= 3, [f.score for f in results]
    assert min(f.score for f in results) >= 60


def test_a_reply_in_other_words_is_strong_without_copying_the_bank():
    f = fb(OWN_STRONG, ACCEPT_FIX)
    assert f.score >= STRONG and f.verdict == "strong", (f.score, codes(f))


def test_long_weak_replies_stay_weak_whatever_their_length():
    for text, probe in ((LONG_HANDOFF, ACCEPT_FIX), (LONG_SOMEBODY, WHY_YOU)):
        f = fb(text, probe)
        assert f.word_count >= 35
        assert f.score < 45 and f.verdict == "weak", (f.score, codes(f))
        assert codes(f) & {"handoff", "vague-result", "weak-pattern"}
        assert f.score < fb(OWN_STRONG, ACCEPT_FIX).score - 30


def test_weak_pattern_flag_quotes_the_reply_and_explains_with_the_bank():
    f = fb("Somebody had to do it, so I did.", WHY_YOU)
    flag = next(fl for fl in f.flags if fl.code == "weak-pattern")
    assert flag.evidence == "Somebody had to do it, so I did."
    assert WHY_YOU.weak.why in flag.message
    assert "they handled it" not in f.top_fix  # advice speaks to this reply, not a template


def test_without_the_model_replies_the_probe_question_alone_still_separates():
    # Every pair by 15+ points and 30 on average. One weak reply restates the metric the probe asks to go
    # beyond ("the error rate went down to zero"): a real figure and a reason, so only the probe's own words
    # and the strong reply's elements set it apart once the model replies are hidden.
    blank = ProbeAnswer(text="-", why="-")
    gaps = []
    for probe in LEAD.probes:
        bare = probe.model_copy(update={"strong": blank, "weak": blank})
        gaps.append(fb(probe.strong.text, bare).score - fb(probe.weak.text, bare).score)
    assert min(gaps) >= 15 and sum(gaps) / len(gaps) >= 30, gaps


def test_hypothetical_follow_up_accepts_would_and_past_perfect_is_not_hypothetical():
    q = BANK.question("ic-blocked-by-other-teams")
    what_if = next(p for p in q.probes if p.question.startswith("What would you have done"))
    f = fb(what_if.strong.text, what_if, q, "senior")  # "I'd have asked their lead ..."
    assert "hypothetical" not in codes(f) and f.verdict == "strong"
    done = fb("I'd asked her to grow her strongest tech lead from the start, so he became the team's manager "
              "the week she moved up. There was no regretted attrition on that team.", LEAD.probes[3])
    assert "hypothetical" not in codes(done)


# --- contract --------------------------------------------------------------------------------------


def test_probe_mode_contract():
    f = fb(ACCEPT_FIX.strong.text, ACCEPT_FIX)
    data = f.to_json()
    assert set(data["components"]) == set(PROBE_WEIGHTS) and sum(PROBE_WEIGHTS.values()) == 100
    assert sum(data["components"].values()) == data["score"]
    assert all(0 <= f.components[k] <= PROBE_WEIGHTS[k] for k in PROBE_WEIGHTS)
    assert 30 <= f.target_seconds <= 45
    assert all(p.target == 0 for p in f.parts)  # no STAR part timing expected
    assert [c.id for c in f.criteria] == [c.id for c in LEAD.criteria]  # the question's criteria, still quoted
    for quote in filter(None, [c.evidence for c in f.criteria] + [fl.evidence for fl in f.flags]):
        assert quote.rstrip("\u2026") in ACCEPT_FIX.strong.text
    assert f.verdict in VERDICTS


def test_probe_mode_without_question_and_empty_reply():
    f = fb(ACCEPT_FIX.strong.text, ACCEPT_FIX, question=None)
    assert sum(f.components.values()) == f.score and f.score >= STRONG
    empty = fb("  ", WHY_YOU)
    assert empty.score == 0 and empty.verdict == "not an answer" and set(empty.components) == set(PROBE_WEIGHTS)


def test_probe_mode_is_deterministic():
    for text in (OWN_STRONG, LONG_HANDOFF, ACCEPT_FIX.weak.text):
        assert fb(text, ACCEPT_FIX) == fb(text, ACCEPT_FIX)
        assert fb(text, ACCEPT_FIX).to_json() == fb(text, ACCEPT_FIX).to_json()


# --- probe mode off is unchanged -------------------------------------------------------------------

# Full-answer scores (question=LEAD and question=None) with the current weights.json; probe=None must give
# exactly these. Regenerate them when bench/train_feedback.py rewrites the weights.
PINNED = {
    ("STRONG_FULL", "sde2"): (95, 97), ("WEAK_FULL", "sde2"): (8, 22), ("WE_EVERYWHERE", "sde2"): (57, 63),
    ("GENERIC_LESSON", "sde2"): (41, 54), ("SETUP_HEAVY", "em"): (18, 25), ("BLAME", "sde2"): (24, 45),
    ("EM_SMALL", "em"): (51, 97), ("L7_BIG", "sde2"): (53, 98), ("HEDGED", "sde2"): (1, 12),
}


def test_probe_mode_off_keeps_full_answer_scores():
    answers = {"STRONG_FULL": STRONG_FULL, "WEAK_FULL": WEAK_FULL, "WE_EVERYWHERE": WE_EVERYWHERE,
               "GENERIC_LESSON": GENERIC_LESSON, "SETUP_HEAVY": SETUP_HEAVY, "BLAME": BLAME, "EM_SMALL": EM_SMALL,
               "L7_BIG": L7_BIG, "HEDGED": HEDGED}
    for (name, level), (with_q, without_q) in PINNED.items():
        lv = BANK.level(level)
        assert evaluate(answers[name], LEAD, lv).score == with_q, name
        assert evaluate(answers[name], None, lv).score == without_q, name
        assert evaluate(answers[name], LEAD, lv, probe=None) == evaluate(answers[name], LEAD, lv)
        assert set(evaluate(answers[name], LEAD, lv).components) == set(WEIGHTS)


def test_full_answer_judged_as_probe_reply_is_not_punished_for_missing_setup():
    # Probe mode never asks for STAR parts, so a good reply with no situation gets no structure flags.
    f = fb(ACCEPT_FIX.strong.text, ACCEPT_FIX)
    assert not codes(f) & {"missing-situation", "missing-result", "setup-heavy", "thin-action", "no-reflection"}


# --- the two small fixes -------------------------------------------------------------------------


def test_kind_of_and_sort_of_count_once_as_hedges():
    low = normalise("I kind of fixed it and it sort of worked.")
    assert S.fillers(low) == 0
    assert set(S.hedges(low)) == {"kind of", "sort of"}
    assert S.fillers(normalise("Um, I basically fixed it, you know.")) == 3


def test_customers_and_users_are_not_team_size():
    assert extract("about 2,000 people used the app daily and 3 million viewers watched").people == 0
    assert extract("a team of 6 engineers served 40,000 customers").people == 6
    assert extract("a group of 200 customers and 900 members a day").people == 0
    assert extract("the outage affected 50,000 people").people == 0
    for team in ("i led 40 people across three teams", "i managed 12 direct reports", "the 14 people on my team",
                 "a team of 9", "a 12-person team", "six team members"):
        assert extract(team).people > 0, team


def test_a_reply_that_names_no_cause_stays_vague_about_what_happened():
    """ "What did you rule out before you found the cause?" answered with "identified the root cause and implemented
    a fix" names neither; the same reply naming the cause and the change does not get the vague pattern."""
    dive = BANK.question("tj-root-cause-dive")
    probe = dive.probes[0]
    vague = ("I went through the logs for a few days, identified the root cause and implemented a fix, and then I "
             "deployed it to production the same week.")
    named = vague.replace("identified the root cause and implemented a fix",
                          "traced the timeouts to a connection pool capped at 10 connections, raised the cap")
    weak, strong = fb(vague, probe, dive, "senior"), fb(named, probe, dive, "senior")
    assert "stays vague about what happened" in next(f.message for f in weak.flags if f.code == "weak-pattern")
    assert "weak-pattern" not in codes(strong) and strong.score > weak.score + 20


def test_a_when_probe_answered_with_a_time_takes_the_probe_up():
    """ "About a week before the deadline, when it became clear ..." answers "When exactly did you realise you were
    behind?" (late, so weak), and was flagged as not taking up the follow-up at all. A reply about something else
    still is."""
    q = BANK.questions["od-behind-schedule"]
    probe = next(p for p in q.probes if p.question.startswith("When exactly"))
    lv = BANK.level("senior")
    late = evaluate("About a week before the release, once the open tickets made it obvious we would not finish.",
                    q, lv, probe=probe)
    assert "off-probe" not in {f.code for f in late.flags} and late.verdict != "strong"
    elsewhere = evaluate("The new schema for the orders table used three indexes and a partial view.", q, lv,
                         probe=probe)
    assert {"off-probe", "off-topic"} & {f.code for f in elsewhere.flags}


def test_declining_to_name_a_change_is_a_deflection():
    """ "I don't think I'd change anything" to "What would you do differently ...?" scored 71 with no flag."""
    q = BANK.questions["pl-develop-leaders"]
    probe = next(p for p in q.probes if "differently" in p.question)
    lv = BANK.level("senior")
    for reply in ("I don't think I would change anything, since both leads are doing well in their roles now.",
                  "Honestly I wouldn't change a thing: the team hit its dates and nobody left that year."):
        f = evaluate(reply, q, lv, probe=probe)
        assert {"weak-pattern", "vague-result"} & {fl.code for fl in f.flags} and f.verdict != "strong", reply
    named = evaluate("I'd give each engineer who was not chosen a stretch project with a date, the same month, "
                     "because the one who left had a reason but no next step.", q, lv, probe=probe)
    assert not {"weak-pattern", "vague-result"} & {fl.code for fl in named.flags}


def test_a_vague_reply_is_vague_not_about_something_else_and_no_flag_repeats_another():
    """ "It was fine." to a follow-up had been told "This reply is about something else", then "Does not take up the
    follow-up", then both "stays vague" and "A feeling, not what happened": four bullets, two claims each said twice."""
    lv = BANK.level("senior")
    fine = evaluate("It was fine.", LEAD, lv, probe=ACCEPT_FIX)
    fine_codes = [f.code for f in fine.flags]
    assert "off-topic" not in fine_codes and "off-probe" in fine_codes and "vague-result" in fine_codes
    assert fine.verdict == "weak"
    obstacle = LEAD.probes[1]  # "What got in the way ...": its weak reply stays vague, so the pattern flag says it
    again = [f.code for f in evaluate("It was fine.", LEAD, lv, probe=obstacle).flags]
    assert "weak-pattern" in again and "vague-result" not in again
    pizza = [f.code for f in evaluate("I ate pizza.", LEAD, lv, probe=ACCEPT_FIX).flags]
    assert "off-topic" in pizza and "off-probe" not in pizza


def test_telling_the_people_who_depend_on_a_date_is_no_hand_off():
    """ "I told my manager and the partner team the same day" answers "what did you do that day?" and had been flagged
    "The work passes to someone else"; asking the manager to sort it out still is a hand-off."""
    q = BANK.questions["od-missed-deadline"]
    probe = next(p for p in q.probes if p.question.startswith("When did you first know"))
    lv = BANK.level("senior")
    told = evaluate("I told my manager and the partner team the same day I knew, about three weeks before the date, "
                    "and gave them a new date with two checkpoints.", q, lv, probe=probe)
    assert "handoff" not in {f.code for f in told.flags}
    passed = evaluate("I asked my manager to sort it out with the partner team, and she handled it from there.", q,
                      lv, probe=probe)
    assert "handoff" in {f.code for f in passed.flags} and passed.score < told.score


def test_the_employers_headcount_is_not_the_storys_group():
    """ "My previous company, a mid-sized fintech, about 400 people" had read as a group of 400 ("Reads above Staff
    engineer"); the organisation the speaker ran, or their team inside the company, still counts."""
    assert extract("at my previous company, a mid-sized fintech, about 400 people, we had a platform team").people == 0
    assert extract("i joined a startup of 30 people as its first engineer").people == 0
    assert extract("i worked at a 400-person company and led a team of 6 engineers").people == 6
    assert extract("i ran engineering at a logistics company, 110 engineers in nine teams").people == 110
    assert extract("the company had 14 engineers on my team").people == 14


def test_a_reply_that_opens_by_denying_the_follow_ups_premise_is_a_deflection():
    """ "Nothing really, it was a clear win" to "What would you do differently?" scored 47 ("mixed"): a follow-up that
    asks what went wrong or what to change always has an answer. A bare "No, because ..." is an answer."""
    q = BANK.questions["tj-simplify-process"]
    probe = next(p for p in q.probes if p.question.startswith("What would you do differently"))
    lv = BANK.level(q.levels[0])
    denied = evaluate("Nothing really, it was a clear win and everyone uses it now. Maybe I would have done it sooner "
                      "if I had thought of it.", q, lv, probe=probe)
    assert "deflection" in {f.code for f in denied.flags} and denied.verdict == "weak", denied.score
    assert denied.top_fix.startswith("Name the one thing, however small")
    named = evaluate("I would have shown the first draft to the support leads in week one, because two of their "
                     "steps were missing until the pilot; now I share a draft within the first week.", q, lv, probe=probe)
    assert "deflection" not in {f.code for f in named.flags} and named.score > denied.score + 30
    pushback = LEAD.probes[1]
    no_because = evaluate("No, because I had brought their lead the logs and a tested patch before anyone could object.",
                          LEAD, BANK.level("senior"), probe=pushback)
    assert "deflection" not in {f.code for f in no_because.flags}
    # "Did anyone push back ...?" is answered by "Not really, because ...": a yes/no follow-up is not denied by it
    controls = BANK.questions["od-quality-while-moving-fast"]
    yes_no = next(p for p in controls.probes if p.question.startswith("Did anyone push back"))
    not_really = evaluate("Not really, because I had walked every team lead through the release controls a week before "
                          "the rollout, so their objections came early.", controls, BANK.level("senior"), probe=yes_no)
    assert "deflection" not in {f.code for f in not_really.flags}
