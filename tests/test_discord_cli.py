"""`stardrill discord invite-url` and `stardrill discord sync` against the fake Discord REST API."""

from __future__ import annotations

import discord

from stardrill.adapters.cli import parser
from tests.fakes.discord_harness import fake  # noqa: F401


def _run(argv, fake, monkeypatch, tmp_path):
    monkeypatch.setenv("DISCORD_TOKEN", fake.token)
    monkeypatch.setenv("STARDRILL_DISCORD_API_URL", fake.base_url)
    monkeypatch.setenv("STARDRILL_DB", str(tmp_path / "cli.db"))
    monkeypatch.delenv("STARDRILL_DISCORD_CLIENT_ID", raising=False)
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    args = parser().parse_args(argv)
    return args.func(args)


def test_invite_url_fetches_the_application_id_with_the_token(fake, monkeypatch, tmp_path, capsys):
    assert _run(["discord", "invite-url"], fake, monkeypatch, tmp_path) == 0
    url = capsys.readouterr().out.strip()
    assert f"client_id={fake.app_id}" in url and "scope=bot+applications.commands" in url
    assert any(c.path == "/oauth2/applications/@me" for c in fake.calls)


def test_invite_url_takes_the_client_id_from_the_flag_without_any_request(fake, monkeypatch, tmp_path, capsys):
    assert _run(["discord", "invite-url", "--client-id", "42"], fake, monkeypatch, tmp_path) == 0
    assert "client_id=42" in capsys.readouterr().out and fake.calls == []


def test_sync_registers_the_commands_for_one_guild(fake, monkeypatch, tmp_path, capsys):
    assert _run(["discord", "sync", "--guild", fake.guild_id], fake, monkeypatch, tmp_path) == 0
    put = fake.wait_for(lambda c: c.method == "PUT")
    assert put.path == f"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands"
    names = {c["name"] for c in put.body}
    assert names == {"stardrill", "practice", "review"}
    stardrill = next(c for c in put.body if c["name"] == "stardrill")
    subs = {o["name"] for o in stardrill["options"]}
    assert {"schedule", "pause", "resume", "skip", "now", "stats", "help", "level", "blind", "private", "wrapup"} <= subs
    assert "synced 3 command(s)" in capsys.readouterr().out
    assert not any(c.path == "/gateway/bot" for c in fake.calls), "sync needs no gateway connection"
