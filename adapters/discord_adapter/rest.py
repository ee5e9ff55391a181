"""Channel posts from the sending thread itself: POST /channels/{id}/messages over a kept connection.

Why not discord.py's HTTP client for these: it runs on the client's event loop, the one that also reads
the gateway. Every reply the outbox sent hopped onto that loop and waited there, and under a steady stream
of thread replies (bench/throughput.py) the loop became the queue the replies stood in: one process
topped out at about 280 replies/s. A channel post is one JSON request, so the sender thread makes it
itself, over one kept connection per thread (adapters/http11.py). Everything else (the gateway,
interactions, threads, DMs, history, posts with a file, any proxy) stays discord.py's; the JSON is built
by discord.py's own `handle_message_parameters`, as it would send it.

Rate limits, as Discord documents them and discord.py keeps them:
- a response with X-RateLimit-Remaining 0 closes its bucket (this route, per channel) until
  X-RateLimit-Reset-After has passed, and the next post there waits for it;
- a 429 is waited out (its retry_after) and sent again, up to 5 tries; a global one holds every post;
- a 429 without Discord's `Via` header comes from Cloudflare (an IP ban): never retried, as discord.py;
- 500, 502, 504 and 524 are sent again after 1, 3, 5, 7 s (discord.py's schedule); the post's nonce
  (enforce_nonce) makes a resend of something Discord did take return the first message.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from urllib.parse import urlsplit

import discord

from stardrill import metrics
from stardrill.adapters import http11
from stardrill.ports import DeliveryError

log = logging.getLogger(__name__)

TRIES = 5
SERVER_RETRIED = {500, 502, 504, 524}  # discord.py 2.7 retries these
TIMEOUT = 60.0  # seconds for one request (discord.py's session has no shorter one)
MAX_WAIT = 300.0  # a rate limit longer than this is reported, not slept through
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class Answer:
    """What discord.HTTPException reads from a response: its status and reason."""

    def __init__(self, status: int, reason: str):
        self.status, self.reason = status, reason


class Buckets:
    """When each channel's post bucket, and the global limit, open again (monotonic seconds)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._closed: dict[int, float] = {}
        self._global = 0.0

    def wait(self, channel_id: int) -> None:
        with self._lock:
            until = max(self._closed.get(channel_id, 0.0), self._global)
        pause = until - time.monotonic()
        if pause > MAX_WAIT:
            raise DeliveryError(f"discord rate limit on channel {channel_id} lasts another {pause:.0f} s")
        if pause > 0:
            time.sleep(pause)

    def note(self, channel_id: int, response: http11.Response) -> None:
        if response.header("x-ratelimit-remaining") != "0":
            return
        try:
            after = float(response.header("x-ratelimit-reset-after") or 0)
        except ValueError:
            return
        with self._lock:
            self._closed[channel_id] = time.monotonic() + after
            if len(self._closed) > 10_000:  # forget the buckets that opened again
                now = time.monotonic()
                self._closed = {k: v for k, v in self._closed.items() if v > now}

    def hold_all(self, seconds: float) -> None:
        with self._lock:
            self._global = max(self._global, time.monotonic() + seconds)


class ChannelPoster:
    """Posts JSON messages to channels for any thread, with the client's token and user agent."""

    def __init__(self, http: discord.http.HTTPClient):
        self.http = http
        self.buckets = Buckets()
        self._kept = threading.local()  # this thread's connection

    def usable(self) -> bool:
        """False behind a proxy (discord.py's transport handles those) or before the REST base is set."""
        return self.http.proxy is None and urlsplit(discord.http.Route.BASE).scheme in ("http", "https")

    def post(self, channel_id: int, payload: dict) -> dict:
        """The message Discord created, as JSON; discord.HTTPException (Forbidden, NotFound…) when refused."""
        base = urlsplit(discord.http.Route.BASE)
        target = f"{base.path.rstrip('/')}/channels/{channel_id}/messages"
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        headers = {"User-Agent": self.http.user_agent, "Authorization": f"Bot {self.http.token}",
                   "Content-Type": "application/json"}
        for tries in range(TRIES):
            self.buckets.wait(channel_id)
            response = self._exchange(base, target, body, headers)
            log.debug("POST %s has returned %s", target, response.status)  # never the body: it quotes answers
            self.buckets.note(channel_id, response)
            if 200 <= response.status < 300:
                return _created(response)
            data = _json_or_text(response)
            if response.status == 429:
                metrics.RATE_LIMITED.labels("discord").inc()
                if response.header("via") is None:  # Cloudflare's, not Discord's: do not hammer it
                    raise discord.HTTPException(Answer(429, response.reason), data)
                retry_after = float(data.get("retry_after", 1.0)) if isinstance(data, dict) else 1.0
                if isinstance(data, dict) and data.get("global"):
                    self.buckets.hold_all(retry_after)
                log.warning("discord rate limited a post in channel %s; retrying in %.2f s", channel_id, retry_after)
                metrics.RETRIES.labels("discord").inc()
                if retry_after > MAX_WAIT:
                    break
                time.sleep(retry_after)
                continue
            if response.status in SERVER_RETRIED and tries < TRIES - 1:
                metrics.RETRIES.labels("discord").inc()
                time.sleep(1 + tries * 2)
                continue
            raise _error(response, data)
        raise discord.HTTPException(Answer(response.status, response.reason), data)

    def _exchange(self, base, target: str, body: bytes, headers: dict) -> http11.Response:
        connection, reused = self._connection(base)
        try:
            return self._once(connection, target, body, headers)
        except STALE:
            if not reused:
                raise DeliveryError(f"discord closed the connection to {base.netloc}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _unreachable(base, exc) from None
        connection, _ = self._connection(base)  # the kept one had been closed by the server: once more, on a new one
        try:
            return self._once(connection, target, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            raise _unreachable(base, exc) from None

    @staticmethod
    def _once(connection: http11.Connection, target: str, body: bytes, headers: dict) -> http11.Response:
        try:
            response = connection.request("POST", target, body, headers)
        except BaseException:
            connection.close()
            raise
        if response.will_close:
            connection.close()
        return response

    def _connection(self, base) -> tuple[http11.Connection, bool]:
        kept = self._kept.__dict__.setdefault("connections", {})
        key = (base.scheme, base.hostname, base.port)
        connection = kept.get(key)
        if connection is None:
            connection = kept[key] = http11.Connection(base.scheme, base.hostname, base.port, TIMEOUT, None)
        return connection, connection.sock is not None


def _unreachable(base, exc: Exception) -> DeliveryError:
    """No answer, or bytes that are not HTTP (a proxy, a captive portal): the outbox tries again later."""
    return DeliveryError(f"cannot reach discord at {base.netloc}: {type(exc).__name__}: {exc}")


def _created(response: http11.Response) -> dict:
    """The message Discord created; a 2xx whose body is not one is not Discord's answer (it is not taken as sent)."""
    try:
        data = json.loads(response.body)
    except ValueError:
        data = None
    if not isinstance(data, dict) or "id" not in data:
        raise DeliveryError(f"discord answered {response.status} without the message it created")
    return data


def _json_or_text(response: http11.Response):
    text = response.body.decode(response.charset() or "utf-8", errors="replace")
    if response.content_type() == "application/json":
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _error(response: http11.Response, data) -> discord.HTTPException:
    answer = Answer(response.status, response.reason)
    if response.status == 403:
        return discord.Forbidden(answer, data)
    if response.status == 404:
        return discord.NotFound(answer, data)
    if response.status >= 500:
        return discord.DiscordServerError(answer, data)
    return discord.HTTPException(answer, data)
