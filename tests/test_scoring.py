"""Feedback scored ahead of the reply's transaction, in this thread or in worker processes: the same result."""

from __future__ import annotations

import pytest

from stardrill import scoring
from stardrill.feedback import evaluate as engine
from tests.chat import STRONG, WEAK


@pytest.fixture
def question(bank):
    return bank.question("lead-without-title")


def test_the_flow_gets_what_was_scored_ahead_for_the_same_inputs_and_the_engine_for_others(bank, question):
    level = bank.level("senior")
    scoring.ahead(bank, STRONG, question, level)
    assert scoring.evaluate(STRONG, question, level).to_json() == engine(STRONG, question, level).to_json()
    scoring.ahead(bank, STRONG, question, level)
    assert scoring.evaluate(WEAK, question, level).to_json() == engine(WEAK, question, level).to_json()
    probe = question.probes[1]
    scoring.ahead(bank, WEAK, question, level)  # left over, then a probe reply with the same text
    assert scoring.evaluate(WEAK, question, level, probe=probe).to_json() == engine(WEAK, question, level, probe=probe).to_json()


def test_worker_processes_score_exactly_as_the_thread_does(bank, question, monkeypatch):
    monkeypatch.setenv(scoring.SETTING, "1")
    level, probe = bank.level("sde2"), question.probes[0]
    try:
        for text, asked in ((STRONG, None), (WEAK, None), (WEAK, probe)):
            scoring.ahead(bank, text, question, level, asked)
            assert scoring.evaluate(text, question, level, probe=asked).to_json() == \
                engine(text, question, level, probe=asked).to_json()
    finally:
        scoring.stop()


def test_a_killed_worker_process_is_replaced_and_the_answer_still_scored(bank, question, monkeypatch):
    monkeypatch.setenv(scoring.SETTING, "1")
    level = bank.level("senior")
    try:
        scoring.warm(bank)
        (first,) = scoring._pool(bank)._everyone
        first.process.kill()
        first.process.join(5)
        scoring.ahead(bank, STRONG, question, level)
        assert scoring.evaluate(STRONG, question, level).to_json() == engine(STRONG, question, level).to_json()
        (second,) = scoring._pool(bank)._everyone
        assert second.process.pid != first.process.pid and second.process.is_alive()
    finally:
        scoring.stop()
    assert not second.process.is_alive()


def test_an_answer_the_worker_process_cannot_score_is_scored_in_the_thread(bank, question, monkeypatch, caplog):
    monkeypatch.setenv(scoring.SETTING, "1")
    unknown = question.model_copy(update={"id": "not-in-the-bank"})  # the worker looks questions up by id
    level = bank.level("senior")
    try:
        scoring.ahead(bank, STRONG, unknown, level)
        assert scoring.evaluate(STRONG, unknown, level).to_json() == engine(STRONG, unknown, level).to_json()
        assert "scoring in a worker process failed" in caplog.text
    finally:
        scoring.stop()


def test_the_process_count_is_a_bounded_whole_number(monkeypatch):
    from stardrill.settings import SettingError

    for bad in ("-1", "65", "two"):
        monkeypatch.setenv(scoring.SETTING, bad)
        with pytest.raises(SettingError, match=scoring.SETTING):
            scoring.processes()
    monkeypatch.setenv(scoring.SETTING, "")
    assert scoring.processes() == 0


DIES_AT_START = """#!{python}
import os, pickle, re, sys
handle = int(re.search(r"pipe_handle=(\\d+)", " ".join(sys.argv)).group(1))
with os.fdopen(handle, "rb") as parent:
    pickle.load(parent), pickle.load(parent)  # what the parent sends a new worker, read so its write never blocks
sys.exit(3)  # then gone before saying "ready", as a worker the OOM killer takes would be
"""


@pytest.mark.parametrize("count", [1, 2])
def test_worker_processes_that_die_at_start_leave_scoring_in_the_thread(bank, question, monkeypatch, caplog, tmp_path,
                                                                         count):
    import multiprocessing
    import sys
    from multiprocessing import spawn

    interpreter = tmp_path / "python-that-dies"
    interpreter.write_text(DIES_AT_START.format(python=sys.executable))
    interpreter.chmod(0o755)
    monkeypatch.setenv(scoring.SETTING, str(count))
    usual = spawn.get_executable()
    spawn.set_executable(str(interpreter))
    level = bank.level("senior")
    try:
        scoring.warm(bank)
        assert scoring._pool(bank) is None
        assert "feedback worker processes could not start (a feedback worker process ended as it started (exit code 3))" \
            in caplog.text
        scoring.ahead(bank, STRONG, question, level)
        assert scoring.evaluate(STRONG, question, level).to_json() == engine(STRONG, question, level).to_json()
    finally:
        spawn.set_executable(usual)
        scoring.stop()
    assert [p for p in multiprocessing.active_children() if p.name == "stardrill-feedback"] == []
