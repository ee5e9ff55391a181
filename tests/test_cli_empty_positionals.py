"""Empty arguments and a missing database folder, through the real `stardrill` command.

An empty (or blank) positional argument is refused naming it, where Python would read an empty path as the current
folder (`stardrill backup ''` would say ". is a folder", `stardrill content validate ''` would validate the folder
it was run in). `stardrill health` with STARDRILL_DB in a folder that does not exist names that folder rather than
reporting that no process uses the database. Each gets one line, its exit code, and nothing created or changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stardrill.store import Store
from tests.test_cli_bad_inputs_more import (SETTINGS_OF_ANOTHER_RUN, UNREACHABLE_PG, bundled_questions,
                                            missing_folder_line, only_error_line, tree)


def stardrill_in(folder: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The real command run from `folder`, so what an empty path would reach (".") is a folder the test watches."""
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_OF_ANOTHER_RUN}
    environment.update(NO_COLOR="1", **env)
    return subprocess.run([sys.executable, "-m", "stardrill", *args], cwd=folder, capture_output=True,
                          stdin=subprocess.DEVNULL, env=environment, timeout=60)


def files_and_contents(root: Path) -> dict[str, bytes | None]:
    """Every path under `root` with its bytes (None for a folder): a file changed in place shows too."""
    return {str(path.relative_to(root)): None if path.is_dir() else path.read_bytes() for path in root.rglob("*")}


# 1. an empty positional argument is refused, naming it as the usage does


SCHEDULE_RULE = ["--time", "09:00", "--tz", "UTC"]
BUNDLED = "{bundled}"  # a good path given beside the empty one


@pytest.mark.parametrize("command, args, name", [
    ("backup", [""], "PATH"),
    ("backup", ["   "], "PATH"),
    ("backup", ["", "--force"], "PATH"),
    ("restore", [""], "PATH"),
    ("restore", ["\t"], "PATH"),
    ("content validate", [""], "PATHS"),
    ("content validate", [BUNDLED, ""], "PATHS"),
    ("schedule add", ["", *SCHEDULE_RULE], "CHANNEL"),
    ("schedule remove", [""], "CHANNEL"),
    ("schedule pause", [""], "CHANNEL"),
    ("schedule resume", [" "], "CHANNEL"),
    ("schedule skip", [""], "CHANNEL"),
], ids=lambda value: " ".join(map(repr, value)) if isinstance(value, list) else value)
def test_an_empty_positional_argument_is_refused_naming_it(tmp_path, command, args, name):
    Store(tmp_path / "s.db").close()  # a real database: a backup or restore would have something to work on
    here = tmp_path / "here"  # the folder the command runs in, which an empty path would name
    here.mkdir()
    before = files_and_contents(tmp_path)
    run = stardrill_in(here, *command.split(), *(a.format(bundled=bundled_questions()) for a in args),
                       env={"STARDRILL_DB": str(tmp_path / "s.db")})
    assert run.returncode == 2 and run.stdout == b""
    assert only_error_line(run) == f"error: {name} needs a value; see `stardrill {command} --help`"
    assert files_and_contents(tmp_path) == before


# 2. `stardrill health` names a STARDRILL_DB folder that does not exist


@pytest.mark.parametrize("store_setting", [{}, {"STARDRILL_DATABASE_URL": UNREACHABLE_PG}], ids=["sqlite", "postgresql"])
def test_health_names_a_stardrill_db_folder_that_does_not_exist(tmp_path, store_setting):
    missing = tmp_path / "no" / "such"
    run = stardrill_in(tmp_path, "health", env={"STARDRILL_DB": str(missing / "s.db"), **store_setting})
    assert run.returncode == 1 and run.stdout == b""  # health's contract: 0 when every check passes, else 1
    assert only_error_line(run) == missing_folder_line(missing)
    assert tree(tmp_path) == []
