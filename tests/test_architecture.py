"""Hexagonal boundary and import direction, read from the source tree."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The repository's folders and the import names pyproject.toml maps them onto.
PACKAGE_OF = {"bot": "stardrill", "adapters": "stardrill.adapters", "content": "stardrill.content"}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    top, *rest = rel.parts
    return ".".join([PACKAGE_OF[top], *rest]).removesuffix(".__init__")


def core_modules() -> list[Path]:
    return sorted(p for p in (ROOT / "bot").rglob("*.py") if "__pycache__" not in p.parts)


def test_core_imports_no_slack_or_discord_module():
    modules = [module_name(p) for p in core_modules() if p.name != "__main__.py"]  # __main__ starts the CLI
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'slack_bolt', 'slack_sdk', 'discord', 'aiohttp'})\n"
        "print(','.join(bad))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert len(modules) > 10
    assert run.stdout.strip() == "", f"the core pulled in platform modules: {run.stdout}"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-local imports count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_core_module_imports_the_dispatcher():
    """The dispatcher (stardrill.app) imports the flows; flows share stardrill.context instead."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in core_modules()
        if p.name not in {"app.py", "__main__.py"} and "stardrill.app" in imported_modules(p)
    ]
    assert offenders == []


def test_the_core_never_imports_an_adapter():
    offenders = [
        str(p.relative_to(ROOT))
        for p in core_modules()
        if p.name != "__main__.py" and any(m.startswith("stardrill.adapters") for m in imported_modules(p))
    ]
    assert offenders == []


def test_no_code_imports_the_source_folders_by_their_folder_names():
    """Only `stardrill...` is installed; `import bot` would find someone else's package."""
    offenders = [
        f"{p.relative_to(ROOT)}: {m}"
        for top in ("bot", "adapters", "tests", "bench")
        for p in (ROOT / top).rglob("*.py")
        for m in imported_modules(p)
        if m.split(".")[0] in {"bot", "adapters", "content"}
    ]
    assert offenders == []


def test_no_source_file_is_a_god_file():
    too_long = [
        (str(p.relative_to(ROOT)), n)
        for p in list((ROOT / "bot").rglob("*.py")) + list((ROOT / "adapters").rglob("*.py"))
        if (n := len(p.read_text().splitlines())) > 400
    ]
    assert too_long == []


def test_every_source_folder_is_a_package_the_wheel_includes():
    """pyproject lists the packages; a new folder missing from the list would be left out of the wheel."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {
        module_name(p.parent / "__init__.py")
        for top in ("bot", "adapters", "content")
        for p in (ROOT / top).rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert folders - listed == set()
    assert listed - folders == set()
