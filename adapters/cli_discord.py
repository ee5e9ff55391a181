"""`stardrill discord invite-url` and `stardrill discord sync`: the two setup actions for Discord.

Slash commands are synced only by this explicit action (Discord allows 200 command creates per
day per guild, so syncing on every start is a way to get locked out).
"""

from __future__ import annotations

import asyncio

from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.cli_progress import MAX_DIGITS, is_digits, shortened, whole_number
from stardrill import settings

SCOPES = ("bot", "applications.commands")
SNOWFLAKE_END = 2 ** 64  # Discord ids are unsigned 64-bit numbers


def needed_permissions():
    """What the bot does: read the channel, post the question (an embed), start its thread, answer in threads,
    and remove a reply typed in a blind-mode thread (Manage Messages)."""
    import discord  # lazily: `stardrill --help` should not pay for importing discord.py

    return discord.Permissions(
        view_channel=True, send_messages=True, send_messages_in_threads=True, create_public_threads=True,
        embed_links=True, read_message_history=True, manage_messages=True,
    )


def invite_url(client_id: str | int) -> str:
    import discord

    return discord.utils.oauth_url(client_id, permissions=needed_permissions(), scopes=SCOPES)


def _token() -> str:
    token = settings.get("DISCORD_TOKEN")
    if not token:
        raise StartupError("DISCORD_TOKEN is not set")
    return token


def _client_id(text: str) -> str:
    """An application id is a Discord snowflake: digits only (anything else makes an invite URL that fails)."""
    digits = text.strip()
    if not is_digits(digits) or len(digits) > MAX_DIGITS or not 0 < int(digits) < SNOWFLAKE_END:
        raise StartupError(f"the client id must be the application's numeric id (a snowflake), not {shortened(text)}")
    return digits


def _rest_errors(work):
    """Run a REST-only coroutine; network trouble and a refused token become one-line StartupErrors."""
    import aiohttp
    import discord

    from stardrill.adapters import reach
    from stardrill.adapters.discord_adapter.runtime import configure_rest

    base = configure_rest()
    try:
        reach.check("Discord", base)
    except StartupError:
        work.close()  # never started: close it, or Python warns that it was never awaited
        raise
    try:
        return asyncio.run(work)
    except discord.LoginFailure:
        raise StartupError("Discord rejected DISCORD_TOKEN (improper token); copy the bot token again from the "
                           "Developer Portal") from None
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
        raise reach.unreachable("Discord", base, exc) from None


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
    client_id = _client_id(client_id) if client_id else _rest_errors(_fetch_client_id(_token()))
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

    synced = _rest_errors(_sync(bootstrap.app(), _token(), args.guild))
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
    sync.add_argument("--guild", type=whole_number(1, SNOWFLAKE_END - 1), help="Sync to one server only (instant; default: global).")
    sync.set_defaults(func=cmd_sync)
