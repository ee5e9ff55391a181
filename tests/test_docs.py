"""Tested docs: every CLI command and option, every setting and chat command appears in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

from stardrill.adapters.cli import parser
from stardrill.commands import SUBCOMMANDS
from stardrill.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _walk(p: argparse.ArgumentParser, prefix: str):
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{prefix} {name}", sub
                yield from _walk(sub, f"{prefix} {name}")


def test_every_cli_command_and_option_is_documented():
    missing = []
    for command, sub in _walk(parser(), "stardrill"):
        if f"`{command}" not in README:
            missing.append(command)
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help" and flag not in README:
                    missing.append(f"{command} {flag}")
    assert missing == []


def test_every_setting_is_documented():
    assert [name for name in SETTINGS if f"`{name}`" not in README] == []


def test_every_chat_subcommand_is_documented():
    assert [name for name in SUBCOMMANDS if f"/stardrill {name}" not in README] == []


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "stardrill practice" in commands[0] and "pytest" in commands[1]


def test_quick_start_works_where_the_system_python_is_externally_managed():
    """Debian/Ubuntu refuse `pip install` outside a virtual environment (PEP 668): the first command makes one."""
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    first = section.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()[0]
    assert first.index("python3 -m venv .venv") < first.index(". .venv/bin/activate") < first.index("pip install .")
