"""`/stardrill history [ANSWER_ID]`: a member's last answers with the feedback they got, each re-openable."""

from __future__ import annotations

from stardrill import render
from stardrill.feedback.model import CriterionResult, Feedback, Flag, PartTiming
from stardrill.messages import Message, Section, Target
from stardrill.progress import queries
from stardrill.store import records
from stardrill.context import UserError
from stardrill.ids import is_row_id, row_id

LIMIT = 10
MAX_QUOTE = 2800  # keeps the answer in one block on every platform (Slack section text <= 3,000)


def listing(app, platform: str, user_id: str, target: Target, limit: int = LIMIT,
            reopen: str = "/stardrill history ANSWER_ID") -> Message:
    rows = queries.recent(app.store, platform, user_id, limit)
    if not rows:
        return Message(target, "No answers yet: reply to a question's thread or start /practice.", kind="history")
    sections = tuple(Section(f"#{r['id']} · {r['local_date']} · {_score(r)}", _summary(app, r)) for r in rows)
    text = f"Your last {len(rows)} answer(s). Reopen one in full with {reopen}."
    return Message(target, text, sections, kind="history")


def _score(row: dict) -> str:
    return f"{row['score']}/100 ({row['verdict']})" if row["score"] is not None else "no feedback"


def _summary(app, row: dict) -> str:
    question = app.bank.questions.get(row["question_id"])
    lines = [question.text if question else f"(question {row['question_id']} is no longer in the bank)"]
    if row["body"].get("top_fix"):
        lines.append(f"Top fix: {row['body']['top_fix']}")
    return "\n".join(lines)


def one(app, platform: str, user_id: str, answer_id: str, target: Target) -> Message:
    """One of the member's answers in full: question, their words, the stored feedback, peer reviews."""

    answer = records.answer(app.store, row_id(answer_id)) if is_row_id(answer_id) else None
    if answer is None or (answer["platform"], answer["user_id"]) != (platform, user_id):
        raise UserError(f"Answer {answer_id} is not one of yours. /stardrill history lists your answers with their ids.")
    question = app.bank.questions.get(answer["question_id"])
    probe = _probe(question, answer)
    stored = records.feedback_for(app.store, answer["id"])
    words = answer["text"] if len(answer["text"]) <= MAX_QUOTE else answer["text"][:MAX_QUOTE] + " […]"
    sections = [Section("Question", question.text if question else answer["question_id"])]
    if probe:
        sections.append(Section("Follow-up probe", probe.question))
    sections.append(Section(f"Your {'reply' if probe else 'answer'} ({answer['local_date']})", words, quote=True))
    if stored:
        feedback = from_body(stored["body"])
        # what the member saw: a probe reply was judged as a reply to its probe, not as a whole answer
        sections.extend(render.probe_feedback_sections(probe, feedback) if probe else render.feedback_sections(feedback))
    sections.extend(_reviews(app, question, answer))
    head = render.feedback_headline(from_body(stored["body"])) if stored else "This answer has no stored feedback."
    return Message(target, f"Answer #{answer['id']}: {head}", tuple(sections), kind="history")


def _probe(question, answer: dict):
    if question is None or answer["probe_index"] is None or not question.probes:
        return None
    return question.probes[answer["probe_index"] % len(question.probes)]


def _reviews(app, question, answer: dict) -> list[Section]:
    reviews = records.reviews_for(app.store, answer["id"])
    if not reviews or question is None:
        return []
    found = [Section(f"Peer reviews ({len(reviews)})", render.rollup_lines(question, reviews))]
    comments = "\n".join(f'• "{r["comment"]}"' for r in reviews if r["comment"])
    if comments:
        found.append(Section("Reviewers' comments", comments, quote=True))
    return found


def from_body(body: dict) -> Feedback:
    """The Feedback value back from its stored JSON (Feedback.to_json()), exactly as the member saw it."""
    return Feedback(
        score=body.get("score", 0), verdict=body.get("verdict", ""),
        criteria=tuple(CriterionResult(c["id"], c["label"], c["status"], c.get("evidence"), c.get("note", "")) for c in body.get("criteria", [])),
        estimated_seconds=body.get("estimated_seconds", 0), target_seconds=body.get("target_seconds", 0),
        framework=body.get("framework", ""), level=body.get("level", ""), top_fix=body.get("top_fix", ""),
        rewrite_hint=body.get("rewrite_hint", ""),
        flags=tuple(Flag(f["code"], f["message"], f.get("evidence")) for f in body.get("flags", [])),
        parts=tuple(PartTiming(p["part"], p["seconds"], p["target"], p.get("sentences", 0)) for p in body.get("parts", [])),
        components=body.get("components", {}), word_count=body.get("word_count", 0),
    )
