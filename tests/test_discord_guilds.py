"""Discord ids are global snowflakes (no server prefix needed); the server is recorded on the channel's row."""

from __future__ import annotations

import time

from stardrill import daily
from tests.fakes.discord_harness import bot, fake  # noqa: F401 (fixtures)

def test_a_discord_channel_records_its_server_after_a_post(app, fake, bot):
    message = daily.claim_question(app, "discord", fake.channel_id)
    bot.outbox.deliver([message])
    found = fake.wait_for(lambda c: c.path == f"/channels/{fake.channel_id}/messages")
    assert found is not None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        row = app.store.row("SELECT guild_id FROM channels WHERE platform = 'discord' AND channel_id = ?",
                            (fake.channel_id,))
        if row and row["guild_id"]:
            break
        time.sleep(0.02)
    assert row["guild_id"] == fake.guild_id
