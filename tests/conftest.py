"""Shared fixtures: the real bank, a real store per test (a SQLite file, and a schema on a throwaway
PostgreSQL server), the core on an injected clock.

Every test that takes `store` (or `app`) runs once per engine in STARDRILL_TEST_ENGINES (default
both). Without PostgreSQL's server binaries the PostgreSQL runs are skipped, saying why, except in
CI (CI set), where they fail: CI must test both.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone

import pytest

from stardrill.app import Stardrill
from stardrill.clock import FixedClock
from stardrill.content_loader import load_bank
from tests.pg_server import postgres_url
from tests.stores import open_test_store

# Tests choose their store themselves: a database URL in the developer's shell must never be written to.
os.environ.pop("STARDRILL_DATABASE_URL", None)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday


@pytest.fixture(autouse=True)
def _root_logging_restored():
    """A test that runs the CLI in this process sets up logging (adapters/logs.py): a handler on the stderr
    pytest captured for that test. Put the root logger back, so threads a later test leaves logging never
    write to a closed capture ("--- Logging error ---")."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def bank():
    return load_bank()


ENGINES = [e.strip() for e in os.environ.get("STARDRILL_TEST_ENGINES", "sqlite,postgresql").split(",") if e.strip()]


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture
def pg_url() -> str:
    return postgres_url()


@pytest.fixture
def bot_db(engine, tmp_path):
    """The database `stardrill run` processes in a test share (tests/faults_kit.py)."""
    from tests.faults_kit import BotDb

    return BotDb(engine, tmp_path)


@pytest.fixture
def store(tmp_path, engine):
    s = open_test_store(engine, tmp_path)
    yield s
    s.close()


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def app(bank, store, clock):
    return Stardrill(bank, store, clock, default_level="senior", seed=7)
