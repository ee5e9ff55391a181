"""Progress views over Discord: stats and history as ephemeral embeds, the digest as a channel embed."""

from __future__ import annotations

import pytest

from tests.chat import STRONG
from tests.fakes.discord_harness import Driver, bot, embed_text, fake, post_question  # noqa: F401 (fixtures)

EPHEMERAL = 64


@pytest.fixture
def driver(fake):
    return Driver(fake)


def sub(name: str, args: str | None = None) -> list[dict]:
    options = [{"name": "args", "type": 3, "value": args}] if args else []
    return [{"name": name, "type": 1, "options": options}]


def answered(app, fake, bot, driver) -> str:
    _, thread_id = post_question(app, bot, fake.channel_id)
    mark = driver.mark()
    driver.say("alice", thread_id, STRONG)
    driver.posted_in(thread_id, after=mark)
    return thread_id


def test_stats_and_history_are_ephemeral_embeds(app, fake, bot, driver):
    answered(app, fake, bot, driver)
    stats = driver.callback(driver.command("alice", "stardrill", sub("stats")))
    assert stats.body["data"]["flags"] & EPHEMERAL and stats.body["data"]["embeds"]
    assert "streak" in embed_text(stats.body["data"]).lower()
    history = driver.callback(driver.command("alice", "stardrill", sub("history")))
    question = app.bank.question(app.store.row("SELECT question_id FROM answers")["question_id"])
    assert history.body["data"]["flags"] & EPHEMERAL
    assert question.text[:40] in embed_text(history.body["data"])
    assert bot.client.errors == []


def test_digest_is_a_channel_embed_without_scores(app, fake, bot, driver):
    answered(app, fake, bot, driver)
    driver.callback(driver.command("ann", "stardrill", sub("digest", "on"), admin=True))
    mark = driver.mark()
    driver.callback(driver.command("ann", "stardrill", sub("digest", "now"), admin=True))
    digest = driver.posted_in(fake.channel_id, after=mark, where=lambda c: "digest" in embed_text(c.body).lower())
    text = embed_text(digest.body)
    assert "Weekly digest" in text and "/100" not in text
    assert digest.body["allowed_mentions"]["parse"] == []
    assert bot.client.errors == []


def test_export_is_an_ephemeral_file(app, fake, bot, driver):
    import json

    _, thread_id = post_question(app, bot, fake.channel_id)
    mark = driver.mark()
    driver.say("alice", thread_id, STRONG)
    driver.posted_in(thread_id, after=mark)
    call = driver.callback(driver.command("alice", "stardrill", sub("export")))
    assert call.body["data"]["flags"] & 64  # only alice sees it
    (name, content), = call.files.items()
    assert name == f"stardrill-export-discord-{driver.user('alice')['id']}.jsonl"
    assert [json.loads(line)["text"] for line in content.decode().splitlines()] == [STRONG]
