"""A fake Slack on 127.0.0.1: the Web API over HTTP and Socket Mode over a websocket, recording every call.

It runs an aiohttp server on its own loop in a background thread, so tests drive the unmodified
slack_sdk / slack_bolt code end to end. Failures are injected per method: a 429 with Retry-After
once, or `ok: false` with an error (once, or for one channel until cleared).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

from tests.fakes.slack_installs import BOT_USER, Grant, Installs

BOT_ID, TEAM = "BBOT", "T0001"


@dataclass
class Call:
    method: str
    params: dict
    token: str = ""
    status: int = 200
    error: str = ""
    at: float = field(default_factory=time.perf_counter)  # when the fake received it (benchmarks)
    team: str = TEAM  # the workspace the call's token speaks for


@dataclass
class Failure:
    error: str = ""  # ok:false error code
    retry_after: int | None = None  # 429 when set
    channel: str | None = None  # only calls for this channel
    times: int = 1  # -1: until cleared


@dataclass
class Envelope:
    envelope_id: str
    type: str
    payload: dict
    retry_attempt: int = 0
    ack: dict | None = field(default=None)
    sent_at: float = 0.0
    acked_at: float = 0.0


class FakeSlack(Installs):
    Call = Call  # for the mixins' records
    def __init__(self, admins: tuple[str, ...] = (), names: dict[str, str] | None = None):
        self.admins, self.names = set(admins), dict(names or {})
        self.calls: list[Call] = []
        self.posted: dict[str, list[dict]] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.envelopes: dict[str, Envelope] = {}
        self.uploads: dict[str, dict] = {}  # file id -> {"filename", "length", "content", "channel", ...}
        self.homes: dict[str, list[dict]] = {}  # user id -> every Home tab view published for them, oldest first
        self.connections = 0
        # installation mode: workspaces that may install, tokens issued, one-time codes (oauth.py's helpers)
        self.teams: dict[str, dict] = {}  # workspace key -> {"team_id", "enterprise_id", "org_wide", "name"}
        self.grants: dict[str, Grant] = {}  # access token -> its grant
        self.codes: dict[str, str] = {}  # OAuth code -> workspace key
        self.token_life = 43_200  # seconds a rotating bot token lives (Slack: 12 hours)
        self.redirect_uri = ""  # where the consent page sends the browser when the link names none
        self._token_now = ""  # the token of the call being handled (handlers run one at a time on the loop)
        self.delays: dict[str, float] = {}  # method -> seconds before it is handled (a slow Slack)
        self.late_answers: dict[str, float] = {}  # method -> seconds between doing it and answering (members see the post first)
        self._ws: web.WebSocketResponse | None = None  # the newest Socket Mode connection
        self._sockets: list[web.WebSocketResponse] = []  # every open one: Slack spreads envelopes over them
        self._turn = 0
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._last_ts = 0.0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="fake-slack", daemon=True)
        self.port = 0

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> "FakeSlack":
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self.loop).result(10)
        return self

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/ws/{n}", self._socket)
        app.router.add_post("/response/{n}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/oauth/v2/authorize", self._authorize)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        async def shutdown():
            for ws in list(self._sockets):
                await ws.close()
            await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    # -- test controls ----------------------------------------------------------------------------

    def fail(self, method: str, error: str = "", *, retry_after: int | None = None, channel: str | None = None, times: int = 1):
        with self._cond:
            self.failures.setdefault(method, []).append(Failure(error, retry_after, channel, times))

    def clear_failures(self) -> None:
        with self._cond:
            self.failures.clear()

    def calls_to(self, method: str, **match) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method and c.status == 200 and not c.error
                    and all(c.params.get(k) == v for k, v in match.items())]

    def wait_for(self, predicate, timeout: float = 5.0, what: str = "condition"):
        """Block until predicate() is truthy (re-checked on every recorded call); return its value."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}; calls: {[c.method for c in self.calls]}")
                self._cond.wait(min(left, 0.05))

    def wait_calls(self, method: str, count: int = 1, timeout: float = 5.0, **match) -> list[Call]:
        return self.wait_for(lambda: (found := self.calls_to(method, **match)) and len(found) >= count and found,
                             timeout, f"{count} x {method} {match or ''}")

    def outbound_text(self) -> str:
        """Everything the app sent to Slack, as one JSON string (for 'never contains' assertions)."""
        with self._cond:
            return "\n".join(json.dumps(c.params) for c in self.calls)

    # -- Socket Mode ------------------------------------------------------------------------------

    def send_envelope(self, type_: str, payload: dict, retry_attempt: int = 0, timeout: float = 5.0) -> Envelope:
        """Push an envelope to the connected app (events_api | slash_commands | interactive)."""
        ws = self.wait_for(lambda: self._next_socket(), timeout, "a websocket")
        envelope = Envelope(f"env-{next(self._ids)}", type_, payload, retry_attempt)
        with self._cond:
            self.envelopes[envelope.envelope_id] = envelope
        frame = {"envelope_id": envelope.envelope_id, "type": type_, "payload": payload,
                 "accepts_response_payload": type_ != "events_api"}
        if type_ == "events_api":
            frame.update(retry_attempt=retry_attempt, retry_reason="")
        envelope.sent_at = time.perf_counter()
        asyncio.run_coroutine_threadsafe(ws.send_json(frame), self.loop).result(timeout)
        return envelope

    def _next_socket(self) -> web.WebSocketResponse | None:
        """The open connection whose turn it is: with several (one app token, several processes), each
        envelope goes to one of them, in turn."""
        with self._cond:
            open_ones = [ws for ws in self._sockets if not ws.closed]
            if not open_ones:
                return None
            self._turn += 1
            return open_ones[self._turn % len(open_ones)]

    def open_sockets(self) -> int:
        with self._cond:
            return sum(1 for ws in self._sockets if not ws.closed)

    def wait_ack(self, envelope: Envelope, timeout: float = 5.0) -> dict:
        return self.wait_for(lambda: envelope.ack, timeout, f"ack of {envelope.envelope_id}")

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does every few hours."""
        ws = self._ws
        frame = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-slack"}}
        asyncio.run_coroutine_threadsafe(ws.send_json(frame), self.loop).result(5)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        with self._cond:
            self.connections += 1
            self._ws = ws
            self._sockets.append(ws)
            self._cond.notify_all()
        await ws.send_json({"type": "hello", "num_connections": self.open_sockets(), "connection_info": {"app_id": "A0001"}})
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            data = json.loads(frame.data)
            with self._cond:
                envelope = self.envelopes.get(data.get("envelope_id", ""))
                if envelope is not None:
                    envelope.ack, envelope.acked_at = data, time.perf_counter()
                self._cond.notify_all()
        return ws

    # -- Web API ----------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        failure = self._take_failure(method, params)
        call = Call(method, params, token, team=self._team_of(token))
        if self.delays.get(method):  # a slow platform: the answer (and the post) comes this much later
            await asyncio.sleep(self.delays[method])
        try:
            if failure and failure.retry_after is not None:
                call.status = 429
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                         headers={"Retry-After": str(failure.retry_after)})
            error = failure.error if failure else self._auth_error(method, token)
            if error:
                call.error = error
                return web.json_response({"ok": False, "error": error})
            handler = getattr(self, "m_" + method.replace(".", "_"), None)
            if handler is None:
                call.error = "unknown_method"
                return web.json_response({"ok": False, "error": "unknown_method"})
            self._token_now = token
            answer = handler(params)
            if self.late_answers.get(method):
                await asyncio.sleep(self.late_answers[method])
            if answer.get("ok") is False:
                call.error = answer["error"]
                return web.json_response(answer)
            return web.json_response({"ok": True, **answer})
        finally:
            with self._cond:
                self.calls.append(call)
                self._cond.notify_all()

    @staticmethod
    async def _params(request: web.Request) -> dict:
        params: dict = dict(request.query)
        raw = (await request.read()).decode("utf-8")
        if raw.strip().startswith("{"):  # slack_sdk may send JSON (or an empty JSON body) whatever the method
            params.update(json.loads(raw))
        elif raw.strip():
            params.update({k: v[-1] for k, v in parse_qs(raw).items()})
        return params

    def _take_failure(self, method: str, params: dict) -> Failure | None:
        with self._cond:
            for failure in self.failures.get(method, []):
                if failure.channel and failure.channel != params.get("channel"):
                    continue
                if failure.times > 0:
                    failure.times -= 1
                    if failure.times == 0:
                        self.failures[method].remove(failure)
                return failure
        return None

    def _auth_error(self, method: str, token: str) -> str:
        if method == "oauth.v2.access":
            return ""  # authenticated by client id and secret, not a token
        grant = self.grants.get(token)
        if grant is not None:
            return "token_revoked" if grant.revoked else "token_expired" if grant.expires_at <= time.time() else ""
        wanted = "xapp-" if method == "apps.connections.open" else "xoxb-"
        return "" if token.startswith(wanted) else "invalid_auth"

    def _team_of(self, token: str) -> str:
        grant = self.grants.get(token)
        return grant.team if grant else TEAM

    def _box(self, channel: str) -> str:
        """Where a channel's messages are kept: workspaces other than the default one have their own channels."""
        team = self._team_of(self._token_now)
        return channel if team == TEAM else f"{team}/{channel}"

    def _next_ts(self) -> str:
        with self._cond:
            self._last_ts = max(time.time(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"

    def m_auth_test(self, p: dict) -> dict:
        team = self.teams.get(self._team_of(self._token_now))
        if team is None:
            return {"url": "https://fake.slack.com/", "team": "Fake", "user": "stardrill", "team_id": TEAM,
                    "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}
        return {"url": f"https://{team['name']}.slack.com/", "team": team["name"], "user": "stardrill",
                "team_id": team["team_id"], "enterprise_id": team["enterprise_id"], "user_id": BOT_USER,
                "bot_id": BOT_ID, "is_enterprise_install": team["org_wide"]}

    def m_chat_postMessage(self, p: dict) -> dict:
        message = {"type": "message", "ts": self._next_ts(), "user": BOT_USER, "bot_id": BOT_ID, "text": p.get("text", ""),
                   "blocks": p.get("blocks"), "thread_ts": p.get("thread_ts"), "metadata": p.get("metadata")}
        with self._cond:
            self.posted.setdefault(self._box(p["channel"]), []).append(message)
        return {"channel": p["channel"], "ts": message["ts"], "message": message}

    def m_chat_postEphemeral(self, p: dict) -> dict:
        return {"message_ts": self._next_ts()}

    def m_chat_update(self, p: dict) -> dict:
        return {"channel": p.get("channel"), "ts": p.get("ts"), "text": p.get("text", "")}

    def m_conversations_open(self, p: dict) -> dict:
        return {"channel": {"id": "D" + str(p.get("users", "")).split(",")[0]}}

    def m_conversations_history(self, p: dict) -> dict:
        """Top-level messages only (thread replies live in conversations.replies), newest first, after `oldest`."""
        with self._cond:
            found = [dict(m) for m in reversed(self.posted.get(self._box(p.get("channel", "")), []))
                     if not m.get("thread_ts") or m.get("thread_ts") == m["ts"]]
        return self._page(found, p)

    def m_conversations_replies(self, p: dict) -> dict:
        """A thread: its parent first, then the replies, oldest first; `oldest` keeps later replies (exclusive)."""
        root = p.get("ts", "")
        with self._cond:
            thread = [dict(m) for m in self.posted.get(self._box(p.get("channel", "")), [])
                      if root in (m["ts"], m.get("thread_ts"))]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        parent = [m for m in thread if m["ts"] == root]
        return self._page(parent + sorted((m for m in thread if m["ts"] != root), key=lambda m: float(m["ts"])), p,
                          keep=parent)

    def _page(self, found: list[dict], p: dict, keep: list[dict] = ()) -> dict:
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
        inclusive = str(p.get("inclusive", "")).lower() in {"1", "true"}
        found = [m for m in found if m in keep or (oldest < float(m["ts"]) < latest)
                 or (inclusive and float(m["ts"]) in (oldest, latest))]
        with_meta = str(p.get("include_all_metadata", "")).lower() in {"1", "true"}
        for m in found:
            if not with_meta or not m.get("metadata"):
                m.pop("metadata", None)
        start, limit = int(p.get("cursor") or 0), int(p.get("limit") or 100)
        more = start + limit < len(found)
        return {"messages": found[start:start + limit], "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def member_posts(self, channel: str, user: str, text: str, thread_ts: str | None = None, ts: str | None = None) -> dict:
        """A member's message exists on Slack now (whether or not the app hears of it: catch-up reads it back)."""
        message = {"type": "message", "ts": ts or self._next_ts(), "user": user, "text": text, "team": TEAM}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._cond:
            self.posted.setdefault(channel, []).append(message)
        return message

    def m_views_open(self, p: dict) -> dict:
        return {"view": {"id": f"V{next(self._ids)}", **(p.get("view") or {})}}

    def m_views_publish(self, p: dict) -> dict:
        view = json.loads(p["view"]) if isinstance(p.get("view"), str) else p.get("view") or {}
        if view.get("type") != "home" or not p.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        with self._cond:
            self.homes.setdefault(p["user_id"], []).append(view)
        return {"view": {"id": f"V{next(self._ids)}", **view}}

    def home_of(self, user: str) -> dict | None:
        """The Home tab the user sees now (the last one published), or None."""
        with self._cond:
            found = self.homes.get(user)
            return found[-1] if found else None

    def m_users_info(self, p: dict) -> dict:
        user = p.get("user", "")
        name = self.names.get(user, user.lower())
        admin = user in self.admins
        return {"user": {"id": user, "name": name, "real_name": name.title(), "is_admin": admin, "is_owner": False,
                         "is_bot": False, "profile": {"display_name": name, "real_name": name.title()}}}

    def m_apps_connections_open(self, p: dict) -> dict:
        return {"url": f"ws://127.0.0.1:{self.port}/ws/{next(self._ids)}"}

    # files_upload_v2: getUploadURLExternal -> POST the bytes to the URL it gave -> completeUploadExternal
    # (Slack's flow since 2024; it needs the files:write scope, or getUploadURLExternal answers missing_scope).

    def m_files_getUploadURLExternal(self, p: dict) -> dict:
        file_id = f"F{next(self._ids):08d}"
        with self._cond:
            self.uploads[file_id] = {"filename": p.get("filename"), "length": int(p.get("length") or 0), "content": None}
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        with self._cond:
            found = self.uploads.get(request.match_info["file_id"])
            if found is None:
                return web.Response(status=404, text="unknown upload")
            found["content"] = data
            self._cond.notify_all()
        return web.Response(text=f"OK - {len(data)}")

    def m_files_completeUploadExternal(self, p: dict) -> dict:
        files = json.loads(p["files"]) if isinstance(p.get("files"), str) else p.get("files") or []
        done = []
        with self._cond:
            for f in files:
                upload = self.uploads.get(f["id"])
                if upload is None or upload["content"] is None:
                    raise ValueError(f"file {f['id']} was never uploaded")
                upload.update(channel=p.get("channel_id"), title=f.get("title"), initial_comment=p.get("initial_comment"))
                done.append({"id": f["id"], "title": f.get("title"), "name": upload["filename"]})
        return {"files": done}

    async def _response_url(self, request: web.Request) -> web.Response:
        params = await self._params(request)
        with self._cond:
            self.calls.append(Call("response_url", params))
            self._cond.notify_all()
        return web.Response(text="ok")
