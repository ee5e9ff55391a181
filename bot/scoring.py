"""Feedback scored before the transaction that stores it, in worker processes when configured.

Why: an inbox worker handles a thread reply in ONE write transaction (the answer, its feedback, the
queued reply and the inbox row commit together), and the feedback engine is most of that work. Scored
inside, it held the store's one write lock for its whole run, so replies were handled one at a time.
The worker now scores the reply first (`ahead`), holding no lock, and the flow's own call inside the
transaction (`evaluate`) takes that result when its inputs are the very same objects: the engine is a
pure function of them, so this changes when it runs, never what it returns.

With STARDRILL_FEEDBACK_PROCESSES above 0 the engine runs in that many worker processes (started once,
with the bank), so scoring leaves the interpreter lock to the event loops and the other threads; 0 scores
in the worker thread itself.
"""

from __future__ import annotations

import logging
import threading

from stardrill import settings
from stardrill.content_models import LevelProfile, Probe, Question
from stardrill.feedback import Feedback
from stardrill.feedback import evaluate as engine
from stardrill.scorer_processes import ScorerProcesses, ScoringFailed

log = logging.getLogger(__name__)

SETTING = "STARDRILL_FEEDBACK_PROCESSES"
_ready = threading.local()  # this thread's reply scored ahead: (text, question, level, probe, feedback)


def evaluate(text: str, question: Question, level: LevelProfile, *, probe: Probe | None = None) -> Feedback:
    """The engine's result, taken from `ahead` when this thread scored exactly these inputs."""
    ready, _ready.scored = getattr(_ready, "scored", None), None
    if ready is not None and ready[0] == text and ready[1] is question and ready[2] is level and ready[3] is probe:
        return ready[4]
    return engine(text, question, level, probe=probe)


def ahead(bank, text: str, question: Question, level: LevelProfile, probe: Probe | None = None) -> None:
    """Score now, outside any transaction; the next `evaluate` of the same inputs in this thread returns it."""
    pool = _pool(bank)
    if pool is None:
        feedback = engine(text, question, level, probe=probe)
    else:
        probe_index = None if probe is None else next(i for i, p in enumerate(question.probes) if p is probe)
        try:
            feedback = pool.score((text, question.id, level.id, probe_index))
        except ScoringFailed as exc:
            log.warning("scoring in a worker process failed (%s); scoring in this thread", exc)
            feedback = engine(text, question, level, probe=probe)
    _ready.scored = (text, question, level, probe, feedback)


def warm(bank) -> None:
    """Start the worker processes now (at start-up), not on the first reply."""
    _pool(bank)


# -- the worker processes ------------------------------------------------------------------------------

_current: tuple[object, int, ScorerProcesses | None] | None = None  # (bank, process count, processes)
_current_lock = threading.Lock()


def processes() -> int:
    return settings.whole_number(SETTING, 0, 64, "a number of processes")


def _pool(bank) -> ScorerProcesses | None:
    global _current
    count = processes()
    with _current_lock:
        if _current is None or _current[0] is not bank or _current[1] != count:
            if _current is not None and _current[2] is not None:
                _current[2].stop()  # another bank (tests, a reload) or count: start afresh
            _current = (bank, count, _start(bank, count))
        return _current[2]


def stop() -> None:
    """Stop the worker processes (the next `ahead` or `warm` starts them again)."""
    global _current
    with _current_lock:
        if _current is not None and _current[2] is not None:
            _current[2].stop()
        _current = None


def _start(bank, count: int) -> ScorerProcesses | None:
    if count == 0:
        return None
    try:
        started = ScorerProcesses(bank, count)
    except (ScoringFailed, OSError) as exc:  # a loaded machine, a process limit: the bot still answers
        log.error("feedback worker processes could not start (%s); scoring in the handling threads instead (%s)",
                  exc, SETTING)
        return None
    log.info("feedback scored in %d worker process(es) (%s)", count, SETTING)
    return started
