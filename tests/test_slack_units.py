"""Pure parts of the Slack adapter, on recorded payload shapes: translate, blocks, pacing; plus the manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from stardrill.adapters.slack_adapter import blocks, translate
from stardrill.adapters.slack_adapter.pacing import Pacer
from stardrill.adapters.slack_adapter.translate import Person
from stardrill.events import Where
from stardrill.messages import Button, Choice, Message, Modal, Section, Target, TextInput
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import CHANNEL, fake, http_world  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def test_message_text_is_unescaped_once():
    body = p.message(CHANNEL, "UANA", "a &lt;b&gt; &amp;lt; <@U1>", thread_ts="1.2", event_id="Ev1")
    event = translate.message_event(body, lambda u: Person("ana"))
    assert event.text == "a <b> &lt; <@U1>" and event.event_id == f"msg:{CHANNEL}:{body['event']['ts']}"
    assert event.where == Where(CHANNEL, "1.2") and event.actor.name == "ana"


def test_dm_messages_are_direct_and_bot_or_edited_messages_are_dropped():
    dm = translate.message_event(p.message("D1", "UANA", "hi", channel_type="im"))
    assert dm.where == Where("D1", None, direct=True)
    assert translate.message_event(p.message(CHANNEL, "UANA", "x", bot_id="B1")) is None
    assert translate.message_event(p.message(CHANNEL, "UANA", "x", subtype="message_changed")) is None
    assert translate.message_event(p.message(CHANNEL, "UANA", "x", subtype="thread_broadcast")) is not None


def test_commands_keep_their_args_and_admin_flag():
    event = translate.command_event(p.command("/stardrill", "schedule 09:30 Europe/Berlin mon-fri", "UA", CHANNEL),
                                    lambda u: Person("lead", True))
    assert (event.name, event.args, event.actor.is_admin) == ("stardrill", "schedule 09:30 Europe/Berlin mon-fri", True)
    assert event.event_id.startswith("cmd:trig.")
    review = translate.command_event(p.command("/stardrill", "review 12", "UA", CHANNEL))
    assert (review.name, review.args) == ("review", "12")
    assert translate.command_event(p.command("/other", "", "UA", CHANNEL)) is None


def test_button_where_follows_the_thread_or_the_root_message():
    in_thread = translate.action_event(p.block_action("probe", "7", "UA", CHANNEL, "2.0", thread_ts="1.0"))
    on_root = translate.action_event(p.block_action("answer", "3", "UA", CHANNEL, "1.0"))
    ephemeral = translate.action_event(p.block_action("contrast", "7", "UA", CHANNEL, "3.0", "1.0", ephemeral=True))
    assert (in_thread.where.thread, on_root.where.thread, ephemeral.where.thread) == ("1.0", "1.0", "1.0")
    assert (in_thread.action, in_thread.value) == ("probe", "7")


def test_modal_round_trip_through_view_and_submission():
    modal = Modal("UA", "Review this answer, please", "review_submit", "12",
                  (Choice("c1", "Scope", ("met", "partly", "missing")), TextInput("comment", "Comment", required=False)),
                  intro="Rate <this>", target=Target("slack", CHANNEL, "1.0"))
    view = blocks.modal_view(modal, translate.modal_metadata("review_submit", "12", Where(CHANNEL, "1.0")))
    assert len(view["title"]["text"]) <= 24 and view["blocks"][0]["text"]["text"] == "Rate &lt;this&gt;"
    assert view["blocks"][1]["element"]["type"] == "radio_buttons" and view["blocks"][2]["optional"]
    event = translate.view_event(p.view_submission(view, "UB", {"c1": "partly", "comment": "a < b"}))
    assert (event.action, event.value, event.where) == ("review_submit", "12", Where(CHANNEL, "1.0"))
    assert event.fields == {"c1": "partly", "comment": "a < b"}


def test_long_feedback_is_split_within_slack_limits():
    body = "\n".join(f"line {i} " + "x" * 90 for i in range(400))  # ~40k chars
    message = Message(Target("slack", CHANNEL), "Feedback <!here>", (Section("Scorecard", body, quote=True),) * 2,
                      (Button("Probe", "probe", "1"),))
    payloads = blocks.message_payloads(message)
    assert len(payloads) > 1
    for payload in payloads:
        assert len(payload.blocks) <= blocks.MAX_BLOCKS and len(payload.text) <= blocks.MAX_TEXT
        assert all(len(b["text"]["text"]) <= blocks.SECTION_TEXT for b in payload.blocks if b["type"] == "section")
        assert sum(len(b.get("text", {}).get("text", "")) for b in payload.blocks) <= blocks.MESSAGE_CHARS
    assert payloads[-1].blocks[-1]["type"] == "actions" and payloads[0].text == "Feedback &lt;!here&gt;"
    text = "".join(b["text"]["text"] for pl in payloads for b in pl.blocks if b["type"] == "section")
    assert text.count("line 399 ") == 2  # nothing lost


def test_pacer_allows_a_burst_then_one_per_second_per_channel():
    now = [0.0]
    pacer = Pacer(rate=1.0, burst=3, clock=lambda: now[0], sleep=lambda s: None)
    assert [pacer.reserve("C1") for _ in range(5)] == [0, 0, 0, 1.0, 2.0]
    assert pacer.reserve("C2") == 0  # channels are independent
    now[0] = 10.0
    assert pacer.reserve("C1") == 0


def test_deliver_paces_a_burst_into_one_channel(http_world):
    slept = []
    adapter = http_world.running.adapter
    adapter.pacer = Pacer(rate=1.0, burst=2, sleep=slept.append)
    adapter.deliver([Message(Target("slack", CHANNEL), f"note {i}") for i in range(4)])
    assert len(slept) == 2 and all(s > 0.5 for s in slept)
    assert len(http_world.fake.calls_to("chat.postMessage", channel=CHANNEL)) == 4


def test_manifest_declares_what_the_adapter_uses():
    import yaml  # the [test] extra installs pyyaml

    manifest = yaml.safe_load((ROOT / "adapters/slack_adapter/manifest.yml").read_text())
    features, settings = manifest["features"], manifest["settings"]
    assert {c["command"] for c in features["slash_commands"]} >= {"/stardrill", "/practice"}
    assert set(settings["event_subscriptions"]["bot_events"]) >= {"message.channels", "message.groups", "message.im"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "channels:history", "groups:history", "im:history", "im:write", "users:read", "files:write"} <= scopes
    assert settings["socket_mode_enabled"] is True and settings["interactivity"]["is_enabled"] is True
