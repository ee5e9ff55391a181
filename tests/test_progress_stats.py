"""Stats, history and interview prep as a member sees them: console adapter and the `stardrill` CLI."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

from stardrill.adapters.console.adapter import ConsoleAdapter
from tests.chat import STRONG, WEAK, Member, messages
from tests.test_console_e2e import stardrill
from tests.test_progress_stories import post_and_answer


def console(app, script: str, user: str = "ana") -> str:
    out = io.StringIO()
    ConsoleAdapter(app, io.StringIO(script), out, user=user).run()
    return out.getvalue()


def practise(app, clock, day: int, text: str, question: str = "lead-without-title", user: str = "ana") -> None:
    clock.set(datetime(2026, 3, 2, 9, tzinfo=timezone.utc) + timedelta(days=day))
    Member(app, user).command("practice", question)
    Member(app, user).say(text, direct=True)


def test_stats_show_answers_streak_trend_coverage_and_timing(app, clock):
    for day, text in enumerate((WEAK, WEAK, STRONG, STRONG)):
        practise(app, clock, day, text)
    text = console(app, "/stardrill stats\n")
    assert "Your progress: 4 answer(s); streak 4 day(s) (longest 4)." in text
    assert "Your last 4 answer(s), per criterion" in text
    assert "Quantified impact: met in 2 of 4 — improving" in text
    assert "Leadership Principles practised: 2 of 16 (Customer Obsession, Ownership)" in text
    assert "Never practised yet: Invent and Simplify" in text and "Other competencies practised: 1 of 26" in text
    assert "Speaking time" in text and "target" in text
    assert "(only ana sees this)" in text


def test_stats_say_when_the_trend_mixes_feedback_engines_until_rescored(app, clock):
    from stardrill.rescore import rescore

    for day, text in enumerate((WEAK, STRONG, STRONG)):
        practise(app, clock, day, text)
    assert "earlier version of the feedback" not in console(app, "/stardrill stats\n")
    oldest = app.store.row("SELECT answer_id, body FROM feedback ORDER BY answer_id")
    body = {**json.loads(oldest["body"]), "engine": "0ld0ld0ld0ld"}
    with app.store.write():
        app.store.execute("UPDATE feedback SET body = ? WHERE answer_id = ?", (json.dumps(body), oldest["answer_id"]))
    assert "1 of these were judged by an earlier version of the feedback" in console(app, "/stardrill stats\n")
    rescore(app)
    assert "earlier version of the feedback" not in console(app, "/stardrill stats\n")


def test_stats_are_per_member_and_private(app, clock):
    practise(app, clock, 0, STRONG)
    text = console(app, "/stardrill stats\n", user="bo")
    assert "No answers yet" in text and "(only bo sees this)" in text


def test_history_lists_answers_and_reopens_one_in_full(app, clock):
    practise(app, clock, 0, WEAK)
    thread, answer_id = post_and_answer(app, clock, 1, "od-production-incident")
    listing = console(app, "/stardrill history\n")
    assert f"#{answer_id} · 2026-03-03 · " in listing and "Top fix:" in listing
    assert listing.index(f"#{answer_id}") < listing.index(f"#{answer_id - 1}")  # newest first
    full = console(app, f"/stardrill history {answer_id}\n")
    assert "Scorecard" in full and "nobody asked me to look" in full and "The one fix that would lift this most" in full
    assert "not one of yours" in console(app, f"/stardrill history {answer_id}\n", user="bo")


def test_history_shows_the_feedback_as_stored(app, clock):
    practise(app, clock, 0, STRONG)
    answer_id = app.store.row("SELECT id FROM answers")["id"]
    body = json.loads(app.store.row("SELECT body FROM feedback WHERE answer_id = ?", (answer_id,))["body"])
    app.store.execute("UPDATE feedback SET body = ? WHERE answer_id = ?", (json.dumps({**body, "top_fix": "THE STORED FIX"}), answer_id))
    assert "THE STORED FIX" in console(app, f"/stardrill history {answer_id}\n")


def test_prep_validates_the_date_and_drives_a_plan(app, clock):
    ana = Member(app, "ana")
    assert "is in the past" in messages(ana.command("stardrill", "prep 2026-03-01"), "error")[0].text
    assert "not a date" in messages(ana.command("stardrill", "prep 2026-13-01"), "error")[0].text
    assert "not a date" in messages(ana.command("stardrill", "prep next-week"), "error")[0].text
    assert "not a level" in messages(ana.command("stardrill", "prep 2026-03-20 wizard"), "error")[0].text
    reply = ana.command("stardrill", "prep 2026-03-14 em")[0]
    assert "Your interview is in 12 day(s) (2026-03-14) at" in reply.text and "practice questions a day" in reply.text
    assert reply.target.private_to == "ana"
    practice = messages(ana.command("practice"), "practice")[0]
    assert "em" in app.bank.questions[app.store.row("SELECT question_id FROM sessions")["question_id"]].levels
    assert any(s.title == "Interview prep" for s in practice.sections)
    clock.set(datetime(2026, 3, 4, 9, tzinfo=timezone.utc))
    assert "Your interview is in 10 day(s)" in console(app, "/stardrill stats\n")
    ana.command("stardrill", "prep off")
    assert "Interview prep" not in console(app, "/stardrill stats\n")


def test_stats_and_history_from_the_command_line(tmp_path):
    db = tmp_path / "cli.db"
    run = stardrill("practice", "--question", "lead-without-title", "--user", "kim", stdin=f"{STRONG}\n.\n", db=db)
    assert run.returncode == 0, run.stderr.decode()
    stats = stardrill("stats", "--user", "console:kim", db=db)
    out = stats.stdout.decode()
    assert stats.returncode == 0, stats.stderr.decode()
    assert "Your progress: 1 answer(s); streak 1 day(s)" in out and "per criterion" in out
    history = stardrill("history", "--user", "console:kim", db=db)
    assert "#1 · " in history.stdout.decode()
    full = stardrill("history", "--user", "console:kim", "--answer", "1", db=db)
    assert "Scorecard" in full.stdout.decode()
    missing = stardrill("history", "--user", "console:kim", "--answer", "99", db=db)
    assert missing.returncode == 2 and missing.stderr.decode().startswith("error: answer 99 is not one of console:kim's")
    bad = stardrill("stats", "--user", "slack:", db=db)
    assert bad.returncode == 2 and "PLATFORM:USER" in bad.stderr.decode()


def test_history_of_a_probe_reply_shows_the_probe_feedback_the_member_saw(app, clock, bank):
    practise(app, clock, 0, STRONG)
    Member(app, "ana").say("I took their lead a tested fix and the revenue numbers.", direct=True)
    probe_id = app.store.row("SELECT id FROM answers WHERE probe_index = 0")["id"]
    text = console(app, f"/stardrill history {probe_id}\n")
    assert bank.question("lead-without-title").probes[0].question in text
    assert "What your reply shows" in text and "A weak reply to this probe" in text
    assert "Scorecard" not in text


def test_history_of_an_answer_shows_its_peer_review_comments(app, clock):
    from stardrill.messages import REVIEW_SUBMIT

    thread, answer_id = post_and_answer(app, clock, 0, "lead-without-title")
    question = app.bank.question(app.store.row("SELECT question_id FROM answers")["question_id"])
    ratings = {c.id: "met" for c in question.criteria}
    Member(app, "bo").submit(REVIEW_SUBMIT, str(answer_id), {**ratings, "comment": "Lead with the $8K"}, thread=thread)
    text = console(app, f"/stardrill history {answer_id}\n")
    assert "Peer reviews (1)" in text and "Lead with the $8K" in text


def test_speaking_time_shows_the_spread_not_just_an_average(app, clock):
    from stardrill.render import seconds_label

    for day, text in enumerate((" ".join([STRONG] * 4), STRONG, "I fixed the build myself.")):
        practise(app, clock, day, text)
    bodies = [json.loads(r["body"]) for r in app.store.rows("SELECT body FROM feedback")]
    seconds = sorted(b["estimated_seconds"] for b in bodies)
    text = console(app, "/stardrill stats\n")
    line = text.split("Speaking time", 1)[1].split("\n", 2)[1]
    assert seconds_label(seconds[0]) in line and seconds_label(seconds[-1]) in line
    assert "of 3 within" in line and "on average" not in line
