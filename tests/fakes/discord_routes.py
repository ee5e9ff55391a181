"""REST routes of the fake Discord: one small function per endpoint, matched by a literal table of regexes."""

from __future__ import annotations

import re

from aiohttp import web

from tests.fakes import discord_payloads as P
from tests.fakes.discord import _json


async def gateway_bot(fake, m, body, query):
    limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
    return _json({"url": fake.ws_url, "shards": fake.shard_count, "session_start_limit": limit})


async def me(fake, m, body, query):
    return _json(fake.bot)


async def application(fake, m, body, query):
    owner = P.user(fake.owner_id, "owner")
    return _json({"id": fake.app_id, "name": "Stardrill", "icon": None, "description": "", "bot_public": True,
                  "bot_require_code_grant": False, "owner": owner, "verify_key": "0" * 64, "flags": 0, "team": None})


def _guild_of(fake, channel_id: str) -> str | None:
    channel = fake.channels.get(channel_id)
    return channel.get("guild_id") if channel else None


async def create_message(fake, m, body, query):
    channel_id = m["channel"]
    if channel_id in fake.forbidden:
        return _json({"message": "Missing Permissions", "code": 50013}, 403)
    if channel_id not in fake.channels:
        return _json({"message": "Unknown Channel", "code": 10003}, 404)
    nonce = body.get("nonce")
    if nonce is not None and body.get("enforce_nonce"):
        # Discord: the same author's message with this nonce in the past few minutes is returned, not posted again
        for earlier in fake.messages.values():
            if earlier.get("nonce") == nonce and earlier["author"]["id"] == fake.bot["id"] and _recent(earlier["id"]):
                return _json(earlier)
    message = P.message(P.snowflake(), channel_id, fake.bot, body.get("content") or "", guild_id=_guild_of(fake, channel_id),
                        embeds=body.get("embeds"), components=body.get("components"), nonce=nonce)
    fake.messages[message["id"]] = message
    return _json(message)


NONCE_WINDOW_MS = 5 * 60 * 1000


def _recent(message_id: str) -> bool:
    made = (int(message_id) >> 22) + P.DISCORD_EPOCH_MS
    return P.now_ms() - made < NONCE_WINDOW_MS


async def delete_message(fake, m, body, query):
    """Deleting someone else's message needs Manage Messages (Discord answers 403, code 50013); 204 and a
    MESSAGE_DELETE dispatch otherwise, as Discord does."""
    channel_id, message_id = m["channel"], m["message"]
    message = fake.messages.get(message_id)
    if message is None or message["channel_id"] != channel_id:
        return _json({"message": "Unknown Message", "code": 10008}, 404)
    own = message["author"]["id"] == fake.bot["id"]
    if not own and (channel_id in fake.forbidden or channel_id in fake.no_manage_messages):
        return _json({"message": "Missing Permissions", "code": 50013}, 403)
    del fake.messages[message_id]
    gone = {"id": message_id, "channel_id": channel_id}
    if message.get("guild_id"):
        gone["guild_id"] = message["guild_id"]
    await fake._dispatch("MESSAGE_DELETE", gone)
    return web.Response(status=204)


async def list_messages(fake, m, body, query):
    """Newest first; `after`: the oldest `limit` messages after that id (still newest first), as Discord answers."""
    found = sorted((msg for msg in fake.messages.values() if msg["channel_id"] == m["channel"]), key=lambda x: int(x["id"]))
    limit = int(query.get("limit", 50))
    if "before" in query:
        found = [msg for msg in found if int(msg["id"]) < int(query["before"])]
    if "after" in query:
        found = [msg for msg in found if int(msg["id"]) > int(query["after"])][:limit]
        return _json(list(reversed(found)))
    return _json(list(reversed(found))[:limit])


async def get_channel(fake, m, body, query):
    channel = fake.channels.get(m["channel"])
    return _json(channel) if channel else _json({"message": "Unknown Channel", "code": 10003}, 404)


async def create_thread(fake, m, body, query):
    parent = m["channel"]
    if parent in fake.forbidden:
        return _json({"message": "Missing Permissions", "code": 50013}, 403)
    if m["message"] in fake.channels:
        return _json({"message": "A thread has already been created for this message", "code": 160004}, 400)
    # A thread started from a message takes the message's id (Discord behaviour).
    data = P.thread(m["message"], _guild_of(fake, parent) or fake.guild_id, parent, fake.bot["id"], body.get("name", "thread"))
    fake.channels[data["id"]] = data
    await fake._dispatch("THREAD_CREATE", {**data, "newly_created": True})
    return _json(data)


async def create_dm(fake, m, body, query):
    recipient = str(body["recipient_id"])
    channel_id = fake.dm_channels.setdefault(recipient, P.snowflake())
    data = P.dm_channel(channel_id, P.user(recipient, f"user{recipient[-4:]}"))
    fake.channels[channel_id] = data
    return _json(data)


async def interaction_callback(fake, m, body, query):
    kind = body.get("type")
    data = body.get("data") or {}
    flags = data.get("flags", 0) or 0
    interaction = {"id": m["interaction"], "type": 2, "response_message_loading": kind == 5,
                   "response_message_ephemeral": bool(flags & 64)}
    resource: dict = {"type": kind}
    if kind in (4, 5):
        message = P.message(P.snowflake(), "0", fake.bot, data.get("content") or "", embeds=data.get("embeds"),
                            components=data.get("components"), flags=flags)
        fake.originals[m["token"]] = message
        interaction["response_message_id"] = message["id"]
        resource["message"] = message
    return _json({"interaction": interaction, "resource": resource})


async def followup(fake, m, body, query):
    message = P.message(P.snowflake(), "0", fake.bot, body.get("content") or "", embeds=body.get("embeds"),
                        components=body.get("components"), flags=body.get("flags", 0) or 0)
    fake.messages[message["id"]] = message
    return _json(message)


async def edit_original(fake, m, body, query):
    message = dict(fake.originals.get(m["token"]) or P.message(P.snowflake(), "0", fake.bot))
    message.update({k: v for k, v in body.items() if k in {"content", "embeds", "components"}})
    return _json(message)


async def delete_original(fake, m, body, query):
    return _json({}, 200)


async def put_commands(fake, m, body, query):
    fake.commands = [{**c, "id": P.snowflake(), "application_id": fake.app_id, "version": P.snowflake()} for c in body]
    return _json(fake.commands)


async def get_commands(fake, m, body, query):
    return _json(fake.commands)


ROUTES = [
    ("GET", r"/gateway/bot", gateway_bot),
    ("GET", r"/users/@me", me),
    ("GET", r"/(?:oauth2/)?applications/@me", application),
    ("POST", r"/channels/(?P<channel>\d+)/messages", create_message),
    ("GET", r"/channels/(?P<channel>\d+)/messages", list_messages),
    ("DELETE", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)", delete_message),
    ("GET", r"/channels/(?P<channel>\d+)", get_channel),
    ("POST", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/threads", create_thread),
    ("POST", r"/users/@me/channels", create_dm),
    ("POST", r"/interactions/(?P<interaction>\d+)/(?P<token>[^/]+)/callback", interaction_callback),
    ("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)", followup),
    ("PATCH", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/@original", edit_original),
    ("DELETE", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/@original", delete_original),
    ("PUT", r"/applications/(?P<app>\d+)(?:/guilds/\d+)?/commands", put_commands),
    ("GET", r"/applications/(?P<app>\d+)(?:/guilds/\d+)?/commands", get_commands),
]


async def route(fake, method: str, path: str, body, query):
    for verb, pattern, handler in ROUTES:
        match = re.fullmatch(pattern, path)
        if verb == method and match:
            return await handler(fake, match.groupdict(), body, query)
    return _json({"message": f"fake has no route {method} {path}", "code": 0}, 404)
