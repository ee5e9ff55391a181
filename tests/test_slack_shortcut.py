"""The "Get STAR feedback" message shortcut over real Bolt and the fake Slack: private feedback on the member's
own message, read against the closest question (or generic), and a private refusal on anyone else's."""

from __future__ import annotations

from pathlib import Path

from stardrill.message_feedback import NAME
from stardrill.messages import PRACTICE_NOW
from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import CHANNEL, block_text, buttons, fake, http_world, world  # noqa: F401 (fixtures)

MISTAKE = ("Last month I made a mistake: I deployed a config change to the login service without a review and broke "
           "sign-in for 10 minutes. I owned up in the incident channel, rolled the change back and added a required "
           "review check to the deploy pipeline. We have had no config outage since, and I learned to ask for review.")
CHATTER = "Lunch at noon? The pizza place on 5th has a new menu and I could eat a whole one."


def run_shortcut(world, user: str, message: dict, channel: str = CHANNEL) -> None:
    assert world.send("interactive", p.message_shortcut(NAME, user, channel, message)) == 200


def private_to(world, user: str, count: int = 1) -> list:
    return world.fake.wait_calls("chat.postEphemeral", count, user=user)


def test_feedback_on_your_own_message_is_private_and_names_the_closest_question(world):
    message = world.fake.member_posts(CHANNEL, "UANA", MISTAKE)
    run_shortcut(world, "UANA", message)
    reply = private_to(world, "UANA")[0]
    assert reply.params["channel"] == CHANNEL and reply.params["text"].startswith("Feedback: ")
    text = block_text(reply)
    assert "Read as an answer to" in text and "Tell me about a mistake you made" in text
    assert "Scorecard" in text and "Not stored" in text
    assert buttons(reply)[PRACTICE_NOW] == "od-mistake"  # practise the question it was read against
    assert world.fake.calls_to("chat.postMessage") == []  # nothing public, no DM
    assert world.core.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 0  # not an answer: progress unchanged


def test_a_message_no_question_fits_gets_generic_feedback(http_world):
    message = http_world.fake.member_posts(CHANNEL, "UANA", CHATTER)
    run_shortcut(http_world, "UANA", message)
    text = block_text(private_to(http_world, "UANA")[0])
    assert "No question in the bank fits this message closely" in text and "Scorecard" in text
    assert PRACTICE_NOW not in buttons(private_to(http_world, "UANA")[0])


def test_feedback_on_a_reply_stays_in_its_thread(http_world):
    root = http_world.fake.member_posts(CHANNEL, "UBO", "Retro: tell a story about a time you owned a mistake.")
    reply = http_world.fake.member_posts(CHANNEL, "UANA", STRONG, thread_ts=root["ts"])
    run_shortcut(http_world, "UANA", reply)
    assert private_to(http_world, "UANA")[0].params["thread_ts"] == root["ts"]


def test_someone_elses_message_is_refused_privately(world):
    message = world.fake.member_posts(CHANNEL, "UANA", MISTAKE)
    run_shortcut(world, "UBO", message)
    refusal = private_to(world, "UBO")[0]
    assert refusal.params["text"].startswith("I only review your own messages")
    assert "Scorecard" not in str(refusal.params) and MISTAKE not in str(refusal.params)
    assert world.fake.calls_to("chat.postEphemeral", user="UANA") == [] and world.fake.calls_to("chat.postMessage") == []


def test_a_bots_message_is_not_yours_either(http_world):
    bot_post = {"type": "message", "ts": p.next_ts(), "user": "UBOT", "bot_id": "BBOT", "text": MISTAKE}
    run_shortcut(http_world, "UBOT", bot_post)
    assert private_to(http_world, "UBOT")[0].params["text"].startswith("I only review your own messages")


def test_where_ephemeral_is_refused_the_feedback_comes_as_a_dm(http_world):
    """A DM between two people: the app is not in it, so Slack refuses the ephemeral; the member gets a DM instead."""
    message = http_world.fake.member_posts("DPEOPLE", "UANA", MISTAKE)
    http_world.fake.fail("chat.postEphemeral", "channel_not_found", channel="DPEOPLE")
    run_shortcut(http_world, "UANA", message, channel="DPEOPLE")
    dm = http_world.fake.wait_calls("chat.postMessage", channel="DUANA")[0]
    assert dm.params["text"].startswith("Feedback: ") and "Tell me about a mistake you made" in block_text(dm)


def test_manifest_declares_the_shortcut_and_the_home_tab():
    import yaml  # the [test] extra installs pyyaml

    manifest = yaml.safe_load((Path(__file__).resolve().parents[1] / "adapters/slack_adapter/manifest.yml").read_text())
    (shortcut,) = manifest["features"]["shortcuts"]
    assert shortcut == {**shortcut, "type": "message", "callback_id": NAME, "name": "Get STAR feedback"}
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
