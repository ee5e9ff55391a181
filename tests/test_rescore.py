"""`stardrill db rescore`: stored answers judged again with the engine as it is now, on both stores and from the CLI."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys

from stardrill.feedback import evaluate
from stardrill.feedback.fingerprint import ENGINE, fingerprint
from stardrill.rescore import rescore
from tests.chat import STRONG, Member

REPLY = "I asked finance for the revenue estimate: about $8K a week."


def _practise(app) -> None:
    ana = Member(app, "ana")
    ana.command("practice", "lead-without-title")
    ana.say(STRONG, direct=True)
    ana.say(REPLY, direct=True)  # a reply to the first probe


def _rows(app) -> list[dict]:
    return app.store.rows("SELECT a.id, a.question_id, a.probe_index, f.score, f.verdict, f.body, f.message_id "
                          "FROM answers a JOIN feedback f ON f.answer_id = a.id ORDER BY a.id")


def _age(app, answer_id: int, score: int = 1) -> None:
    """Make a row look judged by another engine, with a score this one would not give."""
    body = json.loads(app.store.row("SELECT body FROM feedback WHERE answer_id = ?", (answer_id,))["body"])
    body["engine"] = "0ld0ld0ld0ld"
    with app.store.write():
        app.store.execute("UPDATE feedback SET score = ?, verdict = 'weak', body = ?, message_id = 'm-posted' "
                          "WHERE answer_id = ?", (score, json.dumps(body), answer_id))


def test_feedback_names_the_engine_that_gave_it(app):
    _practise(app)
    assert re.fullmatch(r"[0-9a-f]{12}", ENGINE) and fingerprint() == ENGINE
    assert {json.loads(r["body"])["engine"] for r in _rows(app)} == {ENGINE}
    assert evaluate("I migrated 14 services to Kubernetes.", None, app.bank.level("senior")).to_json()["engine"] == ENGINE


def test_only_answers_another_engine_judged_are_judged_again(app, bank):
    _practise(app)
    main, probe_reply = _rows(app)
    _age(app, main["id"])
    _age(app, probe_reply["id"])
    question, level = bank.question("lead-without-title"), bank.level("senior")

    dry = rescore(app, dry_run=True)
    assert (dry.judged, dry.changed, dry.current, dry.orphaned) == (2, 2, 0, 0)
    assert [r["score"] for r in _rows(app)] == [1, 1]  # a dry run writes nothing

    done = rescore(app)
    assert (done.judged, done.changed, done.current, done.orphaned) == (2, 2, 0, 0)
    after = _rows(app)
    assert after[0]["score"] == evaluate(STRONG, question, level).score
    assert after[1]["score"] == evaluate(REPLY, question, level, probe=question.probes[0]).score
    assert [json.loads(r["body"])["engine"] for r in after] == [ENGINE, ENGINE]
    assert [r["message_id"] for r in after] == ["m-posted", "m-posted"]  # what was posted in chat stays as it was

    again = rescore(app)
    assert (again.judged, again.current) == (0, 2)
    everything = rescore(app, everything=True)
    assert (everything.judged, everything.changed) == (2, 0)


def test_answers_whose_question_left_the_bank_are_left_and_counted(app):
    _practise(app)
    main, probe_reply = _rows(app)
    _age(app, main["id"], score=7)
    _age(app, probe_reply["id"], score=7)
    with app.store.write():
        app.store.execute("UPDATE answers SET question_id = 'retired-question' WHERE id = ?", (main["id"],))
        app.store.execute("UPDATE answers SET probe_index = 99 WHERE id = ?", (probe_reply["id"],))
    done = rescore(app)
    assert (done.judged, done.orphaned) == (0, 2)
    assert [r["score"] for r in _rows(app)] == [7, 7]


def test_cli_rescores_a_sqlite_file(tmp_path):
    db = tmp_path / "r.db"
    env = {**os.environ, "STARDRILL_DB": str(db), "NO_COLOR": "1"}
    env.pop("STARDRILL_DATABASE_URL", None)

    def stardrill(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "stardrill", *args], input=stdin.encode(), capture_output=True,
                              env=env, timeout=60)

    assert stardrill("practice", "--question", "lead-without-title", stdin=f"{STRONG}\n.\n/quit\n").returncode == 0
    con = sqlite3.connect(db)
    real = con.execute("SELECT score FROM feedback").fetchone()[0]
    with con:
        con.execute("UPDATE feedback SET score = ?, body = json_set(body, '$.engine', 'old')", (real - 1,))
    run = stardrill("db", "rescore", "--dry-run")
    assert run.returncode == 0, run.stderr.decode()
    assert "judged 1 stored answer(s) again" in run.stdout.decode() and "1 would change" in run.stdout.decode()
    assert con.execute("SELECT score FROM feedback").fetchone()[0] == real - 1
    run = stardrill("db", "rescore")
    assert run.returncode == 0 and "1 changed score or verdict" in run.stdout.decode()
    assert con.execute("SELECT score, json_extract(body, '$.engine') FROM feedback").fetchone() == (real, ENGINE)
    run = stardrill("db", "rescore")
    assert "judged 0 stored answer(s)" in run.stdout.decode() and "1 already judged by this engine" in run.stdout.decode()
