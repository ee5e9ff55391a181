"""Bad input at the command line, as a tester typed it: one line on stderr naming the problem and what to do,
exit 2 for a usage error (1 for a failed write), never a traceback, and nothing stored."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.chat import WEAK
from tests.test_cli_inputs import one_line_error
from tests.test_console_e2e import stardrill

HUGE = "9" * 5000
NOT_UTF8 = b"\xff".decode("utf-8", "surrogateescape")  # what Python makes of the byte 0xFF in argv or the environment


def no_traceback(run) -> str:
    err = run.stderr.decode(errors="replace")
    assert "Traceback" not in err, err
    return err


def stored_users(db) -> list:
    if not db.exists():
        return []
    return sqlite3.connect(db).execute("SELECT platform, user_id FROM users").fetchall()


def stardrill_with(*args: str, db, stdin=None, stdout=None) -> subprocess.CompletedProcess:
    """The real command with stdin or stdout as given; `stdin="closed"` runs it as `<&-` does."""
    command = [sys.executable, "-m", "stardrill", *args]
    if stdin == "closed":
        command, stdin = ["sh", "-c", 'exec "$@" <&-', "sh", *command], None
    env = {**os.environ, "STARDRILL_DB": str(db), "NO_COLOR": "1"}
    return subprocess.run(command, stdin=stdin, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, timeout=60)


# 1. dates at the ends of the calendar


@pytest.mark.parametrize("start, count, hint", [("0001-01-01", "2", "later"), ("9999-12-30", "5", "earlier")])
def test_next_near_the_ends_of_the_calendar_is_one_line(tmp_path, start, count, hint):
    run = stardrill("schedule", "next", "--time", "09:00", "--tz", "UTC", "--from", start, "--count", count,
                    db=tmp_path / "c.db")
    line = one_line_error(run)
    assert f"--from {start}" in line and "calendar" in line and hint in line and run.stdout == b""


# 2. numbers of thousands of digits


@pytest.mark.parametrize("args, named", [
    (["history", "--answer", HUGE], "no answer has the id"),
    (["history", "--json", "--answer", "#" + HUGE], "no answer has the id"),
    (["schedule", "next", "--time", "09:00", "--tz", "UTC", "--count", HUGE], "--count"),
    (["discord", "invite-url", "--client-id", "9" * 30], "client id"),
])
def test_absurd_numbers_are_refused_in_a_short_line(tmp_path, args, named):
    line = one_line_error(stardrill(*args, db=tmp_path / "c.db"))
    assert named in line and len(line) < 300  # the value is cut, not echoed in full


@pytest.mark.parametrize("args, flag", [
    (["run", "--port", HUGE], "--port"),
    (["discord", "sync", "--guild", HUGE], "--guild"),
])
def test_absurd_numbers_in_typed_flags_are_named_without_echoing_them(tmp_path, args, flag):
    run = stardrill(*args, db=tmp_path / "c.db")
    error = no_traceback(run).strip().splitlines()[-1]
    assert run.returncode == 2 and f"argument {flag}" in error and len(error) < 300, error


# 3. STARDRILL_LEVEL in feedback


@pytest.mark.parametrize("level", ["wizard", " senior "])
@pytest.mark.parametrize("mode", [[], ["--json"], ["--jsonl"]])
def test_feedback_refuses_a_bad_default_level_like_practice_does(tmp_path, level, mode):
    stdin = json.dumps({"answer": WEAK}) + "\n" if mode == ["--jsonl"] else WEAK
    run = stardrill("feedback", *mode, stdin=stdin, db=tmp_path / "c.db", env={"STARDRILL_LEVEL": level})
    assert one_line_error(run) == f"error: STARDRILL_LEVEL={level!r} is not a level " \
                                  "(known: sde1, sde2, senior, tl, staff, em, l7)"
    assert run.stdout == b""


# 4. PostgreSQL URLs that do not parse


BAD_URL = "postgresql://u:s3cret@[::1/db"


def test_db_copy_names_a_url_that_does_not_parse_without_its_password(tmp_path):
    run = stardrill("db", "copy", "--to", BAD_URL, db=tmp_path / "c.db")
    line = one_line_error(run)
    assert line.startswith("error: --to is not a usable URL (Invalid IPv6 URL)") and "s3cret" not in line


@pytest.mark.parametrize("url", [BAD_URL, "postgresql://u:s3cret@host:x/db", "postgresql://u:s3cret@host:99999/db"])
@pytest.mark.parametrize("command, code", [(["stats"], 2), (["health"], 1)])
def test_a_database_url_setting_that_does_not_parse_is_named(tmp_path, url, command, code):
    run = stardrill(*command, db=tmp_path / "c.db", env={"STARDRILL_DATABASE_URL": url})
    lines = no_traceback(run).strip().splitlines()
    assert run.returncode == code and len(lines) == 1, lines
    assert lines[0].startswith("error: STARDRILL_DATABASE_URL is not a usable URL") and "s3cret" not in lines[0]


@pytest.mark.parametrize("url, said", [("mysql://u:s3cret@host/db", "(got 'mysql')"), ("sqlite:///x.db", "(got 'sqlite')"),
                                       ("s3cret", "(it names no scheme)"), ("u:s3cret@host/db", "(it names no scheme)")])
@pytest.mark.parametrize("command, code", [(["stats"], 2), (["health"], 1)])
def test_a_database_url_that_is_not_postgresql_is_named_without_its_password(tmp_path, url, said, command, code):
    """Before, `health` took any value for a PostgreSQL URL and only reported that no process used it, and
    `stats` quoted everything before the first colon, which for a value without a scheme is the password."""
    run = stardrill(*command, db=tmp_path / "c.db", env={"STARDRILL_DATABASE_URL": url})
    lines = no_traceback(run).strip().splitlines()
    assert run.returncode == code and lines == [
        f"error: STARDRILL_DATABASE_URL must be a postgresql:// URL {said}; unset it to use the SQLite file in STARDRILL_DB"]
    assert not (tmp_path / "c.db").exists()


def test_health_never_exits_2_which_docker_reserves(tmp_path):
    """A bad setting fails `health` with 1 like any failed check: Docker's HEALTHCHECK reserves exit code 2."""
    for env in ({"STARDRILL_DATABASE_URL": ""}, {"STARDRILL_DATABASE_URL": "postgresql://u@h:99999/db"},
                {"STARDRILL_LOG_LEVEL": "loud"}):
        run = stardrill("health", db=tmp_path / "c.db", env=env)
        lines = no_traceback(run).strip().splitlines()
        assert run.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: STARDRILL_"), (env, lines)


# 5. streams: a reader that goes away, a full disk, no stdin at all


@pytest.mark.parametrize("args, stdin", [
    (["questions"], b""), (["questions", "--json"], b""), (["content", "schema"], b""),
    (["practice"], b"I fixed the build.\n.\n"),
    (["feedback", "--jsonl"], (json.dumps({"answer": WEAK}) + "\n").encode() * 3),
])
def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path, args, stdin):
    env = {**os.environ, "STARDRILL_DB": str(tmp_path / "c.db"), "NO_COLOR": "1"}
    process = subprocess.Popen([sys.executable, "-m", "stardrill", *args], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    process.stdout.close()  # before it writes a byte, as `| head -0` would
    _, err = process.communicate(stdin, timeout=60)
    assert process.returncode == 1 and err == b"", err.decode()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["questions"], ["content", "schema"]])
def test_a_full_disk_is_one_line_and_exit_1(tmp_path, args):
    with open("/dev/full", "wb") as full:
        run = stardrill_with(*args, db=tmp_path / "c.db", stdout=full)
    lines = no_traceback(run).strip().splitlines()
    assert run.returncode == 1 and lines == [
        "error: cannot write the output (No space left on device): free some space or write it somewhere else"]


@pytest.mark.parametrize("args", [["feedback"], ["feedback", "--json"], ["feedback", "--jsonl"], ["practice"],
                                  ["run", "--platform", "console"]])
def test_a_closed_stdin_is_one_line(tmp_path, args):
    db = tmp_path / "c.db"
    line = one_line_error(stardrill_with(*args, db=db, stdin="closed"))
    assert line.startswith("error: standard input is closed: ") and stored_users(db) == []


# 6. arguments and settings that are not UTF-8


@pytest.mark.parametrize("args, name", [
    (["stats", "--user", "slack:" + NOT_UTF8], "--user"),
    (["history", "--user=slack:" + NOT_UTF8], "--user"),
    (["export", "--user", "console:" + NOT_UTF8], "--user"),
    (["practice", "--user", NOT_UTF8], "--user"),
    (["schedule", "add", "console:" + NOT_UTF8, "--time", "09:00", "--tz", "UTC"], "CHANNEL"),
    (["schedule", "remove", "console:" + NOT_UTF8], "CHANNEL"),
])
def test_an_argument_that_is_not_utf8_is_named(tmp_path, args, name):
    db = tmp_path / "c.db"
    assert one_line_error(stardrill(*args, db=db)) == f"error: {name} is not valid UTF-8: type it again as UTF-8 text"
    assert not db.exists()  # refused before the database is even opened


def test_a_database_path_that_is_not_utf8_is_named(tmp_path):
    run = stardrill("stats", db=tmp_path / f"{NOT_UTF8}.db")
    assert one_line_error(run) == "error: STARDRILL_DB is not valid UTF-8: set it again as UTF-8 text"
    assert os.listdir(tmp_path) == []


# 7. feedback --jsonl: one output line per input line


def test_jsonl_answers_an_empty_line_instead_of_skipping_it(tmp_path):
    lines = [json.dumps({"answer": WEAK}), "", "   ", json.dumps({"answer": WEAK})]
    run = stardrill("feedback", "--jsonl", stdin="\n".join(lines) + "\n", db=tmp_path / "c.db")
    out = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert run.returncode == 1 and len(out) == len(lines) and no_traceback(run) == ""
    assert out[1] == {"line": 2, "error": 'the line is empty: each line needs a JSON object like {"answer": "..."}'}
    assert out[2]["line"] == 3 and "score" in out[0] and "score" in out[3]


@pytest.mark.parametrize("line, error", [
    ('"', "not valid JSON (Unterminated string starting at column 1)"),
    ('{"answer": ' + HUGE + "}", "not valid JSON here: it holds a number with thousands of digits"),
])
def test_jsonl_names_bad_json_in_plain_words(tmp_path, line, error):
    run = stardrill("feedback", "--jsonl", stdin=line + "\n", db=tmp_path / "c.db")
    assert json.loads(run.stdout) == {"line": 1, "error": error}


# 8. unknown flags


def test_an_unknown_top_level_flag_is_named(tmp_path):
    run = stardrill("--bogus", db=tmp_path / "c.db")
    assert run.returncode == 2 and no_traceback(run).strip().endswith("error: unrecognized arguments: --bogus")


def test_an_unknown_flag_gets_the_usage_of_its_subcommand(tmp_path):
    run = stardrill("schedule", "next", "--time", "09:00", "--tz", "UTC", "--wrapup", "08:00", db=tmp_path / "c.db")
    err = no_traceback(run)
    assert run.returncode == 2 and err.startswith("usage: stardrill schedule next ")
    assert err.strip().endswith("stardrill schedule next: error: unrecognized arguments: --wrapup 08:00")


def test_an_unknown_flag_is_named_before_a_missing_subcommand(tmp_path):
    run = stardrill("schedule", "--bogus", db=tmp_path / "c.db")
    assert run.returncode == 2 and no_traceback(run).strip().endswith("schedule: error: unrecognized arguments: --bogus")
    missing = stardrill("schedule", db=tmp_path / "c.db")
    assert missing.returncode == 2 and no_traceback(missing).strip().endswith("required: ACTION")


# 9. practice --user reads users as stats, history and export do


@pytest.mark.parametrize("user, words", [("slack:U1", "console member"), ("irc:bob", "no platform 'irc'"),
                                         ("", "--user needs a value"), ("  ", "--user needs a value")])
def test_practice_refuses_a_user_it_cannot_store(tmp_path, user, words):
    db = tmp_path / "c.db"
    line = one_line_error(stardrill("practice", "--user", user, stdin="I fixed it.\n.\n", db=db))
    assert words in line and stored_users(db) == []


def test_practice_as_console_user_is_that_member(tmp_path):
    db = tmp_path / "c.db"
    run = stardrill("practice", "--user", "console:ana", stdin="I fixed it.\n.\n", db=db)
    assert run.returncode == 0, run.stderr.decode()
    assert stored_users(db) == [("console", "ana")]
