"""Discord wire payloads for the fake (API v10, the keys discord.py 2.7.1 reads).

Pure builders: every function returns a plain dict shaped like Discord's own JSON.
"""

from __future__ import annotations

import threading
import time

STAMP = "2026-03-02T09:00:00.000000+00:00"
DISCORD_EPOCH_MS = 1_420_070_400_000
_last_snowflake = [0]
_snowflake_lock = threading.Lock()

# Permission bits (Discord docs): the @everyone role grants the bot everything it needs in the fake.
VIEW_SEND_THREADS = (1 << 10) | (1 << 11) | (1 << 38) | (1 << 35) | (1 << 14) | (1 << 16)
MANAGE_GUILD = 1 << 5


def now_ms() -> int:
    return int(time.time() * 1000)


def snowflake() -> str:
    """A Discord id: milliseconds since Discord's epoch << 22, so ids sort by time and `after=` a time works."""
    with _snowflake_lock:
        _last_snowflake[0] = max(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22), _last_snowflake[0] + 1)
        return str(_last_snowflake[0])


def snowflake_on_shard(shard: int, count: int) -> str:
    """A guild id Discord would route to `shard` of `count`: (id >> 22) % count == shard."""
    with _snowflake_lock:
        moment = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, (_last_snowflake[0] >> 22) + 1)
        moment += (shard - moment) % count
        _last_snowflake[0] = moment << 22
        return str(_last_snowflake[0])


def user(user_id: str, name: str, bot: bool = False) -> dict:
    return {"id": user_id, "username": name, "discriminator": "0", "global_name": name, "avatar": None, "bot": bot}


def member(u: dict, permissions: int = VIEW_SEND_THREADS) -> dict:
    return {"user": u, "roles": [], "flags": 0, "joined_at": STAMP, "deaf": False, "mute": False,
            "permissions": str(permissions), "nick": None}


def text_channel(channel_id: str, guild_id: str, name: str) -> dict:
    return {"id": channel_id, "guild_id": guild_id, "type": 0, "name": name, "position": 0, "permission_overwrites": [],
            "nsfw": False, "parent_id": None, "topic": None, "last_message_id": None, "rate_limit_per_user": 0}


def thread(thread_id: str, guild_id: str, parent_id: str, owner_id: str, name: str) -> dict:
    return {
        "id": thread_id, "guild_id": guild_id, "parent_id": parent_id, "owner_id": owner_id, "name": name, "type": 11,
        "last_message_id": None, "rate_limit_per_user": 0, "message_count": 0, "member_count": 1, "flags": 0,
        "thread_metadata": {"archived": False, "auto_archive_duration": 1440, "archive_timestamp": STAMP, "locked": False},
    }


def dm_channel(channel_id: str, recipient: dict) -> dict:
    return {"id": channel_id, "type": 1, "recipients": [recipient], "last_message_id": None}


def message(message_id: str, channel_id: str, author: dict, content: str = "", *, guild_id: str | None = None,
            embeds=None, components=None, flags: int = 0, nonce=None) -> dict:
    data = {
        "id": message_id, "channel_id": channel_id, "author": author, "content": content, "type": 0,
        "timestamp": STAMP, "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": embeds or [], "components": components or [],
        "pinned": False, "flags": flags,
    }
    if guild_id:
        data["guild_id"] = guild_id
    if nonce is not None:
        data["nonce"] = nonce
    return data


def guild(guild_id: str, bot_user: dict, channels: list[dict], owner_id: str) -> dict:
    everyone = {"id": guild_id, "name": "@everyone", "permissions": str(VIEW_SEND_THREADS), "position": 0, "color": 0,
                "hoist": False, "managed": False, "mentionable": False, "flags": 0}
    return {
        "id": guild_id, "name": "Fake guild", "icon": None, "owner_id": owner_id, "roles": [everyone], "emojis": [],
        "stickers": [], "features": [], "channels": channels, "threads": [], "members": [member(bot_user)],
        "member_count": 2, "large": False, "unavailable": False, "voice_states": [], "presences": [],
        "stage_instances": [], "guild_scheduled_events": [], "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "mfa_level": 0, "premium_tier": 0, "system_channel_flags": 0,
        "preferred_locale": "en-US", "nsfw_level": 0, "premium_progress_bar_enabled": False, "joined_at": STAMP,
    }


def ready(bot_user: dict, guild_ids: list[str], app_id: str, session_id: str, resume_url: str,
          shard: list[int] = (0, 1)) -> dict:
    return {"v": 10, "user": bot_user, "guilds": [{"id": g, "unavailable": True} for g in guild_ids],
            "session_id": session_id, "resume_gateway_url": resume_url, "application": {"id": app_id, "flags": 0},
            "shard": list(shard), "private_channels": [], "relationships": []}


def interaction(kind: int, data: dict, *, app_id: str, actor: dict, channel: dict, guild_id: str | None,
                permissions: int = VIEW_SEND_THREADS, message_payload: dict | None = None) -> dict:
    """An INTERACTION_CREATE body: kind 2 command, 3 component, 4 autocomplete, 5 modal submit."""
    payload = {
        "id": snowflake(), "application_id": app_id, "type": kind, "token": "itoken-" + snowflake(), "version": 1,
        "attachment_size_limit": 8 * 1024 * 1024, "data": data, "channel": channel, "channel_id": channel["id"],
        "locale": "en-US", "app_permissions": str(VIEW_SEND_THREADS), "entitlements": [],
        "authorizing_integration_owners": {}, "context": 0 if guild_id else 1,
    }
    if guild_id:
        payload.update(guild_id=guild_id, guild_locale="en-US", member=member(actor, permissions))
    else:
        payload["user"] = actor
    if message_payload is not None:
        payload["message"] = message_payload
    return payload


def command_data(name: str, options: list[dict] | None = None) -> dict:
    return {"id": snowflake(), "name": name, "type": 1, "options": options or []}


def sub(name: str, **values) -> dict:
    """A subcommand option with string/int values: sub("now"), sub("level", level="staff")."""
    opts = [{"name": k, "type": 4 if isinstance(v, int) else 3, "value": v} for k, v in values.items()]
    return {"name": name, "type": 1, "options": opts}


def options(**values) -> list[dict]:
    return [{"name": k, "type": 4 if isinstance(v, int) else 3, "value": v} for k, v in values.items()]
