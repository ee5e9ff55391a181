"""`stardrill run --platform slack`: Socket Mode (default) or HTTP mode, started in background threads.

`start(core, args) -> Running` is what adapters/runner.py calls. Settings: SLACK_BOT_TOKEN plus
SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode); STARDRILL_SLACK_API_URL.
Installation mode (HTTP only): SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, and any workspace installs the
app from /slack/install (install.py); SLACK_BOT_TOKEN is then optional.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from stardrill import metrics
from stardrill.relay import Relay
from stardrill.store import inbox
from stardrill.adapters import logs
from stardrill.adapters import reach
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.slack_adapter.adapter import PLATFORM, SlackAdapter
from stardrill.adapters.slack_adapter.outlet import SlackOutlet
from stardrill.adapters.slack_adapter.bolt_app import build_app
from stardrill.adapters.slack_adapter import install, lifecycle
from stardrill.adapters.slack_adapter.clients import Workspaces
from stardrill.adapters.slack_adapter.keepalive import KeepAliveWebClient
from stardrill.adapters.ops_http import add_routes, reason
from stardrill.adapters.slack_adapter.servers import HttpServer, LoopThread, ThreadedSocketModeHandler, pool
from stardrill import settings

log = logging.getLogger(__name__)

SDK_LOGGERS = ("slack_sdk", "slack_bolt", "stardrill.adapters.slack_adapter")


def web_client(token: str | None, base_url: str | None = None) -> WebClient:
    """The WebClient every Slack call goes through. Bolt's per-request clients copy base_url and retry handlers.

    Why RateLimitErrorRetryHandler (slack_sdk 3.47): the SDK does not retry 429s by default; with it,
    a 429 waits for Retry-After and tries again (3 times).
    """
    retries = [CountedConnectionRetries(max_retry_count=2), CountedRateLimitRetries(max_retry_count=3)]
    return KeepAliveWebClient(token=token, base_url=base_url or settings.get("STARDRILL_SLACK_API_URL"),
                              retry_handlers=retries)


class CountedConnectionRetries(ConnectionErrorRetryHandler):
    """The SDK's handler, counting each retry for /metrics."""

    def prepare_for_next_attempt(self, **kwargs) -> None:
        metrics.RETRIES.labels("slack").inc()
        super().prepare_for_next_attempt(**kwargs)


class CountedRateLimitRetries(RateLimitErrorRetryHandler):
    """The SDK's handler, counting every 429 (retried or not) and each retry for /metrics."""

    def can_retry(self, *, state, request, response=None, error=None) -> bool:
        if response is not None and response.status_code == 429:
            metrics.RATE_LIMITED.labels("slack").inc()
        return super().can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(self, **kwargs) -> None:
        metrics.RETRIES.labels("slack").inc()
        super().prepare_for_next_attempt(**kwargs)


def guard_logs() -> None:
    """Make sure SDK records pass the token-redacting filter even if logging was set up elsewhere.

    Why: slack_sdk debug logs have printed tokens before. The filter sits on the root handlers,
    which every propagated SDK record goes through; SDK loggers with their own handlers get it too.
    """
    targets = list(logging.getLogger().handlers)
    for name in SDK_LOGGERS:
        targets += logging.getLogger(name).handlers
    for handler in targets:
        if not any(isinstance(f, logs.PrivacyFilter) for f in handler.filters):
            handler.filters.insert(0, logs.PrivacyFilter())
        if not any(isinstance(f, logs.RedactingFilter) for f in handler.filters):
            handler.addFilter(logs.RedactingFilter())


@dataclass
class Running:
    adapter: SlackAdapter
    mode: str
    outbox: object = None  # the port the scheduler delivers through (stardrill.relay.Scheduled)
    port: int = 0
    workspaces: Workspaces | None = None  # who speaks for each workspace (its token)
    _stop: threading.Event = field(default_factory=threading.Event)
    _closers: list = field(default_factory=list)

    def wait(self) -> None:
        self._stop.wait()

    def stop(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        for close in reversed(self._closers):
            try:
                close()
            except Exception:
                log.warning("error while stopping the Slack adapter", exc_info=True)


def start(core, args, ops=None) -> Running:
    """Start the Slack adapter in the mode `args.slack_mode` ("socket" or "http", port `args.port`).

    With `ops` (the runner's adapters.ops.Ops): HTTP mode also serves /healthz, /readyz and /metrics,
    and the connection probe and pending work are registered for readiness and the inbox depth.
    """
    guard_logs()
    mode = getattr(args, "slack_mode", "socket")
    token, app_token, secret = (settings.get(n) for n in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"))
    multi = install.wanted()
    if multi and mode != "http":
        raise StartupError("installation mode (SLACK_CLIENT_ID is set) needs --slack-mode http: Slack sends each "
                           "workspace's events to the app's public URL")
    if not token and not multi:
        raise StartupError("SLACK_BOT_TOKEN is not set (the xoxb- token from the app's OAuth & Permissions page)")
    if mode == "socket" and not app_token:
        raise StartupError("Socket Mode needs SLACK_APP_TOKEN (xapp-...); or use --slack-mode http with SLACK_SIGNING_SECRET")
    if mode == "http" and not secret:
        raise StartupError("HTTP mode needs SLACK_SIGNING_SECRET (the app's Basic Information page)")
    port = getattr(args, "port", 3000)
    if mode == "http" and not 0 <= port <= 65535:
        raise StartupError(f"--port must be a port number from 0 to 65535, not {port}")
    if mode == "socket" and not app_token.startswith("xapp-"):
        raise StartupError("SLACK_APP_TOKEN must be the app-level token (xapp-...) from the app's Basic Information page")
    config = install.read_settings() if multi else None
    retention = retention_days()
    api = settings.get("STARDRILL_SLACK_API_URL")
    reach.check("Slack", api)  # no network: one line, before the SDK retries and logs a traceback
    default, setup, clients = workspace_clients(core, token, config)
    adapter = SlackOutlet(core, default, workspaces=clients)
    relay = Relay(core, adapter, enrich=adapter.enrich)
    try:
        app = build_app(core, adapter, signing_secret=secret if mode == "http" else "", relay=relay,
                        options={"client": web_client(None), **setup.app_options()} if setup else None)
        lifecycle.register(app, core, clients)
        if default is not None:  # rows from before workspaces were tracked belong to this token's workspace
            lifecycle.adopt(core, default)
    except (BoltError, SlackApiError) as exc:  # auth.test refused the token
        relay.stop()
        raise StartupError(f"Slack refused SLACK_BOT_TOKEN: {logs.redact(str(exc))}") from None
    except OSError as exc:  # URLError included: the network went away between the check and auth.test
        relay.stop()
        raise reach.unreachable("Slack", api, exc) from None
    purger = lifecycle.Purger(core, retention).start()
    running = Running(adapter, mode, outbox=relay.scheduled())
    loop, workers = LoopThread(), pool()
    running._closers += [relay.stop, purger.stop, lambda: workers.shutdown(wait=False, cancel_futures=True), loop.close]
    running.workspaces = clients
    if mode == "http":
        def routes(web_app) -> None:
            if ops:
                add_routes(web_app, ops.status)
            if setup:
                setup.routes(web_app)

        server = HttpServer(app, workers, routes, signing_secret=secret)
        try:
            running.port = loop.call(server.start("0.0.0.0", port))
        except OSError as exc:
            running.stop()
            raise StartupError(f"cannot listen on port {port} for Slack HTTP mode: {reason(exc)}") from None
        running._closers.append(lambda: loop.call(server.stop(), timeout=5))
        log.info("Slack HTTP mode listening on port %s (POST /slack/events%s)", running.port,
                 f"; installs from GET {config.install_path}" if config else "")
    else:
        check_app_token(adapter.client, app_token, running)
        handler = loop.call(_socket_handler(app, app_token, adapter.client.base_url, workers))
        running._closers.append(lambda: loop.call(handler.close_async(), timeout=5))
        log.info("Slack Socket Mode connected")

    def connection() -> tuple[bool, str]:
        if mode == "http":
            return server.runner is not None, f"HTTP mode listening on port {running.port}"
        connected = loop.call(handler.client.is_connected(), timeout=5)
        return connected, "Socket Mode connected" if connected else "Socket Mode disconnected (reconnecting)"

    def pending() -> int:  # events stored and not handled yet, plus deliveries still being stored
        return inbox.depths(core.store, [PLATFORM])[PLATFORM] + workers.pending

    relay.start()  # connected: send what the last run left, handle what it stored, read replies missed while down
    if ops is not None:
        ops.watch("slack", connection, inbox=pending)
    return running


def workspace_clients(core, token: str, config) -> tuple[WebClient | None, "install.Install | None", Workspaces]:
    """Who speaks for each workspace: the one token, or (installation mode) each install's own token, with
    SLACK_BOT_TOKEN, when set, for ids stored before workspaces were tracked."""
    default = web_client(token) if token else None
    if config is None:
        return default, None, Workspaces(lambda _token: default, default=default)
    setup = install.Install(core.store, config, web_client(None), web_client, default,
                            on_installed=lambda key: lifecycle.installed(core, setup.workspaces, key))
    return default, setup, setup.workspaces


def retention_days() -> int:
    try:
        return settings.whole_number("STARDRILL_UNINSTALL_RETENTION_DAYS", 0, 3650, "a number of days")
    except settings.SettingError as exc:
        raise StartupError(str(exc)) from None


def check_app_token(client: WebClient, app_token: str, running: Running) -> None:
    """Ask once before connecting: the Socket Mode client retries a refused token forever, logging each try."""
    try:
        client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        running.stop()
        raise StartupError(f"Slack refused SLACK_APP_TOKEN: {exc.response.get('error')}") from None


async def _socket_handler(app, app_token: str, base_url: str, workers) -> ThreadedSocketModeHandler:
    # The Socket Mode client is async and asks apps.connections.open for the websocket URL itself.
    client = AsyncWebClient(base_url=base_url)
    handler = ThreadedSocketModeHandler(app, app_token, client, workers)
    await handler.connect_async()
    return handler
