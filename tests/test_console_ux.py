"""The terminal as a newcomer meets it: wrapped output, honest help, the mode in the prompt, forms that keep input."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys

import pytest

from stardrill.adapters.console.adapter import ConsoleAdapter
from tests.chat import STRONG
from tests.test_console_e2e import stardrill

LONG = " ".join([STRONG] * 3)  # about 300 words: long evidence sentences and flags


def in_a_terminal(args: list[str], stdin: str, db, columns: int = 80) -> str:
    """Run `stardrill` with stdout on a pseudo-terminal of `columns` columns (stdin piped)."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "STARDRILL_DB": str(db), "NO_COLOR": "1", "COLUMNS": str(columns)}
    proc = subprocess.Popen([sys.executable, "-m", "stardrill", *args], stdin=subprocess.PIPE, stdout=slave,
                            stderr=subprocess.PIPE, env=env)
    os.close(slave)
    proc.stdin.write(stdin.encode())
    proc.stdin.close()
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.parametrize("command", [["feedback", "--question", "lead-without-title"],
                                     ["practice", "--question", "lead-without-title"]])
def test_output_wraps_to_the_terminal_without_breaking_words(tmp_path, command):
    stdin = LONG + ("\n.\n" if command[0] == "practice" else "")
    shown = in_a_terminal(command, stdin, tmp_path / "w.db", columns=80)
    piped = stardrill(*command, stdin=stdin, db=tmp_path / "p.db").stdout.decode()
    widest = max(len(line) for line in shown.splitlines())
    assert widest <= 80, [line for line in shown.splitlines() if len(line) > 80][:3]
    assert max(len(line) for line in piped.splitlines()) > 80  # piped output is left as is, for tools
    assert shown.split() == piped.split()  # the same words in the same order: none cut in two


def test_help_says_each_line_once_and_lists_the_terminal_extras(tmp_path):
    out = stardrill("run", stdin="/help\n/quit\n", db=tmp_path / "h.db").stdout.decode()
    assert out.count("/practice [competency|level|question-id]") == 1
    for extra in ("/as NAME", "/b N", "/quit"):
        assert extra in out
    assert "(only you see this)" in out and "sees this" not in out


def test_the_prompt_shows_whether_a_line_is_a_command_or_part_of_an_answer(app):
    out = io.StringIO()
    script = "/stardrill now\nI owned the fix.\nThen I measured it.\n.\n/quit\n"
    ConsoleAdapter(app, io.StringIO(script), out, interactive=True).run()
    text = out.getvalue()
    assert "you › #team thread> " in text  # a question is open: a plain line starts an answer to it
    assert "you › answer, end with a line holding only '.'> " in text  # inside the answer
    assert text.count("answer, end with") == 2  # before each of the two continuation lines


def test_the_review_form_shows_the_answer_checks_each_field_and_keeps_the_comment(tmp_path, bank):
    db = tmp_path / "r.db"
    stardrill("run", stdin=f"/stardrill now\n/as maria\n{STRONG}\n.\n/quit\n", db=db)
    question = bank.question(sqlite3.connect(db).execute("SELECT question_id FROM posts").fetchone()[0])
    ratings = ["maybe", "MET"] + ["2"] * (len(question.criteria) - 1)  # a typo, then a case and a number
    run = stardrill("run", stdin="\n".join(["/as bo", "/review", *ratings, "Clear numbers", "/quit"]) + "\n", db=db)
    out = run.stdout.decode()
    form = out.split("form for bo", 1)[1]
    assert "maria" in form.split("\n", 2)[1] and "nobody asked me" in form
    assert "'maybe' is not one of met, partly, missing" in form
    assert "Comment (optional, Enter to skip):" in form and "(optional) (optional" not in form
    stored = sqlite3.connect(db).execute("SELECT ratings, comment FROM reviews").fetchone()
    assert stored[1] == "Clear numbers" and '"met"' in stored[0] and '"partly"' in stored[0]


# Python reads stdin with the "surrogateescape" handler under a C locale and strictly under most UTF-8 locales
# (en_US.UTF-8); PYTHONIOENCODING gives the strict reading whatever locales this machine has.
@pytest.mark.parametrize("io_encoding", ["", "utf-8:strict"])
def test_bytes_that_are_not_utf8_are_kept_as_replacement_characters_and_the_run_goes_on(tmp_path, io_encoding):
    # A member name and an answer with a byte that is not UTF-8 (pasted from another encoding): stored with U+FFFD.
    db = tmp_path / "u.db"
    typed = b"/stardrill now\n/as \xfeb\n" + STRONG.encode() + b" caf\xe9\n.\n/quit\n"
    run = stardrill("run", stdin=typed, db=db, env={"PYTHONIOENCODING": io_encoding} if io_encoding else None)
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr.decode(errors="replace")[-2000:]
    stored = sqlite3.connect(db).execute("SELECT user_id, text FROM answers").fetchall()
    assert stored == [("\ufffdb", STRONG + " caf\ufffd")]


def test_the_review_form_names_the_terminal_s_own_member_without_a_broken_possessive(tmp_path):
    # The terminal's member is called "you" until /as: its answer, reviewed by bo, must not read "Rate you's answer".
    db = tmp_path / "y.db"
    stardrill("run", stdin=f"/stardrill now\n{STRONG}\n.\n/quit\n", db=db)
    run = stardrill("run", stdin="/as bo\n/review\n/cancel\n/quit\n", db=db)
    form = run.stdout.decode().split("form for bo", 1)[1]
    assert "Rate this answer from you." in form and "you's" not in form and "nobody asked me" in form


@pytest.mark.parametrize("leave, then_left", [("/cancel", False), ("/quit", True), ("/exit", True)])
def test_a_form_can_be_left_midway_and_stores_nothing(tmp_path, leave, then_left):
    # Slack and Discord forms have a Cancel button; in the terminal /cancel drops the form and the terminal
    # goes on, /quit and /exit drop it and leave. Neither is ever taken as a rating.
    db = tmp_path / "c.db"
    stardrill("run", stdin=f"/stardrill now\n/as maria\n{STRONG}\n.\n/quit\n", db=db)
    after = "/stardrill help\n"  # answered only if the terminal is still running
    run = stardrill("run", stdin=f"/as bo\n/review\nmet\n{leave}\n{after}", db=db)
    out = run.stdout.decode()
    assert run.returncode == 0
    assert "(form cancelled; nothing stored)" in out and f"'{leave}' is not one of" not in out
    assert sqlite3.connect(db).execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    answered_after = "/stardrill now" in out.split("(form cancelled; nothing stored)", 1)[1]
    assert answered_after is not then_left


def test_feedback_typed_at_a_terminal_says_how_to_finish_and_piped_input_gets_no_hint(tmp_path):
    # Typed at a terminal, `stardrill feedback` would otherwise sit silent until end of input.
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "STARDRILL_DB": str(tmp_path / "f.db"), "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "stardrill", "feedback"], stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    os.close(slave)
    os.write(master, b"I traced the outage to a bad DNS record and fixed it in 20 minutes.\n\x04")
    out, err = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    assert "press Ctrl-D" in err.decode() and "Feedback:" in out.decode()
    piped = stardrill("feedback", stdin="I fixed it.\n", db=tmp_path / "f.db")
    assert "Ctrl-D" not in piped.stderr.decode() and "Feedback:" in piped.stdout.decode()
