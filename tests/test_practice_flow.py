"""Private practice: question -> answer -> feedback -> probe -> reply -> feedback ... -> summary."""

from __future__ import annotations

from stardrill.messages import PRACTICE_NEXT, PRACTICE_STOP, RETRY
from tests.chat import STRONG, Member, button, messages


def test_full_chain_ends_in_a_summary(app, bank):
    ana = Member(app, "ana")
    start = messages(ana.command("practice", "lead-without-title"), "practice")[0]
    assert start.target.direct_to == "ana"
    question = bank.question("lead-without-title")
    out = ana.say(STRONG, direct=True)
    assert [m.kind for m in messages(out)] == ["feedback", "probe"]
    assert question.probes[0].question in messages(out, "probe")[0].text
    for i in range(1, len(question.probes)):
        out = ana.say("I brought a tested fix and numbers on lost revenue to their lead.", direct=True)
        assert question.probes[i].question in messages(out, "probe")[0].text
    out = ana.say("I asked finance for the revenue estimate: about $8K a week.", direct=True)
    summary = messages(out, "practice")[-1]
    assert summary.text == "Practice summary"
    assert f"Probe replies: {len(question.probes)} of {len(question.probes)}" in summary.sections[0].body
    assert {b.action for b in summary.buttons} == {RETRY, PRACTICE_NEXT, PRACTICE_STOP}
    rows = app.store.rows("SELECT probe_index FROM answers WHERE user_id = 'ana' ORDER BY id")
    assert [r["probe_index"] for r in rows] == [None, *range(len(question.probes))]
    assert not app.in_practice("console", "ana")


def test_another_question_does_not_repeat(app):
    ana = Member(app, "ana")
    first = messages(ana.command("practice", "ownership"), "practice")[0]
    session = app.store.row("SELECT id, question_id FROM sessions")
    stop = messages(ana.press(PRACTICE_STOP, str(session["id"])))
    assert "stopped" in stop[0].text
    nxt = messages(ana.press(PRACTICE_NEXT, str(session["id"])), "practice")[0]
    assert nxt.text != first.text
    ids = [r["question_id"] for r in app.store.rows("SELECT question_id FROM sessions ORDER BY id")]
    assert len(set(ids)) == 2


def test_filters_and_unknown_words(app, bank):
    ana = Member(app, "ana")
    ana.command("practice", "em")
    qid = app.store.row("SELECT question_id, level FROM sessions")
    assert "em" in bank.question(qid["question_id"]).levels and qid["level"] == "em"
    error = messages(Member(app, "bo").command("practice", "astrology"), "error")[0]
    assert "'astrology' is not a level, competency or question id" in error.text


def test_direct_message_without_practice_explains_how_to_start(app):
    out = messages(Member(app, "ana").say("hello?", direct=True))
    assert "/practice" in out[0].text
    assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 0


def test_someone_elses_session_buttons_are_refused(app):
    Member(app, "ana").command("practice", "")
    session_id = str(app.store.row("SELECT id FROM sessions")["id"])
    out = messages(Member(app, "bo").press(PRACTICE_STOP, session_id), "error")
    assert out and "not yours" in out[0].text
    assert app.in_practice("console", "ana")


def test_quiz_mode_asks_scores_and_moves_on(app, bank):
    from stardrill.messages import QUIZ, QUIZ_NEXT

    ana = Member(app, "ana")
    ask = messages(ana.command("practice", "quiz ownership"), "quiz")[0]
    question_id, index, _ = ask.buttons[0].value.split("|")
    item = bank.question(question_id).quiz[int(index)]
    assert "ownership" in bank.question(question_id).competencies and ask.sections[0].body == item.question
    wrong = next(b for b in ask.buttons if b.value.endswith(f"|{(item.answer + 1) % len(item.options)}"))
    reply = messages(ana.press(QUIZ, wrong.value), "quiz")[0]
    assert reply.text.startswith("Not quite") and item.why in reply.sections[1].body
    right = next(b for b in ask.buttons if b.value.endswith(f"|{item.answer}"))
    assert messages(ana.press(QUIZ, right.value), "quiz")[0].text == "Right."
    rows = app.store.rows("SELECT correct FROM quiz_attempts ORDER BY id")
    assert [r["correct"] for r in rows] == [0, 1]
    following = messages(ana.press(QUIZ_NEXT, ""), "quiz")[0]
    assert following.buttons[0].value != ask.buttons[0].value
    assert messages(ana.command("practice", "quiz astrology"), "error")


def test_practice_serves_the_members_level(app, bank):
    """Six practices in a row for an SDE1 member: every question is one that serves SDE1."""
    ana = Member(app, "ana")
    ana.command("stardrill", "level sde1")
    for _ in range(6):
        messages(ana.command("practice"), "practice")
        session = app.store.row("SELECT id, question_id FROM sessions ORDER BY id DESC LIMIT 1")
        ana.press(PRACTICE_STOP, str(session["id"]))
    ids = [r["question_id"] for r in app.store.rows("SELECT question_id FROM sessions ORDER BY id")]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert [qid for qid in ids if "sde1" not in bank.question(qid).levels] == []


def test_the_daily_question_serves_the_default_level(app, bank):
    from stardrill import daily

    asked = []
    for day in range(1, 6):
        message = daily.claim_question(app, "console", "team", local_date=f"2026-01-0{day}")
        asked.append(app.store.row("SELECT question_id FROM posts ORDER BY id DESC LIMIT 1")["question_id"])
        assert message is not None
    assert [qid for qid in asked if app.default_level not in bank.question(qid).levels] == []


def test_quiz_options_are_shuffled_per_member_and_stable(bank):
    from collections import Counter

    from stardrill.quiz import option_order

    items = [(q.id, i, item) for q in bank.questions.values() for i, item in enumerate(q.quiz)]
    assert option_order("slack:U1", "q", 0, 4) == option_order("slack:U1", "q", 0, 4)  # same member, same order
    orders = {tuple(option_order(f"slack:U{n}", "q", 0, 4)) for n in range(30)}
    assert len(orders) >= 10  # members see different orders
    shown_at = Counter(option_order("slack:U1", qid, i, len(item.options)).index(item.answer) for qid, i, item in items)
    for position in range(4):  # where the right option is shown is spread evenly, whatever the authors did
        assert shown_at[position] >= 0.15 * len(items), shown_at


def test_a_practice_left_open_is_named_when_the_next_one_starts(app, bank):
    ana = Member(app, "ana")
    ana.command("practice", "lead-without-title")
    ana.say(STRONG, direct=True)  # answered, then left in the middle of the probes
    start = messages(ana.command("practice", "ownership"), "practice")[0]
    note = next(s for s in start.sections if s.title == "Your previous practice")
    assert bank.question("lead-without-title").text in note.body and "1 answer" in note.body
    assert app.store.row("SELECT COUNT(*) AS n FROM sessions WHERE state != 'done'")["n"] == 1
