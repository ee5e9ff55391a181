"""Transports that feed Bolt: an aiohttp HTTP endpoint and an aiohttp Socket Mode client.

Both run on one asyncio loop in a background thread and hand each request to the sync Bolt App in
a worker thread, so a slow listener never stalls the socket or the HTTP server. (Bolt's own
aiohttp Socket Mode handler calls the sync App on the loop; its built-in HTTP server is
single-threaded and meant for development.)
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.socket_mode.aiohttp import SocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.web.async_client import AsyncWebClient

EVENTS_PATH = "/slack/events"  # Bolt's usual path for events, commands and interactivity
DISPATCH_WORKERS = 16

log = logging.getLogger(__name__)


class LoopThread:
    """An asyncio loop running in a daemon thread; `call(coro)` runs a coroutine there and waits."""

    def __init__(self, name: str = "stardrill-slack-loop"):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self.thread.start()

    def call(self, coro, timeout: float = 30.0):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        if not self.thread.is_alive():
            self.loop.close()


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that knows how many jobs it holds, queued or running: part of the Slack inbox depth."""

    def __init__(self, max_workers: int, thread_name_prefix: str):
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._count_lock = threading.Lock()
        self.pending = 0

    def submit(self, fn, /, *args, **kwargs):
        with self._count_lock:
            self.pending += 1
        try:
            return super().submit(self._counted, fn, *args, **kwargs)
        except BaseException:
            self._done()
            raise

    def _counted(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        finally:
            self._done()

    def _done(self) -> None:
        with self._count_lock:
            self.pending -= 1


class HttpServer:
    """POST /slack/events -> BoltRequest -> App.dispatch in a worker -> the BoltResponse.

    `routes` adds endpoints on the same port (the runner's /healthz, /readyz and /metrics).
    """

    def __init__(self, app: App, pool: ThreadPoolExecutor, routes: Callable[[web.Application], None] | None = None,
                 signing_secret: str = ""):
        self.app, self.pool, self.routes, self.signing_secret = app, pool, routes, signing_secret
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        refused = screen(raw, request.headers, self.signing_secret)
        if refused is not None:
            return refused
        try:
            bolt_request = BoltRequest(body=raw.decode("utf-8"), query=request.query_string, headers=dict(request.headers))
        except ValueError:  # signed, yet not UTF-8 or not JSON: Slack never sends that
            return _rejected(400, "a signed Slack request whose body cannot be read")
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(self.pool, self.app.dispatch, bolt_request)
        headers = {k: v[0] for k, v in response.headers.items() if k.lower() != "content-length"}
        return web.Response(status=response.status, body=response.body.encode("utf-8"), headers=headers)

    async def start(self, host: str, port: int) -> int:
        web_app = web.Application()
        web_app.router.add_post(EVENTS_PATH, self.handle)
        if self.routes is not None:
            self.routes(web_app)
        self.runner = web.AppRunner(web_app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # the real port when 0 was asked for
        return self.port

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()


MAX_SKEW = 300  # seconds: Slack's replay window for a signed request


def screen(raw: bytes, headers, secret: str) -> web.Response | None:
    """401 unless the raw body is signed with the secret and recent; checked before the body is even decoded.

    Why here and not only in Bolt: Bolt decodes and parses the body first, so invalid UTF-8, bad
    JSON or a non-numeric timestamp from anyone on the internet ended in a 500 and a traceback.
    """
    if not secret:
        return None
    stamp, signature = headers.get("X-Slack-Request-Timestamp", ""), headers.get("X-Slack-Signature", "")
    if not stamp.isascii() or not stamp.isdigit() or abs(time.time() - int(stamp)) > MAX_SKEW:
        return _rejected(401, "an unsigned or stale request")
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return _rejected(401, "a request with a bad signature")
    return None


_REJECTED = itertools.count(1)


def _rejected(status: int, what: str) -> web.Response:
    count = next(_REJECTED)
    if count == 1 or count % 100 == 0:  # one line, not one per request: garbage comes in floods
        log.warning("refused %s with HTTP %s (%d refused so far)", what, status, count)
    return web.Response(status=status, text="invalid request")


class ThreadedSocketModeHandler(SocketModeHandler):
    """Bolt's aiohttp Socket Mode handler, but the sync App runs in a worker thread, not on the loop."""

    def __init__(self, app: App, app_token: str, web_client: AsyncWebClient, pool: ThreadPoolExecutor,
                 ping_interval: float = 10):
        self.app = app
        self.app_token = app_token
        self.pool = pool
        self.client = SocketModeClient(app_token=app_token, logger=app.logger, web_client=web_client,
                                       ping_interval=ping_interval)
        self.client.socket_mode_request_listeners.append(self.handle)

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:
        start = time.time()
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(self.pool, run_bolt_app, self.app, req)
        await send_async_response(client, req, response, start)


def pool() -> CountingExecutor:
    return CountingExecutor(max_workers=DISPATCH_WORKERS, thread_name_prefix="stardrill-dispatch")


__all__ = ["CountingExecutor", "LoopThread", "HttpServer", "ThreadedSocketModeHandler", "pool"]
