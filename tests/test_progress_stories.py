"""Story portfolio: tag answers as named stories; stats shows their principles and warns past three."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

from stardrill.adapters.console.adapter import ConsoleAdapter
from stardrill.content_models import LEADERSHIP_PRINCIPLES
from tests.chat import STRONG, Member, deliver, messages

QUESTIONS = ["od-production-incident", "od-wrong-technical-approach", "ic-disagree-with-manager"]


def post_and_answer(app, clock, day: int, question: str, user: str = "ana") -> tuple[str, int]:
    """Post `question` as the channel's question on day `day` and answer it; returns (thread, answer id)."""
    from stardrill import daily

    clock.set(datetime(2026, 3, 2, 9, tzinfo=timezone.utc) + timedelta(days=day))
    post_id = app.store.execute(
        "INSERT INTO posts (platform, channel_id, local_date, slot, question_id, claimed_at) VALUES (?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        ("console", "team", app.local_date("console", "team"), "daily", question, app.stamp()),
    ).fetchone()[0]
    message = daily.question_message(app, "console", "team", post_id, app.bank.question(question), blind=False)
    thread = deliver(app, [message])[0]
    Member(app, user).say(STRONG, thread=thread)
    answer_id = app.store.row("SELECT MAX(id) AS id FROM answers WHERE user_id = ?", (user,))["id"]
    return thread, answer_id


def principles(app, question_ids) -> set[str]:
    return {c for q in question_ids for c in app.bank.question(q).competencies if c in LEADERSHIP_PRINCIPLES}


def test_tag_in_thread_tags_the_latest_answer_there(app, clock):
    thread, answer_id = post_and_answer(app, clock, 0, QUESTIONS[0])
    out = Member(app, "ana").command("stardrill", "story webhook retry", thread=thread)
    assert "Answer %d is now part of your story 'webhook retry'" % answer_id in out[0].text
    assert out[0].target.private_to == "ana"
    assert app.store.row("SELECT answer_id, name FROM stories") == {"answer_id": answer_id, "name": "webhook retry"}


def test_overused_story_warns_in_stats(app, clock):
    ids = [post_and_answer(app, clock, day, q)[1] for day, q in enumerate(QUESTIONS)]
    assert len(principles(app, QUESTIONS)) > 3
    ana = Member(app, "ana")
    for answer_id in ids[:1]:
        ana.command("stardrill", f"story outage {answer_id}")
    out = io.StringIO()
    ConsoleAdapter(app, io.StringIO("/stardrill stats\n"), out, user="ana").run()
    assert "• outage: " in out.getvalue() and "Warning" not in out.getvalue()
    for answer_id in ids[1:]:
        ana.command("stardrill", f"story outage {answer_id}")
    out = io.StringIO()
    ConsoleAdapter(app, io.StringIO("/stardrill stats\n"), out, user="ana").run()
    text = out.getvalue()
    assert f"Warning: 'outage' carries {len(principles(app, QUESTIONS))} principles" in text
    for principle in principles(app, QUESTIONS):
        assert LEADERSHIP_PRINCIPLES[principle] in text.split("Your stories", 1)[1]


def test_retagging_renames_and_mistakes_get_clear_messages(app, clock):
    thread, answer_id = post_and_answer(app, clock, 0, QUESTIONS[0])
    _, other_id = post_and_answer(app, clock, 1, QUESTIONS[1], user="bo")
    ana = Member(app, "ana")
    ana.command("stardrill", f"story first {answer_id}")
    ana.command("stardrill", f"story second {answer_id}")
    assert [r["name"] for r in app.store.rows("SELECT name FROM stories")] == ["second"]
    assert "not one of your answers" in messages(ana.command("stardrill", f"story mine {other_id}"), "error")[0].text
    assert "in the thread where you answered" in messages(ana.command("stardrill", "story lonely"), "error")[0].text
    assert "Usage: /stardrill story NAME" in messages(ana.command("stardrill", "story", thread=thread), "error")[0].text
