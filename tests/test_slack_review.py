"""Peer review and blind mode over Slack modals: button -> views.open -> view_submission -> roll-up / reveal."""

from __future__ import annotations

from stardrill.messages import ANSWER, ANSWER_SUBMIT, REVIEW, REVIEW_SUBMIT
from tests.chat import STRONG, WEAK
from tests.fakes.slack_harness import ADMIN, CHANNEL, block_text, buttons, fake, http_world, world  # noqa: F401


def answered(world):
    thread = world.post_question()
    world.say("UANA", STRONG, thread=thread)
    feedback = world.thread_posts(thread)[0]
    return thread, feedback


def test_review_modal_submission_rolls_up_in_the_thread(world):
    thread, feedback = answered(world)
    pressed = world.press("UBO", REVIEW, buttons(feedback)[REVIEW], world.ts_of(feedback), thread=thread)
    opened = world.fake.wait_calls("views.open")[0]
    assert opened.params["trigger_id"] == pressed["trigger_id"]  # the interaction being handled
    view = opened.params["view"]
    assert view["callback_id"] == REVIEW_SUBMIT
    choices = [b for b in view["blocks"] if b["type"] == "input" and b["element"]["type"] == "radio_buttons"]
    assert choices and all([o["value"] for o in b["element"]["options"]] == ["met", "partly", "missing"] for b in choices)
    values = {b["block_id"]: "met" for b in choices} | {"comment": "Clear result, <!here> would agree"}
    world.submit("UBO", view, values)
    rollup = world.fake.wait_for(lambda: [c for c in world.fake.calls_to("chat.postMessage", thread_ts=thread)
                                          if "peer review(s)" in c.params["text"]], what="the roll-up")[0]
    assert "1 peer review(s)" in rollup.params["text"] and "1 met, 0 partly, 0 missing" in block_text(rollup)
    assert "&lt;!here&gt;" in block_text(rollup) and "<!here>" not in world.fake.outbound_text()
    thanks = world.fake.wait_calls("chat.postEphemeral", user="UBO")[0]
    assert thanks.params["thread_ts"] == thread and "review is stored" in thanks.params["text"]
    assert world.core.store.row("SELECT reviewer_id, comment FROM reviews") == {
        "reviewer_id": "T0001:UBO", "comment": "Clear result, <!here> would agree"}


def test_own_answer_review_is_refused_privately(http_world):
    thread, feedback = answered(http_world)
    http_world.press("UANA", REVIEW, buttons(feedback)[REVIEW], http_world.ts_of(feedback), thread=thread)
    refusal = http_world.fake.wait_calls("chat.postEphemeral", user="UANA")[0]
    assert "can't review your own answer" in refusal.params["text"]
    assert http_world.fake.calls_to("views.open") == []


def test_blind_mode_collects_privately_and_reveals_at_wrap_up(world):
    world.command(ADMIN, "blind on")
    world.fake.wait_calls("chat.postEphemeral", user=ADMIN)
    thread = world.post_question()
    question = world.fake.calls_to("chat.postMessage", channel=CHANNEL)[0]
    assert "revealed together at wrap-up" in block_text(question)
    for user, text in (("UANA", STRONG), ("UBO", WEAK + " <!channel>")):
        before = len(world.fake.calls_to("views.open"))
        world.press(user, ANSWER, buttons(question)[ANSWER], thread)  # the button on the root question
        view = world.fake.wait_calls("views.open", before + 1)[before].params["view"]
        assert view["callback_id"] == ANSWER_SUBMIT
        world.submit(user, view, {"answer": text})
        private = world.fake.wait_calls("chat.postEphemeral", user=user)[-1]
        assert private.params["thread_ts"] == thread and "Feedback for" in private.params["text"]
    assert world.fake.calls_to("chat.postMessage", thread_ts=thread) == []  # nothing public before wrap-up
    assert world.core.store.row("SELECT SUM(hidden) AS n FROM answers")["n"] == 2
    world.command(ADMIN, "wrapup")
    wrap = world.thread_posts(thread)[0]
    assert wrap.params["text"].startswith("Wrap-up") and "Answers, revealed together" in block_text(wrap)
    assert "nobody asked me" in block_text(wrap) and "&lt;!channel&gt;" in block_text(wrap)
    assert "<!channel>" not in world.fake.outbound_text()


def test_review_slash_command_offers_the_open_questions_answers(world):
    """Slack never runs a slash command in a thread: `/review` lists teammates' answers as buttons."""
    thread, feedback = answered(world)
    world.command("UBO", "", name="/review")
    picker = world.fake.wait_calls("chat.postEphemeral", user="UBO")[0]
    assert buttons(picker) == {REVIEW: buttons(feedback)[REVIEW]}  # Ana's answer, the one under her feedback
    assert "Whose answer" in picker.params["text"]
    world.press("UBO", REVIEW, buttons(picker)[REVIEW], picker.params.get("thread_ts") or "", ephemeral=True)
    assert world.fake.wait_calls("views.open")[0].params["view"]["callback_id"] == REVIEW_SUBMIT


def test_blind_thread_reply_is_not_taken_and_the_member_gets_the_answer_button_by_dm(http_world):
    """Slack's chat.delete of a member's message needs the member's own token: say so, DM the Answer button."""
    world = http_world
    world.command(ADMIN, "blind on")
    world.fake.wait_calls("chat.postEphemeral", user=ADMIN)
    thread = world.post_question()
    post_id = str(world.core.store.row("SELECT id FROM posts")["id"])
    world.say("UANA", STRONG, thread=thread)
    dm = world.fake.wait_calls("chat.postMessage", channel="DUANA")[0]
    assert "only you can delete" in dm.params["text"] and buttons(dm) == {ANSWER: post_id}
    assert "nobody asked me" in block_text(dm)  # her words, to paste into the form
    assert world.fake.calls_to("chat.delete") == [] and world.fake.calls_to("chat.postMessage", thread_ts=thread) == []
    assert world.core.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 0

    world.press("UANA", ANSWER, post_id, world.ts_of(dm), channel="DUANA")
    view = world.fake.wait_calls("views.open")[0].params["view"]
    world.submit("UANA", view, {"answer": STRONG})
    private = world.fake.wait_calls("chat.postEphemeral", user="UANA")[0]
    assert private.params["channel"] == CHANNEL and private.params["thread_ts"] == thread
    assert world.core.store.row("SELECT hidden FROM answers") == {"hidden": 1}
    assert world.fake.calls_to("chat.postMessage", thread_ts=thread) == []
