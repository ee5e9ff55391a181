"""Hexagonal boundary: the core never imports a platform SDK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bot_imports_no_slack_or_discord_module():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for p in (ROOT / "bot").rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'slack_bolt', 'slack_sdk', 'discord', 'aiohttp'})\n"
        "print(','.join(bad))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    assert len(modules) > 10
    assert run.stdout.strip() == "", f"bot/ pulled in platform modules: {run.stdout}"


def test_no_source_file_is_a_god_file():
    too_long = [
        (str(p.relative_to(ROOT)), n)
        for p in list((ROOT / "bot").rglob("*.py")) + list((ROOT / "adapters").rglob("*.py"))
        if (n := len(p.read_text().splitlines())) > 400
    ]
    assert too_long == []


def test_every_source_folder_is_a_package_the_wheel_includes():
    """pyproject finds packages by their __init__.py; a folder without one would be left out of the wheel."""
    from setuptools import find_packages

    found = set(find_packages(str(ROOT), include=["bot*", "adapters*", "content*"]))
    folders = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("bot", "adapters")
        for p in (ROOT / top).rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert folders - found == set()
