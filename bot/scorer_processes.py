"""Feedback engine worker processes, each behind one pipe: a thread borrows an idle one, sends the reply, waits.

Why not concurrent.futures.ProcessPoolExecutor: its manager and queue-feeder threads, futures and wake-ups
cost the main process more interpreter-lock time per answer than the pipe's one write and one read, and
that lock is what a busy process runs out of first. Here the asking thread does the exchange itself and
waits on the pipe with the lock released.

A process that dies (killed, out of memory) is replaced and the answer sent once more; a second failure, or
an error raised by the engine, reaches the caller as ScoringFailed, which scores in its own thread instead.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

from stardrill.feedback import Feedback
from stardrill.feedback import evaluate as engine

log = logging.getLogger(__name__)

START_TIMEOUT = 120.0  # seconds for a process to import and warm the engine (a slow disk, a loaded machine)


class ScoringFailed(RuntimeError):
    """A worker process could not score this answer."""


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection


class ScorerProcesses:
    def __init__(self, bank, count: int) -> None:
        # spawn, not fork: this process runs threads (event loops, SQLite connections) a fork would copy mid-use
        self._context = multiprocessing.get_context("spawn")
        self._bank = bank
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._everyone: list[_Worker] = []
        self._lock = threading.Lock()
        self._stopped = False
        try:
            with _sigint_held():
                born = [self._spawn() for _ in range(count)]  # all start together; none starts later, mid-traffic
            for worker in born:
                self._await_ready(worker)
                self._idle.put(worker)
        except (ScoringFailed, OSError):
            self.stop()  # none is left running behind the caller's back
            raise

    def score(self, job: tuple) -> Feedback:
        """(text, question id, level id, probe index) scored in an idle process, this thread waiting."""
        worker = self._idle.get()
        try:
            try:
                status, value = self._exchange(worker, job)
            except (EOFError, OSError):
                worker = self._replace(worker)
                status, value = self._exchange(worker, job)
        except (EOFError, OSError) as exc:
            raise ScoringFailed(f"worker process lost: {exc!r}") from exc
        finally:
            self._idle.put(worker)
        if status != "ok":
            raise ScoringFailed(value)
        return value

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            everyone, self._everyone = self._everyone, []
        for worker in everyone:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in everyone:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(1)
            worker.conn.close()

    def _exchange(self, worker: _Worker, job: tuple) -> tuple[str, object]:
        worker.conn.send(job)
        return worker.conn.recv()

    def _spawn(self) -> _Worker:
        mine, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_serve, args=(theirs, self._bank), name="stardrill-feedback",
                                        daemon=True)
        process.start()
        theirs.close()  # only the child holds its end: its death reads as EOF here
        worker = _Worker(process, mine)
        with self._lock:
            self._everyone.append(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        try:
            ready = worker.conn.poll(START_TIMEOUT) and worker.conn.recv() == "ready"
        except (EOFError, OSError):  # it died first: a broken interpreter, out of memory
            worker.process.join(1)
            raise ScoringFailed(f"a feedback worker process ended as it started (exit code {worker.process.exitcode})")
        if not ready:
            raise ScoringFailed(f"a feedback worker process did not start within {START_TIMEOUT:.0f} s")

    def _replace(self, dead: _Worker) -> _Worker:
        log.warning("a feedback worker process ended (exit code %s); starting another", dead.process.exitcode)
        with self._lock:
            if dead in self._everyone:
                self._everyone.remove(dead)
            if self._stopped:
                raise OSError("the worker processes are stopping")
        dead.conn.close()
        with _sigint_held():
            worker = self._spawn()
        self._await_ready(worker)
        return worker


@contextlib.contextmanager
def _sigint_held():
    """Hold SIGINT back while the workers are born: they inherit the blocked signal and ignore it before
    unblocking; here it is unblocked after, so a Ctrl-C pressed meanwhile still arrives, late, not lost."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


# -- in the worker process -------------------------------------------------------------------------------

def _serve(conn: Connection, bank) -> None:
    # A terminal's Ctrl-C reaches the whole process group: the parent decides when its workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    question = next(iter(bank.questions.values()))
    engine("I led the migration and cut latency by 40%.", question, bank.level(question.levels[0]))  # warm
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if job is None:
            return
        try:
            reply = ("ok", _score(bank, *job))
        except Exception as exc:  # the parent falls back to scoring in its own thread
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


def _score(bank, text: str, question_id: str, level_id: str, probe_index: int | None) -> Feedback:
    question = bank.question(question_id)
    probe = None if probe_index is None else question.probes[probe_index]
    return engine(text, question, bank.level(level_id), probe=probe)
