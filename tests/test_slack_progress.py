"""Progress views over Slack: stats and history as private Block Kit, the digest as a channel post."""

from __future__ import annotations

from tests.chat import STRONG
from tests.fakes.slack_harness import ADMIN, CHANNEL, block_text, fake, http_world  # noqa: F401 (fixtures)


def test_stats_and_history_are_private_block_kit(http_world):
    thread = http_world.post_question()
    http_world.say("UANA", STRONG, thread=thread)
    http_world.thread_posts(thread)
    http_world.command("UANA", "stats")
    stats = http_world.fake.wait_calls("chat.postEphemeral", user="UANA")[0]
    assert any(b["type"] == "section" for b in stats.params["blocks"])
    text = block_text(stats)
    assert "streak" in text.lower() and "1 answer" in text
    http_world.command("UANA", "history")
    history = http_world.fake.wait_calls("chat.postEphemeral", 2, user="UANA")[1]
    question = http_world.core.bank.question(http_world.core.store.row("SELECT question_id FROM answers")["question_id"])
    assert question.text[:40] in block_text(history)
    assert http_world.fake.calls_to("chat.postMessage", channel=CHANNEL)[1:] == http_world.thread_posts(thread)


def test_digest_is_a_channel_post_that_names_no_scores(http_world):
    thread = http_world.post_question()
    http_world.say("UANA", STRONG, thread=thread)
    http_world.thread_posts(thread)
    http_world.command(ADMIN, "digest on")
    http_world.command(ADMIN, "digest now")
    digest = http_world.fake.wait_for(
        lambda: [c for c in http_world.fake.calls_to("chat.postMessage", channel=CHANNEL) if "digest" in c.params["text"].lower()],
        what="the digest post",
    )[0]
    assert "Weekly digest" in digest.params["text"] and "/100" not in block_text(digest)


def test_export_arrives_as_a_file_in_the_members_dm(http_world):
    import json

    world = http_world
    thread = world.post_question()
    world.say("UANA", STRONG, thread=thread)
    world.thread_posts(thread)
    world.command("UANA", "export")
    done = world.fake.wait_calls("files.completeUploadExternal")[0]
    assert done.params["channel_id"] == "DUANA" and "Only you received it" in done.params["initial_comment"]
    (upload,) = world.fake.uploads.values()
    assert [json.loads(line)["text"] for line in upload["content"].decode().splitlines()] == [STRONG]
    assert upload["filename"] == "stardrill-export-slack-T0001-UANA.jsonl"
    assert not [c for c in world.fake.calls_to("chat.postEphemeral", user="UANA") if STRONG in str(c.params)]


def test_export_without_the_files_scope_says_how_to_fix_it(http_world):
    thread = http_world.post_question()
    http_world.say("UANA", STRONG, thread=thread)
    http_world.thread_posts(thread)
    http_world.fake.fail("files.getUploadURLExternal", "missing_scope")
    http_world.command("UANA", "export")
    note = http_world.fake.wait_for(lambda: [c for c in http_world.fake.calls_to("chat.postEphemeral", user="UANA")
                                             if "files:write" in c.params["text"]], what="the explanation")[0]
    assert "stardrill export --user slack:T0001:UANA" in note.params["text"]
