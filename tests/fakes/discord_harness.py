"""Fixtures and a small driver for Discord end-to-end tests: the real client against the fake.

Import the fixtures into a test module (`from tests.fakes.discord_harness import fake, bot  # noqa: F401`).
Waits are on the fake's recorded REST calls (a condition variable), never on fixed sleeps.
"""

from __future__ import annotations

import discord
import pytest
from discord.gateway import DiscordWebSocket

from stardrill.adapters.discord_adapter import runtime
from stardrill import daily
from tests.fakes import discord_payloads as P
from tests.fakes.discord import Call, FakeDiscord

ADMIN = P.VIEW_SEND_THREADS | P.MANAGE_GUILD


@pytest.fixture
def fake():
    server = FakeDiscord().start()
    yield server
    server.stop()


def start_bot(app, fake: FakeDiscord, monkeypatch, content: str = "on", token: str | None = None):
    monkeypatch.setenv("DISCORD_TOKEN", token or fake.token)
    monkeypatch.setenv("STARDRILL_DISCORD_API_URL", fake.base_url)
    monkeypatch.setenv("STARDRILL_DISCORD_MESSAGE_CONTENT", content)
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)  # restored after the test
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)  # the client points it at the fake
    return runtime.start(app, None, guild_ready_timeout=0.2)


@pytest.fixture
def bot(app, fake, monkeypatch):
    running = start_bot(app, fake, monkeypatch)
    yield running
    running.stop()
    assert running.client.errors == []


class Driver:
    """Members acting in the fake guild; every helper returns what the bot did in reply."""

    def __init__(self, fake: FakeDiscord):
        self.fake = fake
        self.users: dict[str, dict] = {}

    def user(self, name: str) -> dict:
        return self.users.setdefault(name, P.user(P.snowflake(), name))

    def mark(self) -> int:
        return len(self.fake.calls)

    def say(self, name: str, channel_id: str, text: str, *, message_id: str | None = None) -> dict:
        channel = self.fake.channels[channel_id]
        guild_id = channel.get("guild_id")
        message = P.message(message_id or P.snowflake(), channel_id, self.user(name), text, guild_id=guild_id)
        if guild_id:
            message["member"] = {k: v for k, v in P.member(self.user(name)).items() if k != "user"}
        self.fake.messages[message["id"]] = message  # it exists on Discord now (history, deletion)
        self.fake.dispatch("MESSAGE_CREATE", message)
        return message

    def dm(self, name: str, text: str) -> dict:
        user = self.user(name)
        channel_id = self.fake.dm_channels.setdefault(user["id"], P.snowflake())
        self.fake.channels.setdefault(channel_id, P.dm_channel(channel_id, user))
        return self.say(name, channel_id, text)

    def interact(self, name: str, kind: int, data: dict, channel_id: str, *, admin: bool = False,
                 message: dict | None = None) -> dict:
        channel = self.fake.channels[channel_id]
        guild_id = channel.get("guild_id")
        payload = P.interaction(kind, data, app_id=self.fake.app_id, actor=self.user(name), channel=channel,
                                guild_id=guild_id, permissions=ADMIN if admin else P.VIEW_SEND_THREADS,
                                message_payload=message)
        self.fake.dispatch("INTERACTION_CREATE", payload)
        return payload

    def command(self, name: str, command: str, options: list | None = None, channel_id: str | None = None,
                admin: bool = False) -> dict:
        data = P.command_data(command, options)
        return self.interact(name, 2, data, channel_id or self.fake.channel_id, admin=admin)

    def press(self, name: str, message: dict, custom_id: str, admin: bool = False) -> dict:
        data = {"custom_id": custom_id, "component_type": 2}
        return self.interact(name, 3, data, message["channel_id"] if message["channel_id"] != "0" else self.fake.channel_id,
                             admin=admin, message=message)

    def submit(self, name: str, custom_id: str, components: list, channel_id: str) -> dict:
        return self.interact(name, 5, {"custom_id": custom_id, "components": components}, channel_id)

    def callback(self, payload: dict, timeout: float = 5.0) -> Call:
        return self.fake.wait_for(lambda c: c.path.startswith(f"/interactions/{payload['id']}/"), timeout)

    def followup(self, payload: dict, after: int = 0, timeout: float = 5.0) -> Call:
        token = payload["token"]
        return self.fake.wait_for(lambda c: c.method == "POST" and c.path.endswith(f"/{token}"), timeout, after)

    def posted_in(self, channel_id: str, after: int = 0, timeout: float = 5.0, where=lambda c: True) -> Call:
        path = f"/channels/{channel_id}/messages"
        return self.fake.wait_for(lambda c: c.method == "POST" and c.path == path and where(c), timeout, after)


def post_question(app, running, channel_id: str) -> tuple[str, str]:
    """What the scheduler does: claim today's post, deliver it; returns (message id, thread id)."""
    message = daily.claim_question(app, "discord", channel_id)
    running.adapter.deliver([message])
    post = app.store.row("SELECT message_id, thread_id FROM posts WHERE channel_id = ? ORDER BY id DESC", (channel_id,))
    return post["message_id"], post["thread_id"]


def buttons(body: dict) -> list[str]:
    """Custom ids of every button in a message payload."""
    return [c["custom_id"] for row in body.get("components") or [] for c in row.get("components", [])]


def embed_text(body: dict) -> str:
    parts = []
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join([body.get("content") or ""] + parts)
