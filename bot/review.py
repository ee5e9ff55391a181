"""Peer review: members other than the author rate an answer against the question's criteria."""

from __future__ import annotations

from stardrill import blind, render
from stardrill.messages import REVIEW, REVIEW_SUBMIT, Button, Choice, Message, Modal, Outbound, Section, Target, TextInput
from stardrill.store import records
from stardrill.ids import is_row_id, row_id

STATUSES = ("met", "partly", "missing")
COMMENT = "comment"
MAX_COMMENT = 1000
MAX_SHOWN = 2500  # of the answer, in the form (Slack sections hold 3,000 characters)


def open_form(app, event, answer_id: str) -> list[Outbound]:
    answer = _answer(app, answer_id)
    if answer is None:
        return [app.private(event, "That answer no longer exists, so it cannot be reviewed.", kind="error")]
    if _is_author(answer, event.actor):
        return [app.private(event, "You can't review your own answer. Ask a teammate to press 'Review this answer'.", kind="error")]
    if blind.sealed(app, answer):
        return [app.private(event, f"{blind.NOT_YET} Review it after the reveal.", kind="error")]
    question = app.bank.question(answer["question_id"])
    fields = tuple(Choice(c.id, c.label, STATUSES) for c in question.criteria)
    fields += (TextInput(COMMENT, "Comment", required=False, max_length=MAX_COMMENT),)  # adapters mark it optional
    who = _author_name(app, answer)
    words = answer["text"] if len(answer["text"]) <= MAX_SHOWN else answer["text"][:MAX_SHOWN] + " […]"
    # No possessive: a member may be called "you" (the console's own) or have a name ending in s.
    intro = f"Rate this answer from {who}.\nThe question: {question.text}\n\n{words}"
    target = Target(event.actor.platform, event.where.channel, event.where.thread, private_to=event.actor.user_id)
    return [Modal(event.actor.user_id, "Review this answer", REVIEW_SUBMIT, str(answer["id"]), fields, intro, target)]


PICKER_MAX = 5  # buttons in one private reply (one Slack actions block, one Discord row)


def picker(app, event) -> list[Outbound]:
    """`/review` with no id outside a thread: teammates' answers to the channel's latest question, one button each."""
    post = records.latest_post(app.store, event.actor.platform, event.where.channel)
    if post is None or not post["thread_id"]:
        return [app.private(event, "No question has been posted in this channel yet, so there is nothing to review. "
                            "Usage: /review ANSWER_ID, or press 'Review this answer' under an answer.", kind="error")]
    rows = app.store.rows(
        "SELECT a.id, COALESCE(NULLIF(u.name, ''), a.user_id) AS name FROM answers a "
        "LEFT JOIN users u ON u.platform = a.platform AND u.user_id = a.user_id "
        "WHERE a.post_id = ? AND a.probe_index IS NULL AND (a.hidden = 0 OR ? = 'wrapped') AND NOT (a.platform = ? AND a.user_id = ?) "
        "ORDER BY a.id DESC LIMIT ?",
        (post["id"], post["status"], event.actor.platform, event.actor.user_id, PICKER_MAX),
    )
    question = app.bank.question(post["question_id"])
    if not rows:
        return [app.private(event, f"No teammate has answered the latest question yet ({question.text}).", kind="info")]
    buttons = tuple(Button(f"Review {row['name']}"[:75], REVIEW, str(row["id"])) for row in rows)
    text = f"Whose answer to \u201c{question.text}\u201d do you want to review? (latest {len(rows)} shown)"
    return [app.private(event, text, kind="review", buttons=buttons)]


def submit(app, event) -> list[Outbound]:
    answer = _answer(app, event.value)
    if answer is None:
        return [app.private(event, "That answer no longer exists; your review was not stored.", kind="error")]
    if _is_author(answer, event.actor):
        return [app.private(event, "You can't review your own answer.", kind="error")]
    if blind.sealed(app, answer):
        return [app.private(event, f"{blind.NOT_YET} Your review was not stored; review it after the reveal.", kind="error")]
    question = app.bank.question(answer["question_id"])
    ratings, problems = _ratings(question, event.fields)
    comment = (event.fields.get(COMMENT) or "").strip()[:MAX_COMMENT]
    if problems:
        # the form is gone once refused: give the comment back so it can be pasted into the next one
        kept = (Section("Your comment, to paste again", comment, quote=True),) if comment else ()
        return [app.private(event, "Review not stored: " + "; ".join(problems), kind="error", sections=kept)]
    replaced = records.upsert_review(app.store, answer["id"], event.actor.platform, event.actor.user_id, ratings, comment, app.stamp())
    ack = "Your review replaced your earlier one." if replaced else "Thanks, your review is stored."
    return [app.private(event, ack, kind="review"), rollup(app, answer, question)]


def _author_name(app, answer: dict) -> str:
    author = app.store.row("SELECT name FROM users WHERE platform = ? AND user_id = ?", (answer["platform"], answer["user_id"]))
    return (author or {}).get("name") or answer["user_id"]


def rollup(app, answer: dict, question) -> Message:
    reviews = records.reviews_for(app.store, answer["id"])
    who = _author_name(app, answer)
    comments = "\n".join(f'• "{r["comment"]}"' for r in reviews if r["comment"])
    sections = [Section(f"Peer reviews of the answer by {who} ({len(reviews)})", render.rollup_lines(question, reviews))]
    if comments:
        sections.append(Section("Comments", comments, quote=True))
    post = records.post(app.store, answer["post_id"]) if answer["post_id"] else None
    thread = post["thread_id"] if post else answer["thread_id"]
    target = Target(answer["platform"], answer["channel_id"], thread)
    return Message(target, f"The answer by {who} now has {len(reviews)} peer review(s).", tuple(sections), kind="review")


def _ratings(question, fields: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    ratings, problems = {}, []
    for c in question.criteria:
        value = (fields.get(c.id) or "").strip().lower()
        if value not in STATUSES:
            problems.append(f"'{c.label}' needs one of met / partly / missing")
        else:
            ratings[c.id] = value
    return ratings, problems


def _answer(app, answer_id: str) -> dict | None:
    return records.answer(app.store, row_id(answer_id)) if is_row_id(answer_id) else None


def _is_author(answer: dict, actor) -> bool:
    return answer["platform"] == actor.platform and answer["user_id"] == actor.user_id
