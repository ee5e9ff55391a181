"""The console end to end: the real `stardrill` entry point, piped stdin, a real database file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.chat import STRONG, WEAK


def stardrill(*args: str, stdin: str | bytes = "", db=None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "STARDRILL_DB": str(db), "NO_COLOR": "1", **(env or {})}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "stardrill", *args], input=data, capture_output=True, env=environment, timeout=60
    )


def test_practice_with_piped_stdin_runs_the_chain_and_exits_0(tmp_path):
    db = tmp_path / "p.db"
    run = stardrill("practice", "--question", "lead-without-title", stdin=f"{STRONG}\n.\nI told them and they fixed it.\n.\n", db=db)
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    assert "Tell me about a time you showed leadership" in out
    assert "nobody asked me" in out  # feedback quotes the answer
    assert "Follow-up probe 1 of 4" in out and "Follow-up probe 2 of 4" in out
    rows = sqlite3.connect(db).execute("SELECT probe_index FROM answers ORDER BY id").fetchall()
    assert rows == [(None,), (0,)]


def test_practice_at_end_of_input_with_no_answer_exits_0(tmp_path):
    run = stardrill("practice", stdin="", db=tmp_path / "p.db")
    assert run.returncode == 0 and "A strong answer covers" in run.stdout.decode()


def test_practice_unknown_question_is_one_line_error(tmp_path):
    run = stardrill("practice", "--question", "nope", db=tmp_path / "p.db")
    assert run.returncode == 2
    assert run.stderr.decode().strip().splitlines() == ["error: unknown question id 'nope' (see `stardrill questions`)"]


def test_team_channel_demo_with_two_members(tmp_path):
    db = tmp_path / "c.db"
    script = "\n".join([
        "/stardrill now", STRONG, ".",
        "/as bo", WEAK, ".",
        "/b 3",  # bo presses "Review this answer" under his own feedback
        "/as cy", "/review", *["met"] * 6, "",
        "/stardrill wrapup", "/quit",
    ]) + "\n"
    run = stardrill("run", stdin=script, db=db)
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    assert out.count("Feedback for") == 2
    assert "can't review your own answer" in out  # bo pressed Review under his own feedback
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 2
    assert con.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1
    assert "Wrap-up:" in out and "2 member(s) answered" in out


def test_answers_survive_a_restart_and_the_thread_stays_open(tmp_path):
    db = tmp_path / "r.db"
    stardrill("run", stdin="/stardrill now\n/quit\n", db=db)
    second = stardrill("run", stdin=f"{STRONG}\n.\n", db=db)
    assert "Feedback for you" in second.stdout.decode()
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 1
