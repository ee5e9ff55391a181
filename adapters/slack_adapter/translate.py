"""Pure translation: Slack payloads (as Bolt hands them over) -> core events.

No I/O here. Who a user is (display name, admin) comes in through a `lookup` callable so this
module stays testable with recorded payloads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from stardrill.events import (
    Actor, ButtonPressed, CommandInvoked, HomeOpened, MessagePosted, ModalSubmitted, ShortcutInvoked, Where,
)

PLATFORM = "slack"

# Message subtypes that still carry a member's own words. Everything else (edits, deletions, joins,
# bot_message, channel topic...) is not an answer. (Slack Events API, 2026-03.)
ANSWER_SUBTYPES = {None, "thread_broadcast", "file_share"}

COMMANDS = {"/stardrill": "stardrill", "/practice": "practice", "/review": "review"}


@dataclass(frozen=True)
class Person:
    name: str = ""
    is_admin: bool = False


Lookup = Callable[[str], Person]


def nobody(user_id: str) -> Person:
    return Person()


def unescape(text: str) -> str:
    """Slack sends message text entity-encoded (only &, <, >); the core wants what the member typed.

    `&amp;` goes last so `&amp;lt;` (a member literally typing "&lt;") stays "&lt;".
    """
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def is_direct(channel_id: str, channel_type: str | None = None) -> bool:
    """DMs with the app: channel_type "im" in events; "D..." ids (and "directmessage" names) elsewhere."""
    return channel_type == "im" or channel_type == "directmessage" or channel_id.startswith("D")


def actor(user_id: str, lookup: Lookup) -> Actor:
    person = lookup(user_id)
    return Actor(PLATFORM, user_id, person.name, is_admin=person.is_admin)


def message_event(body: dict, lookup: Lookup = nobody) -> MessagePosted | None:
    """An Events API `message` callback -> MessagePosted, or None when it is not a member's message."""
    event = body.get("event") or {}
    if event.get("type") != "message" or event.get("subtype") not in ANSWER_SUBTYPES:
        return None
    if event.get("bot_id") or event.get("bot_profile") or not event.get("user"):
        return None  # our own posts and other bots' (Bolt drops only our own)
    channel = event.get("channel", "")
    direct = is_direct(channel, event.get("channel_type"))
    thread = event.get("thread_ts") if not direct else None
    # Keyed on the message itself, not the delivery: a redelivery and the same reply read back by
    # catch-up after downtime (conversations.replies has no event_id) dedupe to one inbox row.
    event_id = f"msg:{channel}:{event.get('ts', '')}"
    where = Where(channel, thread, direct=direct)
    return MessagePosted(event_id, actor(event["user"], lookup), where, unescape(event.get("text") or ""), event.get("ts", ""))


def command_event(body: dict, lookup: Lookup = nobody) -> CommandInvoked | None:
    """A slash command (form fields as a dict) -> CommandInvoked. `/stardrill review 12` means `/review 12`."""
    name = COMMANDS.get(body.get("command", ""))
    if name is None:
        return None
    text = unescape(body.get("text") or "").strip()
    if name == "stardrill" and text.split(" ", 1)[0].lower() == "review":
        name, text = "review", text[len("review"):].strip()
    channel = body.get("channel_id", "")
    where = Where(channel, None, direct=is_direct(channel, body.get("channel_name")))
    return CommandInvoked(f"cmd:{body.get('trigger_id', '')}", actor(body.get("user_id", ""), lookup), where, name, text)


def action_where(body: dict) -> Where:
    """Where a button was pressed: the thread is the message's thread, or the message itself when it is a root."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    if is_direct(channel):
        return Where(channel, None, direct=True)
    thread = message.get("thread_ts") or container.get("thread_ts")
    if thread is None and not container.get("is_ephemeral"):
        thread = message.get("ts") or container.get("message_ts")
    return Where(channel, thread)


def action_event(body: dict, lookup: Lookup = nobody) -> ButtonPressed | None:
    actions = body.get("actions") or []
    if body.get("type") != "block_actions" or not actions:
        return None
    action = actions[0]
    event_id = f"act:{body.get('trigger_id') or action.get('action_ts', '')}"
    user = (body.get("user") or {}).get("id", "")
    return ButtonPressed(event_id, actor(user, lookup), action_where(body), action.get("action_id", ""), action.get("value") or "")


def modal_metadata(action: str, value: str, where: Where) -> str:
    """What a view_submission must carry back to rebuild the event (private_metadata, <= 3000 chars)."""
    return json.dumps({"a": action, "v": value, "c": where.channel, "t": where.thread, "d": where.direct}, separators=(",", ":"))


def field_values(state: dict) -> dict[str, str]:
    """`view.state.values` -> {field id: value}; block_id and action_id are both the field id."""
    values: dict[str, str] = {}
    for block_id, elements in (state.get("values") or {}).items():
        for element in elements.values():
            selected = element.get("selected_option") or {}
            value = selected.get("value") if element.get("type") in {"static_select", "radio_buttons"} else element.get("value")
            values[block_id] = value or ""  # input values arrive as typed (not entity-encoded like message text)
    return values


def view_event(body: dict, lookup: Lookup = nobody) -> ModalSubmitted | None:
    view = body.get("view") or {}
    if body.get("type") != "view_submission":
        return None
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    where = Where(meta.get("c", ""), meta.get("t"), direct=bool(meta.get("d")))
    event_id = f"view:{body.get('trigger_id') or view.get('id', '') + view.get('hash', '')}"
    user = (body.get("user") or {}).get("id", "")
    return ModalSubmitted(event_id, actor(user, lookup), where, meta.get("a", view.get("callback_id", "")),
                          meta.get("v", ""), field_values(view.get("state") or {}))


def home_opened_event(body: dict, lookup: Lookup = nobody) -> HomeOpened | None:
    """`app_home_opened` on the Home tab -> HomeOpened (the Messages tab fires the same event: not ours)."""
    event = body.get("event") or {}
    if event.get("type") != "app_home_opened" or event.get("tab") != "home" or not event.get("user"):
        return None
    where = Where(event.get("channel", ""), None, direct=True)  # the member's DM with the app
    return HomeOpened(f"home:{body.get('event_id', '')}", actor(event["user"], lookup), where)


def shortcut_event(body: dict, lookup: Lookup = nobody) -> ShortcutInvoked | None:
    """A message shortcut (`message_action`) -> ShortcutInvoked; `author` is who wrote the message (none: a bot)."""
    if body.get("type") != "message_action":
        return None
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id", "")
    direct = is_direct(channel)
    where = Where(channel, None if direct else message.get("thread_ts"), direct=direct)
    author = "" if message.get("bot_id") else message.get("user", "")
    user = (body.get("user") or {}).get("id", "")
    return ShortcutInvoked(f"sc:{body.get('trigger_id', '')}", actor(user, lookup), where, body.get("callback_id", ""),
                           unescape(message.get("text") or ""), author, message.get("ts", ""))
