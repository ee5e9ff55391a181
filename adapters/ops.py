"""What `stardrill run` gives operators besides the bot: readiness, the status file, metrics over HTTP.

The runner starts `Ops` before any adapter (a metrics port in use fails the start at once, before
a platform connects), hands it to each platform's `start`, which registers a probe of its
connection and the depth of its pending work, and tells it the scheduler's state once known.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from stardrill import __version__, metrics, settings
from stardrill.adapters.bootstrap import StartupError
from stardrill.health import Heartbeat, Probe, Status
from stardrill.store import StoreError, outbox

log = logging.getLogger(__name__)


class Ops:
    def __init__(self, store, platforms: list[str]):
        self.status = Status(store.path, platforms, store_check=lambda: store_answers(store))
        self.heartbeat = Heartbeat(self.status)
        self.server = None
        self.platforms = list(platforms)

    @classmethod
    def start(cls, store, platforms: list[str], args) -> "Ops":
        ops = cls(store, platforms)
        port = metrics_port(args, platforms)
        if port is not None:
            ops.server = serve(ops.status, port)
        metrics.BUILD_INFO.labels(__version__).set(1)
        for platform in platforms:
            metrics.declare(platform)
        metrics.DEPTHS.watch_outbox(lambda: outbox.depths(store, platforms))
        ops.heartbeat.start()
        return ops

    def watch(self, platform: str, probe: Probe, inbox: Callable[[], int] | None = None) -> None:
        """A started adapter: how to tell its connection is up, and how much inbound work it holds."""
        self.status.watch(platform, probe)
        if inbox is not None:
            metrics.DEPTHS.watch_inbox(platform, inbox)
        self.heartbeat.beat()

    def scheduler(self, leader: bool) -> None:
        self.status.scheduler = "leader" if leader else "follower (another process schedules posts)"
        metrics.SCHEDULER_LEADER.set(1 if leader else 0)
        self.heartbeat.beat()

    def stop(self) -> None:
        self.heartbeat.stop()
        metrics.SCHEDULER_LEADER.set(0)
        metrics.DEPTHS.watch_outbox(None)
        for platform in self.platforms:
            metrics.DEPTHS.watch_inbox(platform, None)
        if self.server is not None:
            self.server.stop()


def metrics_port(args, platforms: list[str]) -> int | None:
    raw = settings.get("STARDRILL_METRICS_PORT").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > 65535:
        raise StartupError(f"STARDRILL_METRICS_PORT must be a port number (0-65535), not {raw!r}")
    port = int(raw)
    if port and "slack" in platforms and getattr(args, "slack_mode", "") == "http" and port == getattr(args, "port", None):
        raise StartupError(f"STARDRILL_METRICS_PORT is Slack's HTTP port {port}, which serves /metrics already; unset it")
    return port


def serve(status: Status, port: int):
    from stardrill.adapters.ops_http import OpsServer, reason

    server = OpsServer(status)
    try:
        bound = server.start(port)
    except OSError as exc:
        raise StartupError(f"cannot serve metrics on port {port} (STARDRILL_METRICS_PORT): {reason(exc)}") from None
    log.info("metrics on port %s (GET /metrics, /healthz, /readyz)", bound)
    return server


def store_answers(store) -> tuple[bool, str]:
    """Readiness of the store: it answers a read and has Stardrill's tables (on SQLite, the inbox file too)."""
    try:
        tables = store.snapshot(TABLES[store.kind])[0][0]
        if store.inbox is not store:  # SQLite: every ack writes to the inbox file beside the database
            store.inbox.snapshot("SELECT COUNT(*) FROM inbox")
    except StoreError as exc:
        return False, str(exc)
    return tables > 0, f"{store.label} answers ({tables} tables)"


TABLES = {
    "sqlite": "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
}
