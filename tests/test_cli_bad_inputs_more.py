"""More bad input a new user types, through the real `stardrill` command: a STARDRILL_DB in a folder that does not
exist, validating the bundled folder or a folder with no question files, options given an empty value, and
`stardrill feedback` with nothing on standard input. Each gets one line naming the problem, a non-zero exit code,
and nothing created or stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stardrill.content_loader import bundled_dir
from stardrill.store import Store
from tests.chat import WEAK

SETTINGS_OF_ANOTHER_RUN = ("STARDRILL_DB", "STARDRILL_DATABASE_URL", "STARDRILL_CONTENT_DIRS", "XDG_DATA_HOME",
                           "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "DISCORD_TOKEN")
UNREACHABLE_PG = "postgresql://bob@127.0.0.1:9/nowhere"  # port 9 (discard): nothing listens, the connection is refused


def stardrill(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    """The real command in a child process, with only the settings the test gives (a developer's own are dropped)."""
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_OF_ANOTHER_RUN}
    environment.update(NO_COLOR="1", **env)
    return subprocess.run([sys.executable, "-m", "stardrill", *args], input=stdin.encode(), capture_output=True,
                          env=environment, timeout=60)


def only_error_line(run) -> str:
    """The single stderr line of a refused command (no usage, no traceback)."""
    lines = run.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr.decode()
    return lines[0]


def tree(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


# 1. STARDRILL_DB in a folder that does not exist: refused, nothing made


def missing_folder_line(folder: Path) -> str:
    return f"error: the folder {folder} for STARDRILL_DB does not exist; create it or fix the path"


@pytest.mark.parametrize("args", [
    ["stats"],
    ["history"],
    ["export", "--user", "console:you"],
    ["practice"],
    ["run", "--platform", "console"],
    ["schedule", "list"],
    ["schedule", "add", "console:team", "--time", "09:00", "--tz", "UTC"],
    ["backup", "{tmp}/copy.db"],
    ["restore", "{tmp}/good.db"],
    ["db", "copy", "--to", UNREACHABLE_PG],
], ids=lambda args: " ".join(args[:2]))
def test_a_stardrill_db_in_a_missing_folder_is_refused_and_nothing_is_made(tmp_path, args):
    Store(tmp_path / "good.db").close()  # a real Stardrill database, for restore to accept
    before = tree(tmp_path)
    missing = tmp_path / "no" / "such"
    run = stardrill(*(a.format(tmp=tmp_path) for a in args), env={"STARDRILL_DB": str(missing / "s.db")},
                    stdin=f"{WEAK}\n.\n")
    assert run.returncode == 2 and only_error_line(run) == missing_folder_line(missing)
    assert run.stdout == b"" and tree(tmp_path) == before


def test_with_postgresql_the_missing_stardrill_db_folder_is_refused_before_connecting(tmp_path):
    missing = tmp_path / "no" / "such"
    run = stardrill("stats", env={"STARDRILL_DB": str(missing / "s.db"), "STARDRILL_DATABASE_URL": UNREACHABLE_PG})
    assert run.returncode == 2 and only_error_line(run) == missing_folder_line(missing)
    assert tree(tmp_path) == []


def test_only_the_built_in_location_gets_its_folders_made(tmp_path):
    data_home = tmp_path / "xdg" / "deep"  # STARDRILL_DB unset: the database goes under XDG_DATA_HOME/stardrill
    first_run = stardrill("stats", env={"XDG_DATA_HOME": str(data_home)})
    assert first_run.returncode == 0, first_run.stderr.decode()
    assert (data_home / "stardrill" / "stardrill.db").is_file()
    named = tmp_path / "named" / "deep"
    run = stardrill("stats", env={"XDG_DATA_HOME": str(data_home), "STARDRILL_DB": str(named / "s.db")})
    assert run.returncode == 2 and only_error_line(run) == missing_folder_line(named)
    assert not (tmp_path / "named").exists()


# 2. validating the bundled folder itself compares it with nothing but itself once


def bundled_questions() -> Path:
    return Path(str(bundled_dir())) / "questions"


@pytest.mark.parametrize("spelling", ["real path", "symlink"])
def test_validating_the_bundled_folder_does_not_clash_with_itself(tmp_path, spelling):
    folder = bundled_questions()
    if spelling == "symlink":
        (tmp_path / "bank").symlink_to(folder, target_is_directory=True)
        folder = tmp_path / "bank"
    run = stardrill("content", "validate", str(folder), env={"STARDRILL_DB": str(tmp_path / "s.db")})
    err = run.stderr.decode()
    assert run.returncode == 0 and "already used" not in err, err
    assert run.stdout.decode().startswith("ok: ")


# 3. a folder with no question files is not "ok"


def no_question_files_line(folder: Path, holds: str) -> str:
    return (f"{folder}: no question files (*.toml) found; {holds}: "
            "write the questions as TOML shaped like content/questions/*.toml")


@pytest.mark.parametrize("files, holds", [
    ({"pack.json": '{"questions": []}', "pack.yaml": "questions: []\n"}, "it holds only pack.json, pack.yaml"),
    ({}, "it is empty"),
])
def test_a_folder_with_no_question_files_is_a_problem(tmp_path, files, holds):
    pack = tmp_path / "pack"
    pack.mkdir()
    for name, text in files.items():
        (pack / name).write_text(text)
    before = tree(tmp_path)
    run = stardrill("content", "validate", str(pack), env={"STARDRILL_DB": str(tmp_path / "s.db")})
    assert run.returncode == 1 and run.stdout == b""
    assert run.stderr.decode().splitlines() == [no_question_files_line(pack, holds), "1 problem(s) found"]
    assert tree(tmp_path) == before


def test_an_empty_pack_in_stardrill_content_dirs_is_a_problem_too(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    run = stardrill("content", "validate", env={"STARDRILL_DB": str(tmp_path / "s.db"), "STARDRILL_CONTENT_DIRS": str(pack)})
    assert run.returncode == 1 and run.stdout == b""
    assert run.stderr.decode().splitlines()[0] == no_question_files_line(pack, "it is empty")


# 4. an option given an empty value is refused, naming the flag


SCHEDULE_RULE = ["--time", "09:00", "--tz", "UTC"]


@pytest.mark.parametrize("command, args, flag", [
    ("practice", ["--level", ""], "--level"),
    ("practice", ["--level="], "--level"),
    ("practice", ["--level", "   "], "--level"),
    ("practice", ["--question", ""], "--question"),
    ("practice", ["--competency", ""], "--competency"),
    ("practice", ["--user", ""], "--user"),
    ("feedback", ["--level", ""], "--level"),
    ("feedback", ["--question", ""], "--question"),
    ("questions", ["--level", ""], "--level"),
    ("questions", ["--competency", ""], "--competency"),
    ("stats", ["--user", ""], "--user"),
    ("history", ["--ans", ""], "--answer"),  # an abbreviation is named by the flag's full spelling
    ("export", ["--user", ""], "--user"),
    ("run", ["--platform", ""], "--platform"),
    ("run", ["--slack-mode", ""], "--slack-mode"),
    ("run", ["--port", ""], "--port"),
    ("schedule next", [*SCHEDULE_RULE, "--days", ""], "--days"),
    ("schedule next", ["--time", "", "--tz", "UTC"], "--time"),
    ("schedule next", ["--time", "09:00", "--tz", ""], "--tz"),
    ("schedule next", [*SCHEDULE_RULE, "--from", ""], "--from"),
    ("schedule next", [*SCHEDULE_RULE, "--count", ""], "--count"),
    ("schedule add", ["console:team", *SCHEDULE_RULE, "--wrapup", ""], "--wrapup"),
    ("schedule add", ["console:team", *SCHEDULE_RULE, "--skip-dates", ""], "--skip-dates"),
    ("db copy", ["--to", ""], "--to"),
    ("discord invite-url", ["--client-id", ""], "--client-id"),
    ("discord sync", ["--guild", ""], "--guild"),
])
def test_an_empty_option_value_is_refused_naming_the_flag(tmp_path, command, args, flag):
    db = tmp_path / "s.db"
    run = stardrill(*command.split(), *args, env={"STARDRILL_DB": str(db)}, stdin=f"{WEAK}\n.\n")
    assert run.returncode == 2 and run.stdout == b""
    assert only_error_line(run) == f"error: {flag} needs a value; see `stardrill {command} --help`"
    assert tree(tmp_path) == []  # refused before the database is opened


# 5. `stardrill feedback` with nothing on standard input


NO_ANSWER = ("error: there was no answer on standard input: pipe one in (`stardrill feedback < answer.txt`), "
             "or type it at the terminal and end it with Ctrl-D")


@pytest.mark.parametrize("stdin", ["", "  \n\t\n"], ids=["empty", "whitespace"])
@pytest.mark.parametrize("mode", [[], ["--json"]], ids=["text", "json"])
def test_feedback_with_no_answer_on_stdin_says_so_and_prints_no_score(tmp_path, stdin, mode):
    run = stardrill("feedback", *mode, env={"STARDRILL_DB": str(tmp_path / "s.db")}, stdin=stdin)
    assert run.returncode == 2 and run.stdout == b""
    assert only_error_line(run) == NO_ANSWER
    assert tree(tmp_path) == []
