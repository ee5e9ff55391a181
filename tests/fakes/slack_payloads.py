"""Slack payloads as the platform sends them (shapes from Slack's docs and recorded deliveries), and request signing."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

from tests.fakes.slack import TEAM

_ids = itertools.count(1)


def nid(prefix: str) -> str:
    return f"{prefix}{next(_ids):06d}"


_last_ts = [0.0]


def next_ts() -> str:
    """A message ts as Slack makes them: unique in a channel, rising, microsecond steps."""
    _last_ts[0] = max(time.time(), _last_ts[0] + 0.000001)
    return f"{_last_ts[0]:.6f}"


def message(channel: str, user: str, text: str, thread_ts: str | None = None, channel_type: str = "channel",
            event_id: str | None = None, **extra) -> dict:
    """An Events API envelope body for a `message` event (text entity-encoded, as Slack sends it)."""
    ts = extra.pop("ts", None) or next_ts()
    event = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts,
             "channel_type": channel_type, "team": TEAM, **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {"token": "legacy", "team_id": TEAM, "api_app_id": "A0001", "event": event, "type": "event_callback",
            "event_id": event_id or nid("Ev"), "event_time": int(time.time()), "authorizations": []}


def command(name: str, text: str, user: str, channel: str, response_url: str = "", channel_name: str = "team") -> dict:
    return {"token": "legacy", "team_id": TEAM, "team_domain": "fake", "channel_id": channel, "channel_name": channel_name,
            "user_id": user, "user_name": user.lower(), "command": name, "text": text, "api_app_id": "A0001",
            "response_url": response_url, "trigger_id": nid("trig.")}


def block_action(action_id: str, value: str, user: str, channel: str, message_ts: str, thread_ts: str | None = None,
                 ephemeral: bool = False) -> dict:
    container = {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": ephemeral}
    body = {"type": "block_actions", "team": {"id": TEAM, "domain": "fake"}, "user": {"id": user, "username": user.lower(),
            "team_id": TEAM}, "api_app_id": "A0001", "token": "legacy", "container": container, "trigger_id": nid("trig."),
            "channel": {"id": channel, "name": "team"}, "response_url": "",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "stardrill_buttons", "value": value,
                         "action_ts": f"{time.time():.6f}", "text": {"type": "plain_text", "text": "x"}}]}
    if thread_ts:
        container["thread_ts"] = thread_ts
    if not ephemeral:
        body["message"] = {"type": "message", "ts": message_ts, "user": "UBOT", "bot_id": "BBOT", "text": "...",
                           **({"thread_ts": thread_ts} if thread_ts else {})}
    return body


def view_submission(view: dict, user: str, values: dict[str, str]) -> dict:
    """Fill a view the app opened (from the fake's views.open call) and submit it."""
    state = {}
    for block in view["blocks"]:
        if block["type"] != "input" or block["block_id"] not in values:
            continue
        element = block["element"]
        value = values[block["block_id"]]
        if element["type"] in {"radio_buttons", "static_select"}:
            entry = {"type": element["type"], "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}}}
        else:
            entry = {"type": element["type"], "value": value}
        state[block["block_id"]] = {element["action_id"]: entry}
    full = {**view, "id": nid("V"), "hash": nid("h"), "state": {"values": state}, "team_id": TEAM}
    return {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM}, "api_app_id": "A0001",
            "token": "legacy", "trigger_id": nid("trig."), "view": full, "response_urls": []}


def home_opened(user: str, tab: str = "home", event_id: str | None = None) -> dict:
    """An Events API `app_home_opened` (the Messages tab sends the same event with tab "messages")."""
    event = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": tab, "event_ts": next_ts()}
    return {"token": "legacy", "team_id": TEAM, "api_app_id": "A0001", "event": event, "type": "event_callback",
            "event_id": event_id or nid("Ev"), "event_time": int(time.time()), "authorizations": []}


def home_action(action_id: str, value: str, user: str, view: dict) -> dict:
    """A button pressed on the user's App Home tab (container "view": no channel, no message)."""
    view = {**view, "id": view.get("id") or nid("V"), "team_id": TEAM}
    return {"type": "block_actions", "team": {"id": TEAM, "domain": "fake"}, "user": {"id": user, "team_id": TEAM},
            "api_app_id": "A0001", "token": "legacy", "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": nid("trig."), "view": view,
            "actions": [{"type": "button", "action_id": action_id, "block_id": "panel", "value": value,
                         "action_ts": f"{time.time():.6f}", "text": {"type": "plain_text", "text": "x"}}]}


def message_shortcut(callback_id: str, user: str, channel: str, message: dict, response_url: str = "") -> dict:
    """A message shortcut run by `user` on `message` (as the fake or a member posted it)."""
    return {"type": "message_action", "token": "legacy", "action_ts": f"{time.time():.6f}",
            "team": {"id": TEAM, "domain": "fake"}, "user": {"id": user, "name": user.lower(), "team_id": TEAM},
            "channel": {"id": channel, "name": "team"}, "callback_id": callback_id, "trigger_id": nid("trig."),
            "message_ts": message["ts"], "message": message, "response_url": response_url}


# -- HTTP mode ------------------------------------------------------------------------------------


def signed_post(url: str, body: str, content_type: str, secret: str, timestamp: int | None = None,
                signature: str | None = None, headers: dict | None = None) -> tuple[int, str]:
    """POST as Slack does: X-Slack-Signature = v0=HMAC-SHA256(secret, f"v0:{ts}:{body}")."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature or f"v0={digest}", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def http_body(kind: str, payload: dict) -> tuple[str, str]:
    """(body, content type) for an HTTP-mode delivery: events JSON, commands form, interactivity payload=<json>."""
    if kind == "events_api":
        return json.dumps(payload), "application/json"
    if kind == "slash_commands":
        return urlencode(payload), "application/x-www-form-urlencoded"
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def loads(body: str) -> dict:
    return json.loads(body)
