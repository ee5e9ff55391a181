"""`stardrill run --platform slack`: Socket Mode (default) or HTTP mode, started in background threads.

`start(core, args) -> Running` is what adapters/runner.py calls. Settings: SLACK_BOT_TOKEN plus
SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode); STARDRILL_SLACK_API_URL.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from stardrill.adapters import logs
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.slack_adapter.adapter import SlackAdapter
from stardrill.adapters.slack_adapter.bolt_app import build_app
from stardrill.adapters.slack_adapter.servers import HttpServer, LoopThread, ThreadedSocketModeHandler, pool
from stardrill import settings

log = logging.getLogger(__name__)

SDK_LOGGERS = ("slack_sdk", "slack_bolt", "stardrill.adapters.slack_adapter")


def web_client(token: str, base_url: str | None = None) -> WebClient:
    """The WebClient every Slack call goes through. Bolt's per-request clients copy base_url and retry handlers.

    Why RateLimitErrorRetryHandler (slack_sdk 3.47): the SDK does not retry 429s by default; with it,
    a 429 waits for Retry-After and tries again (3 times).
    """
    retries = [ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=3)]
    return WebClient(token=token, base_url=base_url or settings.get("STARDRILL_SLACK_API_URL"), retry_handlers=retries)


def guard_logs() -> None:
    """Make sure SDK records pass the token-redacting filter even if logging was set up elsewhere.

    Why: slack_sdk debug logs have printed tokens before. The filter sits on the root handlers,
    which every propagated SDK record goes through; SDK loggers with their own handlers get it too.
    """
    targets = list(logging.getLogger().handlers)
    for name in SDK_LOGGERS:
        targets += logging.getLogger(name).handlers
    for handler in targets:
        if not any(isinstance(f, logs.RedactingFilter) for f in handler.filters):
            handler.addFilter(logs.RedactingFilter())


@dataclass
class Running:
    adapter: SlackAdapter
    mode: str
    port: int = 0
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


def start(core, args) -> Running:
    """Start the Slack adapter in the mode `args.slack_mode` ("socket" or "http", port `args.port`)."""
    guard_logs()
    mode = getattr(args, "slack_mode", "socket")
    token, app_token, secret = (settings.get(n) for n in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"))
    if not token:
        raise StartupError("SLACK_BOT_TOKEN is not set (the xoxb- token from the app's OAuth & Permissions page)")
    if mode == "socket" and not app_token:
        raise StartupError("Socket Mode needs SLACK_APP_TOKEN (xapp-...); or use --slack-mode http with SLACK_SIGNING_SECRET")
    if mode == "http" and not secret:
        raise StartupError("HTTP mode needs SLACK_SIGNING_SECRET (the app's Basic Information page)")
    adapter = SlackAdapter(core, web_client(token))
    try:
        app = build_app(core, adapter, signing_secret=secret if mode == "http" else "")
    except BoltError as exc:  # auth.test refused the token
        raise StartupError(f"Slack refused SLACK_BOT_TOKEN: {logs.redact(str(exc))}") from None
    running = Running(adapter, mode)
    loop, workers = LoopThread(), pool()
    running._closers += [lambda: workers.shutdown(wait=False, cancel_futures=True), loop.close]
    if mode == "http":
        server = HttpServer(app, workers)
        running.port = loop.call(server.start("0.0.0.0", getattr(args, "port", 3000)))
        running._closers.append(lambda: loop.call(server.stop(), timeout=5))
        log.info("Slack HTTP mode listening on port %s (POST /slack/events)", running.port)
    else:
        handler = loop.call(_socket_handler(app, app_token, adapter.client.base_url, workers))
        running._closers.append(lambda: loop.call(handler.close_async(), timeout=5))
        log.info("Slack Socket Mode connected")
    return running


async def _socket_handler(app, app_token: str, base_url: str, workers) -> ThreadedSocketModeHandler:
    # The Socket Mode client is async and asks apps.connections.open for the websocket URL itself.
    client = AsyncWebClient(base_url=base_url)
    handler = ThreadedSocketModeHandler(app, app_token, client, workers)
    await handler.connect_async()
    return handler
