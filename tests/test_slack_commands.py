"""Slash commands over Slack: admin from users.info (cached), server-side ADMIN_ONLY, args passed through."""

from __future__ import annotations

from tests.fakes.slack_harness import ADMIN, CHANNEL, fake, http_world, world  # noqa: F401


def test_non_admin_cannot_post_a_question_and_admin_can(world):
    world.command("UANA", "now")
    refusal = world.fake.wait_calls("chat.postEphemeral", user="UANA")[0]
    assert "Only admins" in refusal.params["text"] and "workspace admins and owners" in refusal.params["text"]
    assert world.fake.calls_to("chat.postMessage") == []
    world.post_question()
    assert world.core.store.row("SELECT COUNT(*) AS n FROM posts")["n"] == 1


def test_users_info_is_asked_once_per_user(http_world):
    http_world.command(ADMIN, "stats")
    http_world.fake.wait_calls("chat.postEphemeral", user=ADMIN)  # one after the other, as a member types them
    http_world.command(ADMIN, "help")
    http_world.fake.wait_calls("chat.postEphemeral", 2, user=ADMIN)
    assert len(http_world.fake.calls_to("users.info", user=ADMIN)) == 1


def test_admin_user_setting_counts_for_non_workspace_admins(http_world, monkeypatch):
    http_world.core.admin_users = frozenset({"slack:T0001:UANA"})  # ids carry their workspace
    http_world.post_question()
    http_world.command("UANA", "now")
    http_world.fake.wait_for(lambda: http_world.core.store.row("SELECT COUNT(*) AS n FROM posts")["n"] == 2,
                             what="the second post")


def test_unknown_subcommand_is_answered_privately(http_world):
    http_world.command("UANA", "frobnicate")
    note = http_world.fake.wait_calls("chat.postEphemeral", user="UANA")[0]
    assert "Unknown command '/stardrill frobnicate'" in note.params["text"] and note.params["channel"] == CHANNEL
