"""Team views: weekly digest (opt-in), participation leaderboard (opt-in), wrap-up misses; never scores, never opted-out names."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone

from stardrill.adapters.console.adapter import ConsoleAdapter
from stardrill.progress.digest import build_digest
from tests.chat import STRONG, WEAK, Member, deliver, messages
from tests.test_progress_privacy import review
from tests.test_progress_stories import post_and_answer

WEEK_END = date(2026, 3, 8)  # Sunday; the week is Mon 2 .. Sun 8 March


def everything(message) -> str:
    return message.text + "\n" + "\n".join(f"{s.title}\n{s.body}" for s in message.sections)


def busy_week(app, clock) -> None:
    Member(app, "bo").command("stardrill", "privacy on")
    thread, _ = post_and_answer(app, clock, -7, "od-production-incident", "ana")  # last week: weak answers
    Member(app, "bo").say(WEAK, thread=thread)
    for day, question in ((0, "od-wrong-technical-approach"), (2, "ic-disagree-with-manager")):
        thread, answer_id = post_and_answer(app, clock, day, question, "ana")
        Member(app, "bo").say(STRONG, thread=thread)
        Member(app, "cy").say(STRONG, thread=thread)
        if day == 2:
            review(app, "cy", answer_id)
            review(app, "bo", answer_id)


def test_digest_is_opt_in_and_reports_participation_improvement_and_discussion(app, clock):
    busy_week(app, clock)
    assert build_digest(app, "console", "team", WEEK_END) is None  # the channel has not opted in
    Member(app, "lead").command("stardrill", "digest on")
    digest = build_digest(app, "console", "team", WEEK_END)
    text = everything(digest)
    assert "6 answer(s) from 3 member(s) over 2 day(s)" in text
    assert "Ana" in text and "Cy" in text
    assert app.bank.question("ic-disagree-with-manager").text + " — 2 peer review(s)" in text
    assert "Most improved" in text and "up from 50% last week" in text  # last week bo answered weakly
    assert "/100" not in text and "score" not in text.lower().replace("not scores", "")
    assert build_digest(app, "console", "team", date(2026, 4, 30)) is None  # a quiet week posts nothing


def test_digest_and_leaderboard_never_show_an_opted_out_member(app, clock):
    busy_week(app, clock)
    lead = Member(app, "lead")
    lead.command("stardrill", "digest on")
    lead.command("stardrill", "leaderboard on")
    digest = build_digest(app, "console", "team", WEEK_END)
    text = everything(digest)
    assert "Participation board" in text and "Ana: 2 answer(s) on 2 day(s)" in text
    assert "Bo" not in text and "bo" not in text.split("Participation board")[1]
    assert "and 1 more" in text  # bo still counts, anonymously


def test_leaderboard_exists_only_when_an_admin_enables_it(app, clock):
    busy_week(app, clock)
    ana = Member(app, "ana", admin=False)
    assert "no leaderboard" in messages(ana.command("stardrill", "leaderboard"), "error")[0].text
    assert "Only channel admins" in messages(ana.command("stardrill", "leaderboard on"), "error")[0].text
    Member(app, "lead").command("stardrill", "leaderboard on")
    out = ana.command("stardrill", "leaderboard")
    assert out[0].target.private_to == "ana" and "answer(s) on" in out[0].sections[0].body
    digest = build_digest(app, "console", "team", WEEK_END, force=True)
    assert "/100" not in everything(digest)


def test_digest_now_posts_in_the_channel_and_is_admin_only(app, clock):
    busy_week(app, clock)
    assert messages(Member(app, "ana", admin=False).command("stardrill", "digest now"), "error")
    clock.set(datetime(2026, 3, 8, 18, tzinfo=timezone.utc))
    out = io.StringIO()
    ConsoleAdapter(app, io.StringIO("/stardrill digest now\n"), out, user="lead").run()
    text = out.getvalue()
    assert "Weekly digest, 2026-03-02 to 2026-03-08" in text and "── stardrill · #team ──" in text
    assert "Thanks for answering: Ana, Cy and 1 more." in text


def test_wrap_up_names_the_most_missed_criteria_without_names_or_scores(app, clock):
    lead = Member(app, "lead")
    thread = deliver(app, lead.command("stardrill", "now"))[0]
    Member(app, "ana").say(WEAK, thread=thread)
    Member(app, "bo").say(WEAK, thread=thread)
    wrap = messages(lead.command("stardrill", "wrapup"), "wrapup")[0]
    missed = next(s for s in wrap.sections if s.title == "What the team most often missed")
    assert "missed in 2 of 2 answers" in missed.body
    assert "Ana" not in everything(wrap) and "/100" not in everything(wrap)


def test_most_missed_lists_only_the_questions_criteria_ties_in_the_questions_order(app, bank):
    lead = Member(app, "lead")
    thread = deliver(app, lead.command("stardrill", "now"))[0]
    for name in ("ana", "bo"):
        Member(app, name).say(WEAK, thread=thread)
    question = bank.question(app.store.row("SELECT question_id FROM posts")["question_id"])
    wrap = messages(lead.command("stardrill", "wrapup"), "wrapup")[0]
    missed = next(s for s in wrap.sections if s.title == "What the team most often missed")
    labels = [line.removeprefix("• ").split(": missed in")[0] for line in missed.body.splitlines()]
    order = [c.label for c in question.criteria]
    assert labels and set(labels) <= set(order)
    counts = [int(line.split("missed in ")[1].split(" of")[0]) for line in missed.body.splitlines()]
    ranked = sorted(zip(counts, labels), key=lambda item: (-item[0], order.index(item[1])))
    assert list(zip(counts, labels)) == ranked
