"""Command-line input as newcomers type it: both cases, strict parsing, errors that name the CLI's own commands."""

from __future__ import annotations

import sqlite3

import pytest

from tests.chat import STRONG, Member, messages
from tests.test_console_e2e import stardrill


def one_line_error(run) -> str:
    lines = run.stderr.decode().strip().splitlines()
    assert run.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), run.stderr.decode()
    return lines[0]


@pytest.mark.parametrize("args", [
    ["schedule", "next", "--time", "09:00", "--tz", "UTC", "--days", "mon-"],
    ["schedule", "next", "--time", "09:00", "--tz", "UTC", "--days=-fri"],
    ["schedule", "next", "--time", "09:00", "--tz", "UTC", "--count", "100000"],
    ["stats", "--user", "irc:bob"],
    ["history", "--user", "irc:bob"],
    ["discord", "invite-url", "--client-id", "abc"],
])
def test_bad_input_is_refused_in_one_line(tmp_path, args):
    one_line_error(stardrill(*args, db=tmp_path / "c.db"))


def test_timezones_are_read_in_any_case(tmp_path):
    run = stardrill("schedule", "next", "--time", "09:00", "--tz", "utc", "--count", "1", db=tmp_path / "c.db")
    assert run.returncode == 0 and run.stdout.decode().endswith("09:00 UTC\n"), run.stderr.decode()
    added = stardrill("schedule", "add", "console:team", "--time", "09:00", "--tz", "europe/berlin", db=tmp_path / "c.db")
    assert added.returncode == 0 and "Europe/Berlin" in added.stdout.decode()


def test_next_prints_every_fire_time_asked_for(tmp_path):
    run = stardrill("schedule", "next", "--time", "09:00", "--tz", "UTC", "--days", "mon-fri", "--count", "1000",
                    "--from", "2026-03-02", db=tmp_path / "c.db")
    assert run.returncode == 0 and len(run.stdout.decode().splitlines()) == 1000


def test_history_of_an_unknown_answer_points_at_the_command_line(tmp_path):
    error = one_line_error(stardrill("history", "--answer", "999", db=tmp_path / "c.db"))
    assert "`stardrill history --user console:you`" in error and "/stardrill" not in error


@pytest.mark.parametrize("args", [
    ["practice", "--competency", "Ownership"], ["practice", "--level", "EM"],
    ["questions", "--competency", "Ownership"], ["questions", "--level", "EM"],
    ["feedback", "--level", "EM"],
])
def test_competencies_and_levels_are_accepted_in_any_case(tmp_path, args):
    answer = "I fixed the build.\n" if args[0] == "feedback" else ""  # feedback refuses an empty stdin
    run = stardrill(*args, stdin=answer, db=tmp_path / "c.db")
    assert run.returncode == 0, run.stderr.decode()


def test_practice_level_flag_applies_to_that_run_only(tmp_path):
    db = tmp_path / "c.db"
    run = stardrill("practice", "--level", "em", stdin=f"{STRONG}\n.\n", db=db)
    assert run.returncode == 0, run.stderr.decode()
    con = sqlite3.connect(db)
    assert con.execute("SELECT level FROM answers").fetchone() == ("em",)
    assert con.execute("SELECT level FROM users WHERE user_id = 'you'").fetchone() == (None,)


def test_chat_schedule_words_are_read_strictly(app):
    lead = Member(app, "lead")
    funday = messages(lead.command("stardrill", "schedule 09:00 Europe/Berlin funday"), "error")[0].text
    assert "'funday'" in funday and "unknown timezone 'funday'" not in funday and "days" in funday
    assert messages(lead.command("stardrill", "schedule 09:00 Europe/Berlin mon-"), "error")
    assert app.store.row("SELECT COUNT(*) AS n FROM schedules")["n"] == 0
    assert not messages(lead.command("stardrill", "schedule 09:00 utc mon-fri"), "error")
    assert app.store.row("SELECT tz FROM schedules") == {"tz": "UTC"}
