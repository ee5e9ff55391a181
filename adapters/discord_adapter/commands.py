"""The application command tree: /stardrill <sub>, /practice, /review. Each command only names itself.

Every callback forwards (name, args) to the client, which builds the core CommandInvoked. Admin
rights are not left to `default_member_permissions` (a hint admins can override, and ignored on
subcommands): the core checks ADMIN_ONLY with Actor.is_admin = Manage Server.
"""

from __future__ import annotations

from typing import Literal, Optional

import discord
from discord import app_commands

from stardrill.commands import ADMIN_ONLY, SUBCOMMANDS
from stardrill.content_models import COMPETENCIES

OnOff = Literal["on", "off"]
MAX_SUBCOMMANDS = 25  # Discord's limit per command group


async def _forward(interaction: discord.Interaction, name: str, *words) -> None:
    args = " ".join(str(w) for w in words if w not in (None, ""))
    await interaction.client.on_stardrill_command(interaction, name, args)


def _match(current: str, pairs) -> list[app_commands.Choice[str]]:
    needle = current.lower()
    found = [(value, label) for value, label in pairs if needle in value or needle in label.lower()]
    return [app_commands.Choice(name=label[:100], value=value) for value, label in found[:25]]


async def competency_choices(interaction: discord.Interaction, current: str):
    return _match(current, COMPETENCIES.items())


async def level_choices(interaction: discord.Interaction, current: str):
    levels = interaction.client.app.bank.levels
    return _match(current, ((lid, f"{lid} ({level.name})") for lid, level in levels.items()))


def _plain(sub: str, description: str) -> app_commands.Command:
    async def callback(interaction: discord.Interaction) -> None:
        await _forward(interaction, "stardrill", sub)

    return app_commands.Command(name=sub, description=description, callback=callback)


def _free_text(sub: str) -> app_commands.Command:
    """A core subcommand without a typed form here: one optional free-text argument, parsed by the core."""

    async def callback(interaction: discord.Interaction, args: Optional[str] = None) -> None:
        await _forward(interaction, "stardrill", sub, args)

    admin = " (Manage Server)" if sub in ADMIN_ONLY else ""
    described = app_commands.describe(args="Arguments, as in /stardrill help")(callback)
    return app_commands.Command(name=sub, description=f"/stardrill {sub}{admin}; see /stardrill help.", callback=described)


def stardrill_group() -> app_commands.Group:
    group = app_commands.Group(name="stardrill", description="Daily STAR interview practice for this channel.")
    for sub, description in (
        ("now", "Post a question here now (Manage Server)."),
        ("wrapup", "Wrap up the latest question (Manage Server)."),
        ("pause", "Pause the daily schedule (Manage Server)."),
        ("resume", "Resume the daily schedule (Manage Server)."),
        ("skip", "Skip the next scheduled question (Manage Server)."),
        ("stats", "Your progress (only you see it)."),
        ("help", "What Stardrill can do."),
    ):
        group.add_command(_plain(sub, description))

    @group.command(name="schedule", description="Post the daily question at HH:MM (Manage Server).")
    @app_commands.describe(time="HH:MM, 24-hour", timezone="e.g. Europe/Berlin (default UTC)", days="e.g. mon-fri")
    async def schedule(interaction: discord.Interaction, time: str, timezone: Optional[str] = None,
                       days: Optional[str] = None) -> None:
        await _forward(interaction, "stardrill", "schedule", time, timezone, days)

    @group.command(name="level", description="Set your level; feedback is calibrated to it.")
    @app_commands.autocomplete(level=level_choices)
    async def level(interaction: discord.Interaction, level: str) -> None:
        await _forward(interaction, "stardrill", "level", level)

    @group.command(name="blind", description="Collect answers privately, reveal at wrap-up (Manage Server).")
    async def blind(interaction: discord.Interaction, mode: OnOff) -> None:
        await _forward(interaction, "stardrill", "blind", mode)

    @group.command(name="private", description="Send feedback privately instead of in the thread (Manage Server).")
    async def private(interaction: discord.Interaction, mode: OnOff) -> None:
        await _forward(interaction, "stardrill", "private", mode)

    typed = {c.name for c in group.commands}
    for sub in SUBCOMMANDS:  # whatever else the core offers stays reachable from Discord
        if sub not in typed and len(group.commands) < MAX_SUBCOMMANDS:
            group.add_command(_free_text(sub))
    return group


def member_commands() -> list[app_commands.Command]:
    """Fresh command objects per tree (a restarted client builds its own)."""

    @app_commands.command(name="practice", description="Private practice: a question, feedback and follow-up probes.")
    @app_commands.autocomplete(competency=competency_choices, level=level_choices)
    async def practice(interaction: discord.Interaction, competency: Optional[str] = None,
                       level: Optional[str] = None) -> None:
        await _forward(interaction, "practice", competency, level)

    @app_commands.command(name="review", description="Review a teammate's answer against the question's criteria.")
    @app_commands.describe(answer_id="The answer's number (default: the latest teammate answer in this thread)")
    async def review(interaction: discord.Interaction, answer_id: Optional[int] = None) -> None:
        await _forward(interaction, "review", answer_id)

    return [practice, review]


def install(tree: app_commands.CommandTree) -> None:
    tree.add_command(stardrill_group())
    for command in member_commands():
        tree.add_command(command)
