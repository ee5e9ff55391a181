"""Discord split across processes: STARDRILL_DISCORD_SHARD_IDS of STARDRILL_DISCORD_SHARD_COUNT, one database.

Two real discord.py clients (shards [0] and [1] of 2) on one store against the fake, which routes each
guild's events to shard (guild_id >> 22) % 2 and DMs to shard 0, as Discord does. Which process did
the work is read from the outbox: a reply row is claimed by the process whose worker handled its event.
"""

from __future__ import annotations

import time

import discord
import pytest

from stardrill import daily
from stardrill.adapters.cli import main
from stardrill.adapters.discord_adapter import shards as sharding
from stardrill.messages import Message, Target
from stardrill.settings import SettingError
from stardrill.store import outbox
from tests.chat import STRONG
from tests.fakes import discord_payloads as P
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_harness import Driver, embed_text, start_bot

IDS, COUNT = "STARDRILL_DISCORD_SHARD_IDS", "STARDRILL_DISCORD_SHARD_COUNT"


@pytest.fixture
def fake():
    server = FakeDiscord(shards=2).start()
    yield server
    server.stop()


@pytest.fixture
def guild_b(fake):
    """A second server, on shard 1: (guild id, channel id). The fake's own guild is on shard 0."""
    return fake.add_guild(1)


@pytest.fixture
def started(app, fake, monkeypatch):
    running = []

    def start(shard_ids: str, count: str = "2"):
        monkeypatch.setenv(IDS, shard_ids)
        monkeypatch.setenv(COUNT, count)
        running.append(start_bot(app, fake, monkeypatch))
        return running[-1]

    yield start
    for item in running:
        item.stop()
        assert item.client.errors == []


def claimers(app, reply_to: str) -> set[str]:
    """The processes (marks) that sent the rows answering one event."""
    def all_sent():
        rows = app.store.rows("SELECT claimed_by, status FROM outbox WHERE reply_to = ?", (reply_to,))
        return rows if rows and all(r["status"] == "sent" for r in rows) else None

    return {r["claimed_by"] for r in wait_for(all_sent)}


def wait_for(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.02)
    return found


def test_each_process_gets_only_its_shards_guilds_and_a_reply_on_shard_1_gets_its_feedback(app, fake, guild_b, started):
    b_guild, b_channel = guild_b
    zero = started("0")
    # Process 0 does not hold guild B, and still posts B's scheduled question and its thread (REST needs no shard).
    zero.outbox.deliver([daily.claim_question(app, "discord", b_channel)])
    thread_id = wait_for(lambda: app.store.row("SELECT thread_id FROM posts WHERE channel_id = ? AND thread_id IS NOT NULL",
                                               (b_channel,)))["thread_id"]
    wait_for(lambda: thread_id in fake.channels)  # the thread is the post's next outbox step
    one = started("1")

    assert sorted(tuple(d["shard"]) for d in fake.identifies) == [(0, 2), (1, 2)]
    assert [g.id for g in zero.client.guilds] == [int(fake.guild_id)]
    assert [g.id for g in one.client.guilds] == [int(b_guild)]
    assert zero.client.get_guild(int(b_guild)) is None and one.client.get_guild(int(fake.guild_id)) is None

    driver = Driver(fake)
    mark = driver.mark()
    reply = driver.say("alice", thread_id, STRONG)
    feedback = driver.posted_in(thread_id, after=mark)
    assert "Top fix" in embed_text(feedback.body)

    created = [m["id"] for m in fake.events_on(1, "MESSAGE_CREATE")]
    assert reply["id"] in created and reply["id"] not in [m["id"] for m in fake.events_on(0, "MESSAGE_CREATE")]
    assert claimers(app, f"message:{reply['id']}") == {one.relay.mark.token}
    _handled_once(app, fake)


def test_a_shard_whose_session_ends_identifies_again_at_the_configured_gateway_and_keeps_answering(
        app, fake, guild_b, started):
    zero, one = started("0"), started("1")
    _, b_channel = guild_b
    fake.invalidate(1)  # Discord ended shard 1's session: resuming is not allowed, only a new IDENTIFY
    # discord.py waits a random backoff (up to ~10 s when attempts fail on a loaded machine) before it identifies again
    wait_for(lambda: len(fake.identifies) == 3, timeout=60)
    assert fake.identifies[-1]["shard"] == [1, 2]
    wait_for(lambda: all(not s.is_closed() for s in one.client.shards.values()), timeout=30)

    driver = Driver(fake)
    command = driver.command("ann", "stardrill", [{"name": "help", "type": 1, "options": []}], b_channel)
    assert driver.callback(command, timeout=10).status == 200
    assert claimers(app, f"interaction:{command['id']}") == {one.relay.mark.token}
    assert [d["id"] for d in fake.events_on(1, "INTERACTION_CREATE")] == [command["id"]]


def test_direct_messages_come_on_shard_0_and_practice_works_there_even_when_started_from_shard_1(
        app, fake, guild_b, started):
    zero, one = started("0"), started("1")
    driver = Driver(fake)
    _, b_channel = guild_b

    # /practice in a channel of guild B: shard 1's process answers and sends the question by DM...
    command = driver.command("carol", "practice", [{"name": "competency", "type": 3, "value": "ownership"}], b_channel)
    assert "direct message" in driver.callback(command).body["data"]["content"]
    dm = fake.dm_channels[driver.user("carol")["id"]]
    assert "Practice question" in embed_text(driver.posted_in(dm).body)
    assert claimers(app, f"interaction:{command['id']}") == {one.relay.mark.token}

    # ...and the answer, a DM, arrives on shard 0: process 0 gives the feedback from the shared store.
    mark = driver.mark()
    answer = driver.dm("carol", STRONG)
    assert "Top fix" in embed_text(driver.posted_in(dm, after=mark).body)
    assert [m["id"] for m in fake.events_on(0, "MESSAGE_CREATE")] == [answer["id"]]
    assert claimers(app, f"message:{answer['id']}") == {zero.relay.mark.token}

    # /practice typed in the DM itself: an interaction without a guild, on shard 0.
    mark = driver.mark()
    in_dm = driver.command("dave", "practice", [], _dm_channel(fake, driver, "dave"))
    driver.callback(in_dm)
    assert "Practice question" in embed_text(driver.posted_in(_dm_channel(fake, driver, "dave"), after=mark).body)
    assert [i["id"] for i in fake.events_on(0, "INTERACTION_CREATE")] == [in_dm["id"]]
    assert claimers(app, f"interaction:{in_dm['id']}") == {zero.relay.mark.token}
    _handled_once(app, fake)


def _dm_channel(fake: FakeDiscord, driver: Driver, name: str) -> str:
    user = driver.user(name)
    channel_id = fake.dm_channels.setdefault(user["id"], P.snowflake())
    fake.channels.setdefault(channel_id, P.dm_channel(channel_id, user))
    return channel_id


def _handled_once(app, fake: FakeDiscord) -> None:
    """Every event reached one shard only, was stored once and handled once; one feedback per answer."""
    sent = [(kind, d["id"]) for _, kind, d in fake.delivered if kind in ("MESSAGE_CREATE", "INTERACTION_CREATE")]
    assert len(sent) == len(set(sent))
    wait_for(lambda: app.store.inbox.row("SELECT COUNT(*) AS n FROM inbox WHERE status != 'done'")["n"] == 0)
    events = [r["event_id"] for r in app.store.inbox.rows("SELECT event_id FROM inbox")]
    assert len(events) == len(set(events))
    stored = {e for e in events if e.startswith("message:")}
    answered = {_id for kind, _id in sent if kind == "MESSAGE_CREATE" and f"message:{_id}" in stored}
    assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == len(answered)
    assert app.store.row("SELECT COUNT(*) AS n FROM feedback")["n"] == len(answered)


def test_a_reply_to_an_interaction_is_left_to_the_process_whose_shard_it_came_on(app, fake, guild_b, started):
    zero, one = started("0"), started("1")
    _, b_channel = guild_b
    dm = _dm_channel(fake, Driver(fake), "erin")
    fresh = f"interaction:{P.snowflake()}"
    stale = f"interaction:{discord.utils.time_snowflake(discord.utils.utcnow().replace(microsecond=0)) - (20 * 60_000 << 22)}"

    def row(channel: str, reply_to: str) -> outbox.Row:
        target = Target("discord", channel, private_to="42")
        [queued] = outbox.enqueue(app.store, "discord", [Message(target, "hi")], app.stamp(), reply_to=reply_to)
        app.store.execute("UPDATE outbox SET status = 'failed' WHERE id = ?", (queued.id,))  # no sender takes it
        return outbox.get(app.store, queued.id)

    assert zero.adapter.held_elsewhere(row(b_channel, fresh))  # guild B's interaction: shard 1's process holds it
    assert not one.adapter.held_elsewhere(row(b_channel, fresh))
    assert not zero.adapter.held_elsewhere(row(fake.channel_id, fresh))  # its own guild
    assert one.adapter.held_elsewhere(row(dm, fresh))  # a DM interaction came on shard 0
    assert not zero.adapter.held_elsewhere(row(b_channel, stale))  # token dead after 15 min: anyone sends
    assert not zero.adapter.held_elsewhere(row(b_channel, f"message:{P.snowflake()}"))  # no interaction to hold


def test_one_process_with_every_shard_sends_everything(app, fake, guild_b, started):
    both = started("0-1")
    assert sorted(tuple(d["shard"]) for d in fake.identifies) == [(0, 2), (1, 2)]
    assert sorted(g.id for g in both.client.guilds) == sorted([int(fake.guild_id), int(guild_b[0])])
    assert sorted(both.client.shards) == [0, 1]
    [queued] = outbox.enqueue(app.store, "discord", [Message(Target("discord", guild_b[1], private_to="42"), "hi")],
                              app.stamp(), reply_to=f"interaction:{P.snowflake()}")
    assert not both.adapter.held_elsewhere(queued)


# -- the settings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("ids, count, expected", [
    ("", "", sharding.Shards(None, None)),
    ("", "3", sharding.Shards(None, 3)),
    ("1", "2", sharding.Shards((1,), 2)),
    (" 0-3, 8 ", "10", sharding.Shards((0, 1, 2, 3, 8), 10)),
    ("2,0", "4", sharding.Shards((0, 2), 4)),
])
def test_shard_settings_that_work(monkeypatch, ids, count, expected):
    monkeypatch.setenv(IDS, ids)
    monkeypatch.setenv(COUNT, count)
    assert sharding.from_settings() == expected


@pytest.mark.parametrize("ids, count, line", [
    ("a", "2", f"{IDS} must be shard numbers such as 0,1 or 0-3, not 'a'"),
    ("1.5", "2", f"{IDS} must be shard numbers such as 0,1 or 0-3, not '1.5'"),
    ("-1", "2", f"{IDS} must be shard numbers such as 0,1 or 0-3, not '-1'"),
    ("0,2", "2", f"{IDS} names shard 2, outside 0 to 1 ({COUNT}=2)"),
    ("0", "", f"{IDS} needs {COUNT} (the number of shards across all processes), which is not set"),
    ("", "0", f"{COUNT} must be a whole number from 1 up, not '0'"),
    ("0", "two", f"{COUNT} must be a whole number from 1 up, not 'two'"),
    ("1,1", "2", f"{IDS} names shard 1 twice in '1,1'"),
    ("0-2,1", "4", f"{IDS} names shard 1 twice in '0-2,1'"),
    ("3-1", "4", f"{IDS} has the range '3-1', which runs backwards"),
])
def test_a_bad_shard_setting_is_one_line_and_exit_2(fake, tmp_path, monkeypatch, capsys, ids, count, line):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "STARDRILL_METRICS_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STARDRILL_DB", str(tmp_path / "s.db"))
    monkeypatch.setenv("DISCORD_TOKEN", fake.token)
    monkeypatch.setenv("STARDRILL_DISCORD_API_URL", fake.base_url)
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setenv(IDS, ids)
    monkeypatch.setenv(COUNT, count)
    with pytest.raises(SettingError):
        sharding.from_settings()
    assert main(["run", "--platform", "discord"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [f"error: {line}"]
    assert fake.identifies == [] and fake.calls == []  # refused before anything connected
