"""GET /healthz, /readyz and /metrics over aiohttp: on Slack's HTTP port, or alone on STARDRILL_METRICS_PORT.

/healthz is liveness (the process answers: 200); /readyz is readiness (200 when every check of
`stardrill.health.Status` passes, else 503, with the checks as JSON); /metrics is Prometheus'
text format. Checks and scrapes run in the loop's executor: they touch SQLite, which must not
stall a loop that also carries Slack events.
"""

from __future__ import annotations

import asyncio
import os
import threading
from dataclasses import asdict

from aiohttp import web

from stardrill import metrics
from stardrill.health import Status, all_ok


def add_routes(web_app: web.Application, status: Status) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(_request: web.Request) -> web.Response:
        checks = await asyncio.get_running_loop().run_in_executor(None, status.checks)
        ready = all_ok(checks)
        body = {"ready": ready, "checks": [asdict(c) for c in checks]}
        return web.json_response(body, status=200 if ready else 503)

    async def scrape(_request: web.Request) -> web.Response:
        body, content_type = await asyncio.get_running_loop().run_in_executor(None, metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": content_type})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    web_app.router.add_get("/metrics", scrape)


def reason(exc: OSError) -> str:
    """"Address already in use" rather than asyncio's longer wording of the same errno."""
    return os.strerror(exc.errno) if exc.errno else str(exc)


class OpsServer:
    """The three endpoints alone on a port, on their own loop and thread (they answer whatever the adapters do)."""

    def __init__(self, status: Status):
        self.status = status
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="stardrill-metrics", daemon=True)
        self.runner: web.AppRunner | None = None
        self.port = 0

    def start(self, port: int, host: str = "0.0.0.0") -> int:
        """Listen and return the port (the real one when 0 was asked for); OSError when it cannot bind."""
        self.thread.start()
        try:
            self.port = asyncio.run_coroutine_threadsafe(self._listen(host, port), self.loop).result(10)
        except BaseException:
            self.stop()
            raise
        return self.port

    async def _listen(self, host: str, port: int) -> int:
        web_app = web.Application()
        add_routes(web_app, self.status)
        self.runner = web.AppRunner(web_app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, host, port)
        await site.start()
        return site._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self.runner is not None and self.loop.is_running():
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(5)
            self.runner = None
        self.loop.call_soon_threadsafe(self.loop.stop)
        if self.thread.is_alive():
            self.thread.join(5)
        if not self.thread.is_alive() and not self.loop.is_closed():
            self.loop.close()
