"""The wheel installs exactly one import name, and a stranger's `bot`/`adapters`/`content` can't break it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _pip(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    # Offline on purpose: the build backend comes from the test extra, nothing is fetched.
    cmd = [sys.executable, "-m", "pip", *args, "--no-build-isolation", "--no-index", "--quiet"]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in ("bot", "adapters", "content"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    run = _pip("wheel", "--no-deps", "-w", str(out), str(src))
    assert run.returncode == 0, run.stderr
    (built,) = out.glob("stardrill-*.whl")
    return built


def test_the_wheel_adds_exactly_one_import_name(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"stardrill"}
    assert "stardrill/content/levels.toml" in names
    assert sum(n.startswith("stardrill/content/questions/") and n.endswith(".toml") for n in names) >= 5
    assert "stardrill/adapters/slack_adapter/manifest.yml" in names
    assert "stardrill/adapters/slack_adapter/manifest.distributed.yml" in names


def test_the_bank_loads_from_the_zipped_wheel(wheel, tmp_path):
    """importlib.resources reads the bank straight out of a zip, no unpacking."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from stardrill.content_loader import load_bank, bundled_dir\n"
        "bank = load_bank([bundled_dir()])\n"
        "print(type(bundled_dir()).__name__, len(bank.questions), len(bank.levels))\n"
    )
    run = subprocess.run([sys.executable, "-c", code, str(wheel)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    kind, questions, levels = run.stdout.split()
    assert kind == "Path" and int(questions) >= 100 and int(levels) == 7  # zipfile.Path


def _impostor(tmp_path: Path) -> Path:
    """A package that claims the generic names `bot`, `adapters` and `content`, as PyPI packages do."""
    root = tmp_path / "impostor"
    for name in ("bot", "adapters", "content"):
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text(f"raise ImportError('the impostor {name} was imported')\n")
        (root / name / "cli.py").write_text("raise ImportError('impostor')\n")
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "impostor"\nversion = "1.0"\n'
        '[tool.setuptools]\npackages = ["bot", "adapters", "content"]\n'
    )
    target = tmp_path / "site"
    run = _pip("install", "--target", str(target), str(root))
    assert run.returncode == 0, run.stderr
    assert (target / "adapters" / "__init__.py").exists()
    return target


def test_practice_works_beside_a_package_that_claims_bot_adapters_and_content(tmp_path):
    site = _impostor(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(site), "STARDRILL_DB": str(tmp_path / "s.db"), "STARDRILL_SEED": "1"}
    answer = "I traced the dropped webhooks to timeouts, wrote a retry and cut losses from 0.3% to zero.\n.\n"
    run = subprocess.run([sys.executable, "-m", "stardrill", "practice"], input=answer, capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "/100" in run.stdout
    assert "impostor" not in run.stdout + run.stderr


def test_the_source_folders_refuse_to_run_uninstalled(tmp_path):
    """From a checkout, `python -m adapters.cli` says how to run Stardrill instead of half-working."""
    run = subprocess.run([sys.executable, "-m", "adapters.cli", "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert run.returncode != 0
    assert "pip install -e ." in run.stderr and "stardrill" in run.stderr
