"""Persistent buttons: a DynamicItem matched on "stardrill:<action>:<value>" custom ids.

Registered once at start (client.add_dynamic_items), so a button on a message sent before a
restart still reaches the core: no view objects need to survive in memory.
"""

from __future__ import annotations

import discord

TEMPLATE = r"stardrill:(?P<action>[a-z_]+):(?P<value>[^:]*)"


class StardrillButton(discord.ui.DynamicItem[discord.ui.Button], template=TEMPLATE):
    def __init__(self, action: str, value: str, label: str = "…", style: discord.ButtonStyle = discord.ButtonStyle.secondary):
        self.action, self.value = action, value
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"stardrill:{action}:{value}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match, /):
        return cls(match["action"], match["value"], item.label or "…", item.style)

    async def callback(self, interaction: discord.Interaction) -> None:
        # The client owns the core and the adapter; the button only says what was pressed.
        await interaction.client.on_stardrill_button(interaction, self.action, self.value)
