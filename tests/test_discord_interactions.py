"""Discord buttons, modals and private practice, end to end against the fake (real discord.py, real SQLite)."""

from __future__ import annotations

import pytest

from stardrill.app import Stardrill
from tests.stores import reopen
from tests.chat import STRONG
from tests.fakes.discord_harness import Driver, bot, buttons, embed_text, fake, post_question, start_bot  # noqa: F401

EPHEMERAL = 64


@pytest.fixture
def driver(fake):
    return Driver(fake)


def _answer_in_thread(app, fake, running, driver, who: str = "alice") -> tuple[str, dict]:
    """Post the daily question, have `who` answer in its thread; returns (thread id, feedback message payload)."""
    _, thread_id = post_question(app, running, fake.channel_id)
    mark = driver.mark()
    driver.say(who, thread_id, STRONG)
    call = driver.posted_in(thread_id, after=mark)
    feedback = next(m for m in fake.messages.values() if m["channel_id"] == thread_id and m["embeds"] == call.body["embeds"])
    return thread_id, feedback


def _button(message: dict, action: str) -> str:
    return next(cid for cid in buttons(message) if cid.split(":")[1] == action)


def test_buttons_sent_before_a_restart_still_work(app, bank, clock, store, fake, monkeypatch, driver):
    first = start_bot(app, fake, monkeypatch)
    thread_id, feedback = _answer_in_thread(app, fake, first, driver)
    first.stop()
    assert first.client.errors == []

    # A new process: a new core over the same database file, a new client, a new gateway session.
    again = Stardrill(bank, reopen(store), clock, default_level="senior", seed=7)
    second = start_bot(again, fake, monkeypatch)
    try:
        assert len(fake.identifies) == 2
        contrast = driver.callback(driver.press("alice", feedback, _button(feedback, "contrast")))
        assert contrast.body["type"] == 4 and contrast.body["data"]["flags"] & EPHEMERAL
        assert "Strong vs weak" in embed_text(contrast.body["data"])

        mark = driver.mark()
        driver.callback(driver.press("alice", feedback, _button(feedback, "probe")))
        probe = driver.posted_in(thread_id, after=mark)
        assert "Follow-up probe" in embed_text(probe.body)
    finally:
        second.stop()
        again.store.close()  # the second "process" closes its store, as a real one does on exit
    assert second.client.errors == []


def _submission(modal: dict, picks: dict[str, list[str]], comment: str = "") -> list[dict]:
    """Fill a modal from its callback payload: picks maps a select's custom id to chosen values."""
    out = []
    for row in modal["components"]:
        if row["type"] != 18:
            continue
        inner = row["component"]
        if inner["type"] == 3:
            out.append({"type": 18, "component": {"type": 3, "custom_id": inner["custom_id"],
                                                  "values": picks.get(inner["custom_id"], [])}})
        else:
            out.append({"type": 18, "component": {"type": 4, "custom_id": inner["custom_id"], "value": comment}})
    return out


def test_peer_review_through_a_modal_rolls_up_in_the_thread(app, fake, bot, driver):
    thread_id, feedback = _answer_in_thread(app, fake, bot, driver, who="alice")
    opened = driver.callback(driver.press("bob", feedback, _button(feedback, "review")))
    assert opened.body["type"] == 9, "the modal must be the first response"
    modal = opened.body["data"]
    assert len(modal["components"]) <= 5 and len(modal["title"]) <= 45
    selects = {row["component"]["custom_id"]: row["component"] for row in modal["components"]
               if row["type"] == 18 and row["component"]["type"] == 3}
    folded = "fold:met" in selects  # more criteria than a modal has slots: one select per rating instead
    if folded:
        criteria = [o["value"] for o in selects["fold:met"]["options"]]
    else:
        criteria = list(selects)
        assert all({o["value"] for o in s["options"]} == {"met", "partly", "missing"} for s in selects.values())
    assert 3 <= len(criteria) <= 6

    def rated(met: list[str], partly: list[str], missing: list[str]) -> dict[str, list[str]]:
        if folded:
            return {"fold:met": met, "fold:partly": partly, "fold:missing": missing}
        return {c: [rating] for rating, group in (("met", met), ("partly", partly), ("missing", missing)) for c in group}

    # Forget one criterion: the core refuses, naming it, and stores nothing.
    partial = _submission(modal, rated(criteria[:-1], [], []))
    refused = driver.callback(driver.submit("bob", modal["custom_id"], partial, thread_id))
    assert "Review not stored" in refused.body["data"]["content"] and refused.body["data"]["flags"] & EPHEMERAL
    assert app.store.row("SELECT COUNT(*) AS n FROM reviews")["n"] == 0

    picks = rated(criteria[:2], criteria[2:3], criteria[3:])
    mark = driver.mark()
    payload = driver.submit("bob", modal["custom_id"], _submission(modal, picks, "Great numbers, @everyone"), thread_id)
    ack = driver.callback(payload)
    assert "review is stored" in ack.body["data"]["content"]
    rollup = driver.posted_in(thread_id, after=mark)
    assert "Peer reviews of the answer by alice (1)" in embed_text(rollup.body)
    review = app.store.row("SELECT ratings, comment FROM reviews")
    assert '"met"' in review["ratings"] and "Great numbers" in review["comment"]


def test_without_the_content_intent_members_answer_through_the_answer_form(app, fake, monkeypatch, driver, caplog):
    caplog.set_level("INFO")
    running = start_bot(app, fake, monkeypatch, content="off")
    try:
        assert fake.identifies[-1]["intents"] & (1 << 15) == 0
        assert any("message content OFF" in r.getMessage() for r in caplog.records)
        message_id, thread_id = post_question(app, running, fake.channel_id)
        question = fake.messages[message_id]
        driver.say("alice", thread_id, "")  # what a thread reply looks like without the intent

        opened = driver.callback(driver.press("alice", question, _button(question, "answer")))
        assert opened.body["type"] == 9
        modal = opened.body["data"]
        answer = [{"type": 18, "component": {"type": 4, "custom_id": "text:answer", "value": STRONG}}]
        done = driver.callback(driver.submit("alice", modal["custom_id"], answer, thread_id))
        assert done.body["data"]["flags"] & EPHEMERAL
        assert "Top fix" in embed_text(done.body["data"])
        assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 1
        assert fake.posts(thread_id) == [], "the empty reply got no (error) message"
    finally:
        running.stop()
    assert running.client.errors == []


def test_practice_runs_in_direct_messages_with_probes_and_stop(app, fake, bot, driver):
    options = [{"name": "competency", "type": 3, "value": "ownership"}]
    started = driver.callback(driver.command("carol", "practice", options))
    assert "direct message" in started.body["data"]["content"] and started.body["data"]["flags"] & EPHEMERAL
    dm = fake.dm_channels[driver.user("carol")["id"]]
    question = driver.posted_in(dm)
    assert "Practice question" in embed_text(question.body)

    mark = driver.mark()
    driver.dm("carol", STRONG)
    feedback = driver.posted_in(dm, after=mark)
    probe = driver.posted_in(dm, after=fake.calls.index(feedback) + 1)
    assert "Top fix" in embed_text(feedback.body) and "Follow-up" in embed_text(probe.body)

    probe_message = next(m for m in fake.messages.values() if m["channel_id"] == dm and m["embeds"] == probe.body["embeds"])
    mark = driver.mark()
    stop = driver.interact("carol", 3, {"custom_id": _button(probe_message, "practice_stop"), "component_type": 2}, dm,
                           message=probe_message)
    assert driver.callback(stop).body["type"] == 6  # acknowledged silently; the summary goes to the DM
    summary = driver.posted_in(dm, after=mark)
    assert "Practice stopped" in embed_text(summary.body)
    assert any(cid.startswith("stardrill:practice_next:") for cid in buttons(summary.body))
