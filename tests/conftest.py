"""Shared fixtures: the real bank, a real SQLite file per test, the core on an injected clock."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from stardrill.app import Stardrill
from stardrill.clock import FixedClock
from stardrill.content_loader import load_bank
from stardrill.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday


@pytest.fixture(scope="session")
def bank():
    return load_bank()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "stardrill.db")
    yield s
    s.close()


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def app(bank, store, clock):
    return Stardrill(bank, store, clock, default_level="senior", seed=7)
