"""`stardrill discord invite-url` and `stardrill discord sync`: the two setup actions for Discord.

Slash commands are synced only by this explicit action (Discord allows 200 command creates per
day per guild, so syncing on every start is a way to get locked out).
"""

from __future__ import annotations

import asyncio

from stardrill.adapters.bootstrap import StartupError
from stardrill import settings

SCOPES = ("bot", "applications.commands")


def needed_permissions():
    """What the bot does: read the channel, post the question (an embed), start its thread, answer in threads."""
    import discord  # lazily: `stardrill --help` should not pay for importing discord.py

    return discord.Permissions(
        view_channel=True, send_messages=True, send_messages_in_threads=True, create_public_threads=True,
        embed_links=True, read_message_history=True,
    )


def invite_url(client_id: str | int) -> str:
    import discord

    return discord.utils.oauth_url(client_id, permissions=needed_permissions(), scopes=SCOPES)


def _token() -> str:
    token = settings.get("DISCORD_TOKEN")
    if not token:
        raise StartupError("DISCORD_TOKEN is not set")
    return token


async def _fetch_client_id(token: str) -> int:
    import discord

    from stardrill.adapters.discord_adapter.runtime import configure_rest

    configure_rest()
    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(token)  # GET /users/@me and /oauth2/applications/@me
        return client.application_id
    finally:
        await client.close()


def cmd_invite_url(args) -> int:
    client_id = args.client_id or settings.get("STARDRILL_DISCORD_CLIENT_ID")
    if not client_id:
        client_id = asyncio.run(_fetch_client_id(_token()))
    print(invite_url(client_id))
    return 0


async def _sync(app, token: str, guild_id: int | None) -> list:
    import discord

    from stardrill.adapters.discord_adapter.client import StardrillClient
    from stardrill.adapters.discord_adapter.runtime import configure_rest

    configure_rest()
    client = StardrillClient(app)
    try:
        await client.login(token)  # REST only: no gateway connection is needed to sync
        if guild_id is None:
            return await client.tree.sync()
        guild = discord.Object(guild_id)
        client.tree.copy_global_to(guild=guild)
        return await client.tree.sync(guild=guild)
    finally:
        await client.close()


def cmd_sync(args) -> int:
    from stardrill.adapters import bootstrap

    synced = asyncio.run(_sync(bootstrap.app(), _token(), args.guild))
    where = f"guild {args.guild} (visible at once)" if args.guild else "globally (may take up to an hour to appear)"
    print(f"synced {len(synced)} command(s) {where}: {', '.join('/' + c.name for c in synced)}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("discord", help="Discord setup: invite URL and slash-command sync.")
    actions = p.add_subparsers(dest="discord_command", required=True, metavar="ACTION")
    invite = actions.add_parser("invite-url", help="Print the OAuth2 URL that adds the bot with the permissions it needs.")
    invite.add_argument("--client-id", help="Application id (default STARDRILL_DISCORD_CLIENT_ID, else fetched with DISCORD_TOKEN).")
    invite.set_defaults(func=cmd_invite_url)
    sync = actions.add_parser("sync", help="Register the slash commands with Discord (run after install and upgrades).")
    sync.add_argument("--guild", type=int, help="Sync to one server only (instant; default: global).")
    sync.set_defaults(func=cmd_sync)
