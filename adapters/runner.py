"""`stardrill run`: start every adapter whose tokens are present over one store; the console when none are.

Each platform module exposes `start(app, args, ops=None) -> Running` (ops: adapters/ops.py, readiness
and metrics); the runner waits until one stops or the process is interrupted, then stops them all.
"""

from __future__ import annotations

import gc
import importlib
import logging
import signal
import sys
import threading
from typing import Protocol

from stardrill.adapters import bootstrap
from stardrill.adapters.ops import Ops
from stardrill import settings

log = logging.getLogger(__name__)

STARTERS = {
    "slack": "stardrill.adapters.slack_adapter.runtime",
    "discord": "stardrill.adapters.discord_adapter.runtime",
}


class Running(Protocol):
    adapter: object  # a bot.ports.ChatAdapter

    def wait(self) -> None: ...

    def stop(self) -> None: ...


def chosen_platforms(platform: str) -> list[str]:
    if platform != "auto":
        return [platform]
    found = []
    if settings.get("SLACK_BOT_TOKEN") and (settings.get("SLACK_APP_TOKEN") or settings.get("SLACK_SIGNING_SECRET")):
        found.append("slack")
    if settings.get("DISCORD_TOKEN"):
        found.append("discord")
    return found or ["console"]


def run(args) -> int:
    platforms = chosen_platforms(args.platform)
    app = bootstrap.app()
    if platforms == ["console"]:
        return run_console(app)
    running, scheduler, stop = [], None, StopSignals()
    ops = Ops.start(app.store.path, platforms, args)  # first: a metrics port in use fails before anything connects
    stop.install()
    try:
        for platform in platforms:
            module = importlib.import_module(STARTERS[platform])
            running.append(module.start(app, args, ops=ops))
            log.info("%s adapter started", platform)
        stop.defer()
        scheduler = start_scheduler(app, {p: r.adapter for p, r in zip(platforms, running) if getattr(r, "adapter", None)})
        ops.scheduler(leader=scheduler is not None)
        settle_heap()
        stop.wait_for(running[0])
    except bootstrap.StartupError:
        raise
    except KeyboardInterrupt:
        pass
    finally:
        ops.status.stopping = True
        if stop.received is not None:
            log.info("%s received; stopping", signal.Signals(stop.received).name)
        if scheduler is not None:
            scheduler.stop()
        for item in running:
            item.stop()
        ops.stop()
        stop.uninstall()
    return 0


class StopSignals:
    """Ctrl-C (SIGINT) and `docker stop` (SIGTERM) stop the bot cleanly, exit code 0.

    While adapters start, a signal abandons the start at once (KeyboardInterrupt; what is up is
    stopped). From `defer()` on the handler only records it: an exception raised wherever the main
    thread happens to be could land half-way through starting the scheduler. The main thread then
    notices within POLL seconds; replies in flight finish and the scheduler releases its lock.
    """

    POLL = 0.2  # seconds

    def __init__(self):
        self.received: int | None = None
        self.deferred = False
        self._previous: dict = {}

    def install(self) -> None:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._on_signal)

    def uninstall(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def defer(self) -> None:
        self.deferred = True

    def _on_signal(self, signum: int, _frame) -> None:
        self.received = signum  # no locks, no logging: this runs between two bytecodes of the main thread
        if not self.deferred:
            raise KeyboardInterrupt

    def wait_for(self, first: Running) -> None:
        """Until a stop signal arrives or the first adapter stops by itself."""
        ended = threading.Event()
        threading.Thread(target=lambda: (first.wait(), ended.set()), name="stardrill-wait", daemon=True).start()
        while self.received is None and not ended.wait(self.POLL):
            pass


def settle_heap() -> None:
    """Take what start-up loaded (the bank, the SDKs, their caches) out of the garbage collector's walks.

    A full collection walks every tracked object: about 9 ms once the bank and discord.py are
    loaded, a stall that lands on whichever reply is being computed. What lives for the whole
    process never needs walking, so it is frozen once (gc.freeze, as the Python docs suggest);
    garbage made since start is collected first so none of it is pinned.
    """
    gc.collect()
    gc.freeze()


def start_scheduler(app, adapters: dict):
    """Post scheduled questions through these adapters; None when another process on this DB schedules."""
    from stardrill.schedules.service import ScheduleService

    service = ScheduleService(app, adapters)
    if service.start():
        return service
    service.stop()
    return None


def run_console(app) -> int:
    from stardrill.adapters.cli_practice import _colour
    from stardrill.adapters.console.adapter import ConsoleAdapter

    adapter = ConsoleAdapter(app, sys.stdin, sys.stdout, colour=_colour())
    scheduler = start_scheduler(app, {"console": adapter})  # console:team schedules post into this terminal
    try:
        return adapter.run()
    finally:
        if scheduler is not None:
            scheduler.stop()
