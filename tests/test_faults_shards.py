"""Two real `stardrill run` processes split Discord's shards ([0] and [1] of 2) over one database
(a SQLite file, and a PostgreSQL schema as processes on several machines would share).

The fake routes each guild's events to shard (guild_id >> 22) % 2 and DMs to shard 0, as Discord does.
Which process did the work is read from the outbox: a reply row is claimed by the process (pid-...)
whose worker handled the event. Nothing may be handled twice, and both processes stop cleanly.
"""

from __future__ import annotations

import pytest

from tests.chat import STRONG
from tests.fakes import discord_payloads as P
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_harness import Driver, embed_text
from tests.faults_kit import count, discord_bot, rows, wait_until

NOW = {"name": "now", "type": 1, "options": []}


@pytest.fixture
def fake():
    server = FakeDiscord(shards=2).start()
    yield server
    server.stop()


def shard_bot(fake: FakeDiscord, db, shard: str):
    bot = discord_bot(fake, db, STARDRILL_DISCORD_SHARD_IDS=shard, STARDRILL_DISCORD_SHARD_COUNT="2")
    bot.wait_log(rf"discord gateway: shard\(s\) {shard} of 2")
    return bot


def handled_by(db, event_id: str) -> set[int]:
    """The pids of the processes that sent the replies to one event, once all are sent."""
    def sent():
        found = rows(db, "SELECT claimed_by, status FROM outbox WHERE reply_to = ?", (event_id,))
        return found if found and all(status == "sent" for _, status in found) else None

    # a mark is "pid-random" (SQLite) or "host-pid-random" (PostgreSQL)
    return {int(owner.rsplit("-", 2)[-2]) for owner, _ in wait_until(sent, what=f"the replies to {event_id}")}


def test_two_processes_each_handle_their_own_shard_and_dms_reach_practice_on_shard_0(fake, bot_db):
    db = bot_db
    b_guild, b_channel = fake.add_guild(1)
    zero = shard_bot(fake, db, "0")
    one = shard_bot(fake, db, "1")
    try:
        assert sorted(tuple(d["shard"]) for d in fake.identifies) == [(0, 2), (1, 2)]
        driver = Driver(fake)

        # guild B is on shard 1: its admin's /stardrill now and a member's thread reply are process 1's
        now = driver.command("ann", "stardrill", [NOW], channel_id=b_channel, admin=True)
        thread_id = wait_until(lambda: rows(db, "SELECT thread_id FROM posts WHERE channel_id = ? AND status = 'sent' "
                                                "AND thread_id IS NOT NULL", (b_channel,)), what="B's question")[0][0]
        wait_until(lambda: thread_id in fake.channels, what="the question's thread on Discord")
        mark = driver.mark()
        reply = driver.say("alice", thread_id, STRONG)
        assert "Top fix" in embed_text(driver.posted_in(thread_id, after=mark, timeout=20).body)
        assert handled_by(db, f"interaction:{now['id']}") == handled_by(db, f"message:{reply['id']}") == {one.proc.pid}

        # a DM /practice comes on shard 0, as does the DM answer: process 0's
        dm = P.snowflake()
        fake.dm_channels[driver.user("carol")["id"]] = dm
        fake.channels[dm] = P.dm_channel(dm, driver.user("carol"))
        mark = driver.mark()
        practice = driver.command("carol", "practice", [], channel_id=dm)
        assert "Practice question" in embed_text(driver.posted_in(dm, after=mark, timeout=20).body)
        mark = driver.mark()
        answer = driver.dm("carol", STRONG)
        assert "Top fix" in embed_text(driver.posted_in(dm, after=mark, timeout=20).body)
        assert handled_by(db, f"interaction:{practice['id']}") == handled_by(db, f"message:{answer['id']}") == {zero.proc.pid}

        # each event went to one shard only, was stored once and handled once: one answer, one feedback each
        on_zero = {d["id"] for d in fake.events_on(0, "MESSAGE_CREATE") + fake.events_on(0, "INTERACTION_CREATE")}
        on_one = {d["id"] for d in fake.events_on(1, "MESSAGE_CREATE") + fake.events_on(1, "INTERACTION_CREATE")}
        assert on_zero == {practice["id"], answer["id"]} and on_one == {now["id"], reply["id"]}
        wait_until(lambda: count(db, "SELECT COUNT(*) FROM inbox WHERE status != 'done'") == 0, what="the inbox done")
        assert count(db, "SELECT COUNT(*) FROM inbox") == count(db, "SELECT COUNT(DISTINCT event_id) FROM inbox") == 4
        assert count(db, "SELECT COUNT(*) FROM answers") == count(db, "SELECT COUNT(*) FROM feedback") == 2
        feedback_posts = [c for c in fake.posts(thread_id) if "Top fix" in embed_text(c.body)]
        assert len(feedback_posts) == 1
    finally:
        codes = [zero.stop()[0], one.stop()[0]]
    assert codes == [0, 0], zero.log[-2000:] + one.log[-2000:]
    assert "Traceback" not in zero.log + one.log
