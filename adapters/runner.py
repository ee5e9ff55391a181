"""`stardrill run`: start every adapter whose tokens are present over one store; the console when none are.

Each platform module exposes `start(app, args) -> Running`; the runner waits until one stops or
the process is interrupted, then stops them all.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
from typing import Protocol

from adapters import bootstrap
from bot import settings

log = logging.getLogger(__name__)

STARTERS = {
    "slack": "adapters.slack_adapter.runtime",
    "discord": "adapters.discord_adapter.runtime",
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
    running, scheduler = [], None
    try:
        for platform in platforms:
            module = importlib.import_module(STARTERS[platform])
            running.append(module.start(app, args))
            log.info("%s adapter started", platform)
        scheduler = start_scheduler(app, {p: r.adapter for p, r in zip(platforms, running) if getattr(r, "adapter", None)})
        settle_heap()
        running[0].wait()
    except bootstrap.StartupError:
        raise
    except KeyboardInterrupt:
        log.info("interrupted; stopping")
    finally:
        if scheduler is not None:
            scheduler.stop()
        for item in running:
            item.stop()
    return 0


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
    from bot.schedules.service import ScheduleService

    service = ScheduleService(app, adapters)
    if service.start():
        return service
    service.stop()
    return None


def run_console(app) -> int:
    from adapters.cli_practice import _colour
    from adapters.console.adapter import ConsoleAdapter

    adapter = ConsoleAdapter(app, sys.stdin, sys.stdout, colour=_colour())
    scheduler = start_scheduler(app, {"console": adapter})  # console:team schedules post into this terminal
    try:
        return adapter.run()
    finally:
        if scheduler is not None:
            scheduler.stop()
