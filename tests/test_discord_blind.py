"""Blind mode on Discord: a thread reply is deleted (the bot has Manage Messages) and its author gets the Answer button."""

from __future__ import annotations

import pytest

from tests.chat import STRONG
from tests.fakes import discord_payloads as P
from tests.fakes.discord_harness import Driver, bot, buttons, embed_text, fake, post_question  # noqa: F401


@pytest.fixture
def driver(fake):
    return Driver(fake)


def blind_thread(app, fake, bot, driver) -> str:
    driver.callback(driver.command("ann", "stardrill", [P.sub("blind", mode="on")], admin=True))
    return post_question(app, bot, fake.channel_id)[1]


def test_a_thread_reply_is_deleted_and_the_author_gets_the_answer_button(app, fake, bot, driver):
    thread_id = blind_thread(app, fake, bot, driver)
    mark = driver.mark()
    said = driver.say("alice", thread_id, STRONG)
    deleted = fake.wait_for(lambda c: c.method == "DELETE", after=mark)
    assert deleted.path == f"/channels/{thread_id}/messages/{said['id']}" and deleted.status == 204
    assert said["id"] not in fake.messages
    dm = fake.dm_channels[driver.user("alice")["id"]]
    note = driver.posted_in(dm, after=mark)
    assert "removed your reply" in embed_text(note.body) and "nobody asked me" in embed_text(note.body)
    assert [cid.split(":")[1] for cid in buttons(note.body)] == ["answer"]
    assert fake.posts(thread_id) == []
    assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 0


def test_without_manage_messages_the_author_is_asked_to_delete_it(app, fake, bot, driver, caplog):
    thread_id = blind_thread(app, fake, bot, driver)
    fake.no_manage_messages.add(thread_id)
    mark = driver.mark()
    said = driver.say("alice", thread_id, STRONG)
    assert fake.wait_for(lambda c: c.method == "DELETE", after=mark).status == 403
    dm = fake.dm_channels[driver.user("alice")["id"]]
    sorry = driver.posted_in(dm, after=mark, where=lambda c: "couldn't remove" in (c.body.get("content") or ""))
    assert "delete it yourself" in sorry.body["content"]
    assert said["id"] in fake.messages and fake.posts(thread_id) == []
    assert any("Manage Messages" in r.getMessage() for r in caplog.records)
