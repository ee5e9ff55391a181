"""Forget-me deletes one member's practice data and nothing else; only that member can confirm it."""

from __future__ import annotations

from stardrill.messages import FORGET_CONFIRM, QUIZ, REVIEW_SUBMIT
from tests.chat import WEAK, Member, button, messages
from tests.test_progress_stories import post_and_answer

TABLES = ("answers", "feedback", "reviews", "sessions", "stories", "quiz_attempts", "users", "posts", "channels")


def snapshot(app) -> dict[str, list]:
    return {t: sorted(app.store.rows(f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def review(app, reviewer: str, answer_id: int) -> None:
    question = app.store.row("SELECT question_id FROM answers WHERE id = ?", (answer_id,))["question_id"]
    ratings = {c.id: "met" for c in app.bank.question(question).criteria}
    Member(app, reviewer).submit(REVIEW_SUBMIT, str(answer_id), ratings)


def build_team(app, clock) -> dict:
    thread, ana_answer = post_and_answer(app, clock, 0, "od-production-incident", "ana")
    Member(app, "bo").say(WEAK, thread=thread)
    bo_answer = app.store.row("SELECT MAX(id) AS id FROM answers WHERE user_id = 'bo'")["id"]
    review(app, "bo", ana_answer)  # on ana's answer: goes with it
    review(app, "ana", bo_answer)  # by ana on bo's answer: stays
    Member(app, "ana").command("stardrill", "story outage", thread=thread)
    Member(app, "ana").command("practice", "lead-without-title")
    Member(app, "ana").say(WEAK, direct=True)
    Member(app, "bo").command("practice", "lead-without-title")
    for who in ("ana", "bo"):
        quiz = Member(app, who).command("practice", "quiz")[0]
        Member(app, who).press(QUIZ, quiz.buttons[0].value)
    return {"ana_answer": ana_answer, "bo_answer": bo_answer}


def test_forget_me_removes_everything_of_that_member_and_nothing_else(app, clock):
    ids = build_team(app, clock)
    out = Member(app, "ana").command("stardrill", "forget-me")
    confirm = button(out[0], FORGET_CONFIRM)
    assert out[0].target.private_to == "ana" and confirm.value == "ana"
    before = snapshot(app)
    assert before["stories"] and [r for r in before["reviews"] if r["answer_id"] == ids["ana_answer"]]
    done = Member(app, "ana").press(FORGET_CONFIRM, confirm.value)
    assert "deleted" in done[0].text and done[0].target.private_to == "ana"
    after = snapshot(app)
    assert [r for r in after["answers"] if r["user_id"] == "ana"] == []
    assert [r for r in after["sessions"] if r["user_id"] == "ana"] == []
    assert [r["user_id"] for r in before["quiz_attempts"]] == ["ana", "bo"]
    assert [r["user_id"] for r in after["quiz_attempts"]] == ["bo"]
    assert after["stories"] == [] and [r for r in after["reviews"] if r["answer_id"] == ids["ana_answer"]] == []
    ana_answers = {r["id"] for r in before["answers"] if r["user_id"] == "ana"}
    assert {r["answer_id"] for r in after["feedback"]} & ana_answers == set()
    # nothing else: bo's rows, ana's review of bo, users, posts and channels are untouched
    keep = lambda rows, key: [r for r in rows if r.get(key) != "ana"]  # noqa: E731
    assert after["answers"] == keep(before["answers"], "user_id")
    assert after["sessions"] == keep(before["sessions"], "user_id")
    assert after["reviews"] == [r for r in before["reviews"] if r["answer_id"] != ids["ana_answer"]]
    assert any(r["reviewer_id"] == "ana" for r in after["reviews"])
    assert [r for r in after["feedback"] if r["answer_id"] == ids["bo_answer"]]
    for table in ("users", "posts", "channels"):
        assert after[table] == before[table]


def test_only_the_member_can_confirm_their_own_forget(app, clock):
    build_team(app, clock)
    before = snapshot(app)
    refused = Member(app, "bo").press(FORGET_CONFIRM, "ana")
    assert messages(refused, "error") and "Only the member who asked" in refused[0].text
    assert snapshot(app) == before


def test_privacy_switch_is_stored_and_checked(app):
    ana = Member(app, "ana")
    assert "never name you" in ana.command("stardrill", "privacy on")[0].text
    assert app.store.row("SELECT digest_opt_out FROM users WHERE user_id = 'ana'")["digest_opt_out"] == 1
    ana.command("stardrill", "privacy off")
    assert app.store.row("SELECT digest_opt_out FROM users WHERE user_id = 'ana'")["digest_opt_out"] == 0
    assert "Usage: /stardrill privacy on|off" in messages(ana.command("stardrill", "privacy maybe"), "error")[0].text
