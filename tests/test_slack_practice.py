"""/practice over Slack: the question, feedback and probes arrive as DMs; DM replies drive the loop."""

from __future__ import annotations

from stardrill.messages import PRACTICE_STOP
from tests.chat import STRONG
from tests.fakes.slack_harness import buttons, fake, world  # noqa: F401

DM = "DUANA"  # the fake's conversations.open answers "D" + user id


def test_practice_runs_in_a_dm_loop(world):
    world.command("UANA", "ownership", name="/practice")
    world.fake.wait_calls("conversations.open", users="UANA")
    first = world.fake.wait_calls("chat.postMessage", channel=DM)[0]
    assert first.params["text"].startswith("Practice question")
    world.say("UANA", STRONG, channel=DM, channel_type="im")
    feedback, probe = world.fake.wait_calls("chat.postMessage", 3, channel=DM)[1:3]
    assert feedback.params["text"].startswith("Feedback") and probe.params["text"].startswith("Follow-up")
    world.say("UANA", "I would first measure the drop rate and then tell their lead.", channel=DM, channel_type="im")
    world.fake.wait_calls("chat.postMessage", 5, channel=DM)
    world.press("UANA", PRACTICE_STOP, buttons(probe)[PRACTICE_STOP], world.ts_of(probe), channel=DM)
    stopped = world.fake.wait_for(lambda: [c for c in world.fake.calls_to("chat.postMessage", channel=DM)
                                           if c.params["text"].startswith("Practice stopped")], what="the stop")[0]
    assert "Probe replies: 1 of" in str(stopped.params["blocks"])
    rows = world.core.store.rows("SELECT probe_index FROM answers ORDER BY id")
    assert rows == [{"probe_index": None}, {"probe_index": 0}]
    assert world.core.store.row("SELECT state FROM sessions")["state"] == "done"
    assert len(world.fake.calls_to("conversations.open")) == 1  # the DM channel is cached
