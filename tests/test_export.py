"""Export: a member's answers, feedback and reviews as JSON lines, from the command line and privately in chat."""

from __future__ import annotations

import json

from stardrill.messages import REVIEW_SUBMIT
from tests.chat import STRONG, WEAK, Member, deliver, messages
from tests.test_console_e2e import stardrill


def thread_with_a_review(tmp_path):
    db = tmp_path / "e.db"
    stardrill("run", stdin=f"/stardrill now\n/as maria\n{STRONG}\n.\n/as bo\n{WEAK}\n.\n/quit\n", db=db)
    import sqlite3

    con = sqlite3.connect(db)
    question_id, answer_id = con.execute("SELECT question_id, id FROM answers WHERE user_id = 'maria'").fetchone()
    return db, question_id, answer_id


def test_export_writes_every_answer_with_its_feedback_and_reviews(tmp_path, bank):
    db, question_id, answer_id = thread_with_a_review(tmp_path)
    ratings = ["met"] * len(bank.question(question_id).criteria)
    stardrill("run", stdin="\n".join(["/as bo", f"/review {answer_id}", *ratings, "Lead with the $8K", "/quit"]) + "\n", db=db)
    stardrill("practice", "--user", "maria", "--question", "lead-without-title", stdin=f"{STRONG}\n.\nI asked finance.\n.\n/quit\n", db=db)
    run = stardrill("export", "--user", "maria", db=db)
    assert run.returncode == 0, run.stderr.decode()
    rows = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert [r["kind"] for r in rows] == ["answer", "answer", "probe reply"]
    first = rows[0]
    assert first["answer_id"] == answer_id and first["text"] == STRONG and first["question"] == bank.question(question_id).text
    assert first["feedback"]["score"] >= 0 and first["feedback"]["criteria"]
    assert first["reviews"] == [{"ratings": {c.id: "met" for c in bank.question(question_id).criteria},
                                 "comment": "Lead with the $8K", "created_at": first["reviews"][0]["created_at"]}]
    assert "bo" not in json.dumps(first["reviews"])  # reviewers stay anonymous, as in the thread
    assert rows[2]["probe"] == bank.question("lead-without-title").probes[0].question
    assert all(r["user"] == "console:maria" for r in rows)


def test_history_json_is_the_listing_in_the_export_shape(tmp_path):
    db, _, answer_id = thread_with_a_review(tmp_path)
    listing = stardrill("history", "--user", "console:maria", "--json", db=db)
    rows = [json.loads(line) for line in listing.stdout.decode().splitlines()]
    assert listing.returncode == 0 and [r["answer_id"] for r in rows] == [answer_id]
    one = stardrill("history", "--user", "console:maria", "--answer", str(answer_id), "--json", db=db)
    assert json.loads(one.stdout) == rows[0]


def test_export_of_someone_without_answers_is_empty_and_says_so(tmp_path):
    run = stardrill("export", "--user", "slack:U0NOBODY", db=tmp_path / "e.db")
    assert run.returncode == 0 and run.stdout == b"" and "no answers" in run.stderr.decode()


def test_chat_export_is_private_to_the_member_as_a_file(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    thread = deliver(app, lead.command("stardrill", "now"))[0]
    ana.say(STRONG, thread=thread)
    Member(app, "bo").say(WEAK, thread=thread)
    sent = messages(ana.command("stardrill", "export"))[0]
    assert sent.target.private_to == "ana" and sent.attachment is not None
    assert sent.attachment.name.endswith(".jsonl")
    rows = [json.loads(line) for line in sent.attachment.content.splitlines()]
    assert [r["text"] for r in rows] == [STRONG]


def test_console_export_prints_the_lines_privately(tmp_path):
    db = tmp_path / "c.db"
    stardrill("run", stdin=f"/stardrill now\n{STRONG}\n.\n/quit\n", db=db)
    out = stardrill("run", stdin="/stardrill export\n/quit\n", db=db).stdout.decode()
    shown = out.split("(only you see this)", 1)[1]
    rows = [json.loads(line) for line in shown.splitlines() if line.startswith("{")]
    assert [r["text"] for r in rows] == [STRONG] and "stardrill-export-console-you.jsonl" in shown
