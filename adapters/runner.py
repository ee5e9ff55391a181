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
    bot_token, second = settings.get("SLACK_BOT_TOKEN"), settings.get("SLACK_APP_TOKEN") or settings.get("SLACK_SIGNING_SECRET")
    if bool(bot_token) != bool(second):  # half a Slack setup must not quietly start the console instead
        raise bootstrap.StartupError(
            "Slack is half set up: SLACK_BOT_TOKEN goes with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET "
            f"(HTTP mode), and {'neither is' if bot_token else 'SLACK_BOT_TOKEN is not'} set")
    if bot_token:
        found.append("slack")
    if settings.get("DISCORD_TOKEN"):
        found.append("discord")
    return found or ["console"]


def run(args) -> int:
    platforms = chosen_platforms(args.platform)
    check_settings()
    app = bootstrap.app()
    if platforms == ["console"]:
        return run_console(app)
    running, scheduler, stop = [], None, StopSignals()
    ops = Ops.start(app.store, platforms, args)  # first: a metrics port in use fails before anything connects
    stop.install()
    try:
        for platform in platforms:
            module = importlib.import_module(STARTERS[platform])
            running.append(module.start(app, args, ops=ops))
            log.info("%s adapter started", platform)
        stop.defer()
        ports = {p: getattr(r, "outbox", None) or r.adapter for p, r in zip(platforms, running) if getattr(r, "adapter", None)}
        scheduler = start_scheduler(app, ports, on_leader=lambda: ops.scheduler(leader=True))
        ops.scheduler(leader=scheduler is not None and scheduler.leading)
        settle_heap()
        quick_handoffs()
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


def check_settings() -> None:
    """Settings only the running bot reads, checked before anything connects (one line, exit 2)."""
    from stardrill import scoring
    from stardrill.schedules.service import default_grace

    try:
        default_grace()
        settings.whole_number("STARDRILL_SEED")
        scoring.processes()
    except settings.SettingError as exc:
        raise bootstrap.StartupError(str(exc)) from None


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


SWITCH_INTERVAL = 0.0001  # seconds


def quick_handoffs() -> None:
    """Hand the interpreter lock over every 0.1 ms instead of 5 ms.

    Storing an event before its ack releases the lock for SQLite's I/O; getting it back could wait the
    full switch interval while a worker scores an answer (Python switches threads every 5 ms by default),
    a wait that lands on the ack. A switch costs a few microseconds, paid only while threads compete.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)


def settle_heap() -> None:
    """Take what start-up loaded (the bank, the SDKs, their caches) out of the garbage collector's walks.

    A full collection walks every tracked object: about 9 ms once the bank and discord.py are
    loaded, a stall that lands on whichever reply is being computed. What lives for the whole
    process never needs walking, so it is frozen once (gc.freeze, as the Python docs suggest);
    garbage made since start is collected first so none of it is pinned.
    """
    gc.collect()
    gc.freeze()


def start_scheduler(app, adapters: dict, on_leader=None):
    """Post scheduled questions through these adapters (the platforms' outboxes).

    When another process on this DB schedules, this one stands by and takes over once that process
    is gone (`on_leader` is called then); without `on_leader` (the console) it returns None instead.
    """
    from stardrill.schedules.service import ScheduleService

    service = ScheduleService(app, adapters)
    if service.start():
        return service
    if on_leader is not None:
        service.stand_by(on_leader)
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
