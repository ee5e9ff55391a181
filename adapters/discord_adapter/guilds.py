"""Which Discord server (guild) a channel belongs to, recorded on the channel's row (channels.guild_id).

Discord channel and user ids are global snowflakes, so they never need a server prefix the way Slack
ids need their workspace; the guild is kept for operators and per-server reports. It is written once
per channel per process, after a public post there (the sender's thread, never the gateway loop).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone

from stardrill.messages import Message

log = logging.getLogger(__name__)


class GuildBook:
    def __init__(self, store, client):
        self.store, self.client = store, client
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def note_post(self, message) -> None:
        """After a public post: the channel's guild from discord.py's cache (no request), if not recorded yet."""
        if not isinstance(message, Message) or message.target.private_to or message.target.direct_to:
            return
        channel_id = message.target.channel
        with self._lock:
            if channel_id in self._known:
                return
        channel = self.client.get_channel(int(channel_id)) if channel_id.isdigit() else None
        guild = getattr(channel, "guild", None)
        if guild is None:
            return
        try:
            record(self.store, channel_id, str(guild.id), self.stamp())
        except Exception:
            log.warning("discord: recording the server of channel %s failed", channel_id, exc_info=True)
            return
        with self._lock:
            self._known.add(channel_id)

    @staticmethod
    def stamp() -> str:
        return datetime.now(timezone.utc).isoformat(timespec="seconds")


def record(store, channel_id: str, guild_id: str, now: str) -> None:
    store.execute(
        "INSERT INTO channels (platform, channel_id, created_at, guild_id) VALUES ('discord', ?, ?, ?) "
        "ON CONFLICT (platform, channel_id) DO UPDATE SET guild_id = excluded.guild_id "
        "WHERE channels.guild_id IS NULL OR channels.guild_id != excluded.guild_id",
        (channel_id, now, guild_id),
    )
