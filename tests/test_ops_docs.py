"""`stardrill --help`, `stardrill --version` and the README list the same commands and settings."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from stardrill.adapters.cli import parser
from stardrill.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def top_level_commands() -> set[str]:
    action = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return set(action.choices)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stardrill", *args], capture_output=True, text=True, timeout=60)


def test_the_readme_commands_table_lists_exactly_the_commands_of_the_cli():
    rows = re.findall(r"^\| `stardrill ([a-z][a-z-]*)", section("Commands"), re.MULTILINE)
    assert set(rows) == top_level_commands()


def test_the_readme_settings_table_lists_exactly_the_settings_registry():
    rows = re.findall(r"^\| `([A-Z_]+)` \|", section("Settings"), re.MULTILINE)
    assert sorted(rows) == sorted(SETTINGS)


def test_help_lists_every_command_and_every_setting():
    shown = run("--help")
    assert shown.returncode == 0
    for command in top_level_commands():
        assert re.search(rf"^\s+{command}\s", shown.stdout, re.MULTILINE), command
    assert [name for name in SETTINGS if f"  {name} " not in shown.stdout] == []


def test_version_comes_from_the_package_metadata():
    expected = f"stardrill {metadata.version('stardrill')}"
    assert run("--version").stdout.strip() == expected
    assert run("-V").stdout.strip() == expected
