"""A member's own data as JSON lines: every answer (and probe reply) with its question, feedback and peer reviews.

One line per answer, oldest first. Reviews carry ratings and comments but not who gave them, as in
the thread's roll-up. `/stardrill export` sends the file privately; `stardrill export --user` prints it.
"""

from __future__ import annotations

import json

from stardrill.messages import Attachment, Message, Outbound, Target

LISTING = 10  # `stardrill history --json`: the same answers as the listing


def answer_rows(store, platform: str, user_id: str, *, latest: int | None = None, answer_id: int | None = None) -> list[dict]:
    sql = ("SELECT a.*, f.body FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id "
           "WHERE a.platform = ? AND a.user_id = ?")
    params: list = [platform, user_id]
    if answer_id is not None:
        sql, params = sql + " AND a.id = ?", params + [answer_id]
    if latest is not None:  # the listing: top-level answers, newest first
        sql, params = sql + " AND a.probe_index IS NULL ORDER BY a.id DESC LIMIT ?", params + [latest]
    else:
        sql += " ORDER BY a.id"
    return store.rows(sql, params)


def reviews_by_answer(store, answer_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {i: [] for i in answer_ids}
    for start in range(0, len(answer_ids), 500):  # SQLite's bound-parameter limit
        chunk = answer_ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in store.rows(f"SELECT answer_id, ratings, comment, created_at FROM reviews WHERE answer_id IN ({marks}) "
                            "ORDER BY id", chunk):
            found[r["answer_id"]].append({"ratings": json.loads(r["ratings"]), "comment": r["comment"] or "",
                                          "created_at": r["created_at"]})
    return found


def record(app, row: dict, reviews: list[dict]) -> dict:
    question = app.bank.questions.get(row["question_id"])
    probe = None
    if row["probe_index"] is not None and question and question.probes:
        probe = question.probes[row["probe_index"] % len(question.probes)].question
    return {
        "answer_id": row["id"], "user": f"{row['platform']}:{row['user_id']}",
        "kind": "probe reply" if row["probe_index"] is not None else "answer",
        "where": "daily question" if row["post_id"] else "practice", "channel": row["channel_id"],
        "question_id": row["question_id"], "question": question.text if question else None, "probe": probe,
        "level": row["level"], "local_date": row["local_date"], "created_at": row["created_at"],
        "text": row["text"], "feedback": json.loads(row["body"]) if row["body"] else None, "reviews": reviews,
    }


def records(app, platform: str, user_id: str, **which) -> list[dict]:
    rows = answer_rows(app.store, platform, user_id, **which)
    reviews = reviews_by_answer(app.store, [r["id"] for r in rows])
    return [record(app, r, reviews[r["id"]]) for r in rows]


def json_lines(found: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in found)


def command(app, event, args: str) -> list[Outbound]:
    """`/stardrill export`: your answers, feedback and reviews as a JSON lines file, only for you."""
    platform, user_id = event.actor.platform, event.actor.user_id
    found = records(app, platform, user_id)
    target = Target(platform, event.where.channel, event.where.thread, private_to=user_id)
    if not found:
        return [app.private(event, "You have no answers to export yet.", kind="info")]
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in user_id)  # ids may hold ':' (a workspace)
    name = f"stardrill-export-{platform}-{safe}.jsonl"
    text = (f"Your Stardrill export: {len(found)} answer(s) and probe replies with their feedback and peer reviews, "
            "one JSON object per line. Only you received it.")
    return [Message(target, text, kind="export", attachment=Attachment(name, json_lines(found)))]
