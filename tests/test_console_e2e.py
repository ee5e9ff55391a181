"""The console end to end: the real `stardrill` entry point, piped stdin, a real database file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from tests.chat import STRONG, WEAK


def stardrill(*args: str, stdin: str | bytes = "", db=None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "STARDRILL_DB": str(db), "NO_COLOR": "1", **(env or {})}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "stardrill", *args], input=data, capture_output=True, env=environment, timeout=60
    )


def test_practice_with_piped_stdin_runs_the_chain_and_exits_0(tmp_path, bank):
    db = tmp_path / "p.db"
    probes = len(bank.question("lead-without-title").probes)
    run = stardrill("practice", "--question", "lead-without-title", stdin=f"{STRONG}\n.\nI told them and they fixed it.\n.\n", db=db)
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    assert "Tell me about a time you showed leadership" in out
    assert "nobody asked me" in out  # feedback quotes the answer
    assert f"Follow-up probe 1 of {probes}" in out and f"Follow-up probe 2 of {probes}" in out
    rows = sqlite3.connect(db).execute("SELECT probe_index FROM answers ORDER BY id").fetchall()
    assert rows == [(None,), (0,)]


def test_practice_at_end_of_input_with_no_answer_exits_0(tmp_path):
    run = stardrill("practice", stdin="", db=tmp_path / "p.db")
    assert run.returncode == 0 and "A strong answer covers" in run.stdout.decode()


def test_practice_unknown_question_is_one_line_error(tmp_path):
    run = stardrill("practice", "--question", "nope", db=tmp_path / "p.db")
    assert run.returncode == 2
    assert run.stderr.decode().strip().splitlines() == ["error: unknown question id 'nope' (see `stardrill questions`)"]


def test_team_channel_demo_with_two_members(tmp_path, bank):
    db = tmp_path / "c.db"
    stardrill("run", stdin="/stardrill now\n/quit\n", db=db)
    question = bank.question(sqlite3.connect(db).execute("SELECT question_id FROM posts").fetchone()[0])
    script = "\n".join([
        STRONG, ".",
        "/as bo", WEAK, ".",
        "/b 3",  # bo presses "Review this answer" under his own feedback
        "/as cy", "/review", *["met"] * len(question.criteria), "",
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


def test_blind_mode_end_to_end_nothing_shows_before_the_reveal(tmp_path):
    db = tmp_path / "b.db"
    script = "\n".join([
        "/stardrill blind on", "/stardrill now",
        "/as maria", STRONG, ".",  # typed in the thread: removed, not counted; the Answer button comes privately
        "/b 1", STRONG,  # she presses Answer and writes it in the form
        "/as bo", "/review",  # nothing of hers to review before the reveal
        "/stardrill wrapup", "/quit",
    ]) + "\n"
    run = stardrill("run", stdin=script, db=db)
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    assert "removed your reply from the thread" in out and "Feedback for maria" in out
    before_reveal = out.split("(you are now bo)", 1)[1].split("Wrap-up:", 1)[0]
    assert "nobody asked me" not in before_reveal and "maria" not in before_reveal.lower()
    assert "Answers, revealed together" in out and "nobody asked me" in out.split("Wrap-up:", 1)[1]
    con = sqlite3.connect(db)
    assert con.execute("SELECT user_id, hidden FROM answers").fetchall() == [("maria", 1)]
    assert con.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0


def answers_texts(db) -> list[str]:
    return [r[0] for r in sqlite3.connect(db).execute("SELECT text FROM answers ORDER BY id")]


def test_practice_buttons_are_pressed_not_stored_as_answers(tmp_path):
    db = tmp_path / "p.db"
    run = stardrill("practice", "--question", "lead-without-title", stdin=f"{STRONG}\n.\n/b 2\n", db=db)
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    # the feedback's "[1] Try again" and the follow-up's "[2] Stop" below it: /b 2 pressed Stop
    assert "[1] Try again" in out and "[2] Stop" in out
    assert "Practice stopped" in out and "Main answer:" in out
    assert answers_texts(db) == [STRONG]


def test_each_button_number_on_screen_presses_the_button_beside_it(tmp_path):
    db = tmp_path / "p.db"
    run = stardrill("practice", "--question", "lead-without-title", stdin=f"{STRONG}\n.\n/b 1\n/b 9\n", db=db)
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    after = out.split("[2] Stop", 1)[1]
    assert after.count("Practice question:") == 1  # /b 1 pressed the feedback's Try again, not the follow-up's Stop
    assert "no button '9'; the buttons above are numbered 1 to 1" in after  # the question asked again has one
    assert answers_texts(db) == [STRONG]


def test_practice_quit_and_end_of_input_stop_with_a_summary(tmp_path):
    db = tmp_path / "p.db"
    for ending in ("/quit\n", ""):  # /quit, then plain end of input (Ctrl-D)
        run = stardrill("practice", "--question", "lead-without-title", stdin=f"{STRONG}\n.\n{ending}", db=db)
        assert run.returncode == 0, run.stderr.decode()
        assert "Practice summary" in run.stdout.decode()
    assert answers_texts(db) == [STRONG, STRONG]
    open_sessions = sqlite3.connect(db).execute("SELECT COUNT(*) FROM sessions WHERE state != 'done'").fetchone()[0]
    assert open_sessions == 0


def test_practice_help_lists_what_works_there(tmp_path):
    run = stardrill("practice", "--question", "lead-without-title", stdin="/help\n/quit\n", db=tmp_path / "p.db")
    out = run.stdout.decode()
    assert "/b N" in out and "/quit" in out and answers_texts(tmp_path / "p.db") == []


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])  # Ctrl-C, and `docker stop`
def test_the_terminal_channel_stops_cleanly_with_exit_0(tmp_path, stop):
    env = {**os.environ, "STARDRILL_DB": str(tmp_path / "s.db"), "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "stardrill", "run"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    try:
        assert b"Stardrill console" in proc.stdout.readline()  # up and reading the terminal
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, err.decode()[-2000:]
    assert b"Traceback" not in err


def test_practice_offers_to_try_the_same_question_again_at_its_end(tmp_path, bank):
    probes = len(bank.question("lead-without-title").probes)
    replies = "".join("I showed their lead the numbers.\n.\n" for _ in range(probes))
    run = stardrill("practice", "--question", "lead-without-title", stdin=f"{WEAK}\n.\n{replies}t\n{STRONG}\n.\n/quit\n",
                    db=tmp_path / "p.db")
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    assert "t: try this one again" in out and "Since your last try" in out
    assert answers_texts(tmp_path / "p.db")[-1] == STRONG
