"""A fake Discord on 127.0.0.1: REST (API v10) and a gateway websocket, recording every REST call.

It runs in its own thread and event loop so tests stay synchronous and the real discord.py client
(in the adapter's own thread) talks to it over loopback exactly as it would to Discord. Facts it
honours (discord.py 2.7.1): bodies must be `Content-Type: application/json` exactly; interaction
callbacks return JSON; a 429 is retried only when it carries a `Via` header; RESUME replays frames.

Sharding as Discord does it: each IDENTIFY names its `shard` [id, count]; a guild's events go to every
session whose id is (guild_id >> 22) % count, DMs to shard 0; `GET /gateway/bot` reports `shards`.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from tests.fakes import discord_payloads as P

TOKEN = "fake-discord-token"


@dataclass
class Session:
    """One identified gateway connection: its shard, its socket (replaced on RESUME) and its frames (seq = index + 1)."""

    session_id: str
    shard: tuple[int, int]
    ws: web.WebSocketResponse
    frames: list[dict] = field(default_factory=list)

    def wants(self, guild_id: str | None) -> bool:
        shard_id, count = self.shard
        return shard_id == (0 if guild_id is None else (int(guild_id) >> 22) % count)


@dataclass
class Call:
    method: str
    path: str
    body: dict | list | None
    query: dict
    at: float = field(default_factory=time.perf_counter)
    status: int = 0  # the fake's answer, set once routed
    files: dict = field(default_factory=dict)  # attachments of a multipart request: filename -> bytes


def _json(data, status: int = 200, headers: dict | None = None) -> web.Response:
    # discord.py parses bodies only when the Content-Type is exactly application/json (no charset).
    return web.Response(status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json", **(headers or {})})


class FakeDiscord:
    def __init__(self, *, token: str = TOKEN, allow_message_content: bool = True, shards: int = 1):
        self.token, self.allow_message_content = token, allow_message_content
        self.shard_count = shards  # what GET /gateway/bot recommends
        self.app_id, self.owner_id = P.snowflake(), P.snowflake()
        self.guild_id = P.snowflake_on_shard(0, shards)
        self.guilds: list[str] = [self.guild_id]
        self.bot = P.user(P.snowflake(), "Stardrill", bot=True)
        self.channel_id = P.snowflake()
        self.channels = {self.channel_id: P.text_channel(self.channel_id, self.guild_id, "team")}
        self.messages: dict[str, dict] = {}  # message id -> payload
        self.calls: list[Call] = []
        self.sessions: dict[str, Session] = {}  # session id -> the connection (RESUME replays its frames)
        self.delivered: list[tuple[int, str, dict]] = []  # (shard id, event name, data) of every frame sent
        self.identifies: list[dict] = []
        self.resumes: list[dict] = []
        self.forbidden: set[str] = set()
        self.no_manage_messages: set[str] = set()  # channels where the bot lacks Manage Messages (deleting others' messages)
        self.limited: list[tuple[str, str]] = []  # (method, path regex) to answer 429 once
        self.stalls: list[tuple[str, str, str]] = []  # (method, path regex, "before"|"after"): hang the request
        self.delay = 0.0  # seconds before each REST call is handled (a slow Discord)
        self.post_bucket: tuple[int, float] | None = None  # (posts, seconds) per channel, told in X-RateLimit-*
        self._bucket_use: dict[str, list[float]] = {}  # channel -> the times its window's posts were taken
        self._hung: set = set()
        self.replay_extra = 0
        self.commands: list = []
        self.dm_channels: dict[str, str] = {}  # user id -> DM channel id
        self.originals: dict[str, dict] = {}  # interaction token -> its response message
        self._cond = threading.Condition()
        self.loop = asyncio.new_event_loop()
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> "FakeDiscord":
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True, name="fake-discord").start()
        ready.wait(5)
        return self

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        self.loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    def stop(self) -> None:
        async def close() -> None:
            for task in self._hung:
                task.cancel()
            for session in list(self.sessions.values()):
                await session.ws.close()
            await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- test controls (thread-safe) -------------------------------------------------------------------

    def forbid(self, channel_id: str) -> None:
        self.forbidden.add(channel_id)

    def rate_limit_once(self, method: str, path_regex: str) -> None:
        self.limited.append((method, path_regex))

    def dispatch(self, kind: str, data: dict) -> float:
        """Send a DISPATCH frame to the sessions of its guild's shard (a DM: shard 0); returns the send time."""
        return asyncio.run_coroutine_threadsafe(self._dispatch(kind, data), self.loop).result(5)

    def reconnect(self, replay_extra: int = 0, shard: int = 0) -> None:
        """Ask the shard's client to reconnect (op 7); on RESUME also replay `replay_extra` frames it already had."""
        self.replay_extra = replay_extra

        async def ask() -> None:
            for session in list(self.sessions.values()):
                if session.shard[0] == shard:
                    await self._send(session, {"op": 7, "d": None})

        asyncio.run_coroutine_threadsafe(ask(), self.loop).result(5)

    def invalidate(self, shard: int) -> None:
        """End the shard's sessions (op 9, not resumable): its client must IDENTIFY again, at the gateway URL."""
        async def end() -> None:
            for session_id, session in list(self.sessions.items()):
                if session.shard[0] == shard:
                    del self.sessions[session_id]
                    await self._send(session, {"op": 9, "d": False})

        asyncio.run_coroutine_threadsafe(end(), self.loop).result(5)

    def add_guild(self, shard: int, name: str = "team") -> tuple[str, str]:
        """Another server with one text channel, whose id puts it on `shard` of this fake's shard count;
        (guild id, channel id). Add guilds before the bot identifies (GUILD_CREATE is sent at IDENTIFY)."""
        guild_id, channel_id = P.snowflake_on_shard(shard, self.shard_count), P.snowflake()
        self.guilds.append(guild_id)
        self.channels[channel_id] = P.text_channel(channel_id, guild_id, name)
        return guild_id, channel_id

    def shard_of(self, guild_id: str | None) -> int:
        return 0 if guild_id is None else (int(guild_id) >> 22) % self.shard_count

    def events_on(self, shard: int, kind: str) -> list[dict]:
        """What was dispatched to that shard's sessions (data of each `kind` frame)."""
        return [data for on, name, data in list(self.delivered) if on == shard and name == kind]

    def wait_for(self, predicate, timeout: float = 5.0, after: int = 0) -> Call:
        """The first recorded REST call (from index `after`) that matches; waits on a condition, no polling."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self.calls[after:]:
                    if predicate(call):
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no matching REST call within {timeout}s; last calls: {[(c.method, c.path, c.status) for c in self.calls[-8:]]}")
                self._cond.wait(left)

    def wait_identified(self, count: int = 1, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.identifies) < count:
                left = deadline - time.monotonic()
                assert left > 0, "the client never identified"
                self._cond.wait(left)

    def posts(self, channel_id: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == "POST" and re.fullmatch(r"/channels/\d+/messages", c.path)
                and (channel_id is None or c.path == f"/channels/{channel_id}/messages")]

    # -- gateway -------------------------------------------------------------------------------------

    @staticmethod
    async def _send(session: Session, frame: dict) -> None:
        if not session.ws.closed:
            await session.ws.send_str(json.dumps(frame))

    async def _dispatch(self, kind: str, data: dict, *, to: Session | None = None) -> float:
        """One frame to each session of the guild's shard (`data["guild_id"]`; none: a DM, shard 0), or to `to`."""
        at = time.perf_counter()
        targets = [to] if to is not None else [s for s in list(self.sessions.values()) if s.wants(data.get("guild_id"))]
        for session in targets:
            frame = {"op": 0, "t": kind, "s": len(session.frames) + 1, "d": data}
            session.frames.append(frame)  # kept for a RESUME even when the socket is down right now
            self.delivered.append((session.shard[0], kind, data))
            await self._send(session, frame)
        return at

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            frame = json.loads(msg.data)
            if frame["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif frame["op"] == 2:
                await self._identify(ws, frame["d"])
            elif frame["op"] == 6:
                await self._resume(ws, frame["d"])
        return ws

    async def _identify(self, ws, d: dict) -> None:
        if d.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        if d.get("intents", 0) & (1 << 15) and not self.allow_message_content:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard_id, count = d.get("shard") or [0, 1]
        if not 0 <= shard_id < count:
            await ws.close(code=4010, message=b"Invalid shard.")
            return
        with self._cond:
            self.identifies.append(d)
            session = Session(f"session-{len(self.identifies)}", (shard_id, count), ws)
            self.sessions[session.session_id] = session
            self._cond.notify_all()
        guilds = [g for g in self.guilds if session.wants(g)]
        ready = P.ready(self.bot, guilds, self.app_id, session.session_id, self.ws_url, shard=[shard_id, count])
        await self._dispatch("READY", ready, to=session)
        for guild_id in guilds:
            await self._dispatch("GUILD_CREATE", self._guild_payload(guild_id), to=session)

    def _guild_payload(self, guild_id: str) -> dict:
        guild = P.guild(guild_id, self.bot, [], self.owner_id)
        for channel in self.channels.values():  # Discord sends the active threads with the guild
            if channel.get("guild_id") == guild_id:
                guild["threads" if channel["type"] == 11 else "channels"].append(channel)
        return guild

    async def _resume(self, ws, d: dict) -> None:
        with self._cond:
            self.resumes.append(d)
            self._cond.notify_all()
        session = self.sessions.get(d.get("session_id"))
        if session is None:
            await ws.send_str(json.dumps({"op": 9, "d": False}))  # invalid session: identify again
            return
        session.ws = ws
        start = max(0, (d.get("seq") or 0) - self.replay_extra)
        self.replay_extra = 0
        for frame in session.frames[start:]:
            await ws.send_str(json.dumps(frame))
        session.frames.append({"op": 0, "t": "RESUMED", "s": len(session.frames) + 1, "d": {}})
        await ws.send_str(json.dumps(session.frames[-1]))

    # -- REST ----------------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        arrived = time.perf_counter()  # latency benches time the call's arrival, not the fake's own parsing
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        body = json.loads(raw) if raw and request.content_type == "application/json" else None
        files = {}
        if request.content_type.startswith("multipart/"):
            body, files = self._multipart(request.headers["Content-Type"], raw)
        call = Call(request.method, path, body, dict(request.query), at=arrived, files=files)
        if request.headers.get("Authorization") != f"Bot {self.token}" and not path.startswith(("/interactions/", "/webhooks/")):
            response = _json({"message": "401: Unauthorized", "code": 0}, 401)
        else:
            response = await self._answer(request.method, path, body, request.query)
        call.status = response.status
        with self._cond:  # recorded once answered, so a waiter sees the status too
            self.calls.append(call)
            self._cond.notify_all()
        return response

    def stall(self, method: str, path_regex: str, when: str = "before") -> None:
        """Hang matching requests: "before" doing anything, or "after" doing it (the answer never comes)."""
        self.stalls.append((method, path_regex, when))

    async def _answer(self, method: str, path: str, body, query) -> web.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        stall = next((s for s in self.stalls if s[0] == method and re.fullmatch(s[1], path)), None)
        if stall is not None and stall[2] == "before":
            await self._hang()  # never answers, never acts: the bot dies waiting
        for verb, pattern in list(self.limited):
            if verb == method and re.fullmatch(pattern, path):
                self.limited.remove((verb, pattern))
                return _json({"message": "You are being rate limited.", "retry_after": 0.05, "global": False}, 429,
                             {"Via": "1.1 google", "Retry-After": "1", "X-RateLimit-Scope": "user"})
        from tests.fakes.discord_routes import route

        bucket = self._bucket(method, path)
        if bucket is not None and bucket["X-RateLimit-Remaining"] == "-1":  # the bucket was empty: Discord's 429
            wait = bucket["X-RateLimit-Reset-After"]
            return _json({"message": "You are being rate limited.", "retry_after": float(wait), "global": False}, 429,
                         {"Via": "1.1 google", "Retry-After": wait, "X-RateLimit-Scope": "user",
                          **{**bucket, "X-RateLimit-Remaining": "0"}})
        response = await route(self, method, path, body or {}, query)
        if bucket is not None:
            response.headers.update(bucket)
        if stall is not None:  # "after": Discord did it, the bot never hears back
            await self._hang()
        return response

    def _bucket(self, method: str, path: str) -> dict | None:
        """X-RateLimit-* headers for a channel post under `post_bucket` (Remaining "-1": none left, answer 429)."""
        found = re.fullmatch(r"/channels/(\d+)/messages", path)
        if self.post_bucket is None or method != "POST" or found is None:
            return None
        limit, window = self.post_bucket
        now = time.monotonic()
        used = [t for t in self._bucket_use.get(found.group(1), []) if now - t < window]
        reset_after = (used[0] + window - now) if used else window
        if len(used) >= limit:
            remaining = -1
        else:
            used.append(now)
            remaining = limit - len(used)
            reset_after = used[0] + window - now
        self._bucket_use[found.group(1)] = used
        return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset-After": f"{reset_after:.3f}", "X-RateLimit-Bucket": "fake-channel-posts"}

    async def _hang(self) -> None:
        self._hung.add(asyncio.current_task())
        await asyncio.Event().wait()

    @staticmethod
    def _multipart(content_type: str, raw: bytes) -> tuple[dict | None, dict]:
        """discord.py sends files as multipart/form-data: a payload_json part and one part per file."""
        from email.parser import BytesParser
        from email.policy import HTTP

        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
        body, files = None, {}
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "payload_json":
                body = json.loads(part.get_payload(decode=True))
            elif part.get_filename():
                files[part.get_filename()] = part.get_payload(decode=True)
        return body, files
