"""Prometheus metrics of a real `stardrill run` (Slack HTTP mode and Discord in one process) against the fakes."""

from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone

import pytest

from stardrill import daily
from stardrill.app import Stardrill
from stardrill.schedules import repo, rules
from stardrill.store import Store
from stardrill.store import outbox
from tests.chat import STRONG, WEAK
from tests.fakes import slack_payloads as p
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_harness import Driver
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_harness import ADMIN, CHANNEL, SECRET
from tests.ops_kit import Bot, environment, get, json_body, samples, sent_thread, stardrill, value, wait_until

LOCKED = "C0LOCKED"  # a channel the bot was never invited to: its scheduled post fails


@pytest.fixture
def slack():
    server = FakeSlack(admins=(ADMIN,), names={"UANA": "ana", "UBO": "bo", ADMIN: "lead"}).start()
    yield server
    server.stop()


@pytest.fixture
def discord():
    server = FakeDiscord().start()
    yield server
    server.stop()


def post_slack(url: str, kind: str, payload: dict) -> None:
    body, content_type = p.http_body(kind, payload)
    assert p.signed_post(url, body, content_type, SECRET)[0] == 200


def prepare(db, bank) -> None:
    """What the bot finds at start: a console post claimed and never sent (no console adapter runs in the
    bot: one in the outbox), and a daily 00:00 UTC schedule set up yesterday for a channel that refuses posts
    (today's post is due at start, as a catch-up)."""
    store = Store(db)
    try:
        message = daily.claim_question(Stardrill(bank, store), "console", "team")
        assert message is not None
        outbox.enqueue(store, "console", [message], "2026-01-01T00:00:00+00:00")  # waits: no console sender runs here
        yesterday = datetime.now(timezone.utc) - timedelta(days=1)
        repo.save(store, "slack", LOCKED, rules.make_rule("00:00", "UTC", "daily", None, "off", yesterday), yesterday)
    finally:
        store.close()


def test_a_session_on_slack_and_discord_moves_the_counters_by_the_right_amounts(slack, discord, tmp_path, bank):
    db = tmp_path / "metrics.db"
    env = environment(db, slack=slack, discord=discord, STARDRILL_CATCHUP_GRACE_MINUTES="1440")
    prepare(db, bank)
    slack.fail("chat.postMessage", "not_in_channel", channel=LOCKED)  # the catch-up post at start is refused

    bot = Bot(["run", "--slack-mode", "http", "--port", "0"], env)
    try:
        port = bot.wait_log(r"listening on port (\d+)").group(1)
        bot.wait_log(r"scheduler started")
        events = f"http://127.0.0.1:{port}/slack/events"

        # Slack: a question, two answers; the second answer's feedback meets one 429 first
        post_slack(events, "slash_commands", p.command("/stardrill", "now", ADMIN, CHANNEL))
        assert slack.wait_calls("chat.postMessage", channel=CHANNEL)[0].params["metadata"]["event_type"] == "stardrill_post"
        thread = sent_thread(db, "slack")
        post_slack(events, "events_api", p.message(CHANNEL, "UANA", STRONG, thread))
        slack.wait_calls("chat.postMessage", 1, thread_ts=thread)
        slack.fail("chat.postMessage", retry_after=0)
        post_slack(events, "events_api", p.message(CHANNEL, "UBO", WEAK, thread))
        slack.wait_calls("chat.postMessage", 2, thread_ts=thread)

        # Discord: a question and one answer whose feedback meets one 429 first
        driver = Driver(discord)
        driver.command("ann", "stardrill", [{"name": "now", "type": 1, "options": []}], admin=True)
        thread_id = discord.wait_for(lambda c: c.path.endswith("/threads"), timeout=10).path.split("/")[4]
        sent_thread(db, "discord")
        discord.rate_limit_once("POST", rf"/channels/{thread_id}/messages")
        mark = driver.mark()
        driver.say("alice", thread_id, STRONG)
        driver.posted_in(thread_id, after=mark, timeout=10)

        expected = {
            ("stardrill_answers_received_total", "slack"): 2, ("stardrill_answers_received_total", "discord"): 1,
            ("stardrill_feedback_latency_seconds_count", "slack"): 2,
            ("stardrill_feedback_latency_seconds_count", "discord"): 1,
            ("stardrill_posts_claimed_total", "slack"): 2,  # /stardrill now and the scheduled catch-up
            ("stardrill_posts_claimed_total", "discord"): 1,
            ("stardrill_posts_sent_total", "slack"): 1, ("stardrill_posts_sent_total", "discord"): 1,
            ("stardrill_posts_failed_total", "slack"): 1, ("stardrill_posts_failed_total", "discord"): 0,
            ("stardrill_platform_rate_limited_total", "slack"): 1,
            ("stardrill_platform_rate_limited_total", "discord"): 1,
            ("stardrill_platform_retries_total", "slack"): 1, ("stardrill_platform_retries_total", "discord"): 1,
            ("stardrill_outbox_depth", "console"): 1, ("stardrill_outbox_depth", "slack"): 0,
            ("stardrill_outbox_depth", "discord"): 0,
            ("stardrill_inbox_depth", "slack"): 0, ("stardrill_inbox_depth", "discord"): 0,
        }
        url = f"http://127.0.0.1:{port}/metrics"

        def seen() -> dict:
            scraped = samples(url)
            found = {key: value(scraped, key[0], platform=key[1]) for key in expected}
            found["leader"] = value(scraped, "stardrill_scheduler_leader")
            return found

        # the last increments land just after the fake records a call: wait until they have, then compare
        want = {**expected, "leader": 1}
        try:
            wait_until(lambda: seen() == want, timeout=10, what="the counters")
        except AssertionError:
            pass  # the comparison below shows which ones differ
        assert seen() == want

        status, body = get(f"http://127.0.0.1:{port}/readyz")
        checks = {c["name"]: c for c in json_body(body)["checks"]}
        assert status == 200 and set(checks) == {"store", "scheduler", "slack", "discord"}
        assert checks["scheduler"]["detail"] == "leader" and "listening on port" in checks["slack"]["detail"]
        assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    finally:
        assert bot.stop() == 0, bot.log[-3000:]


def test_a_metrics_port_in_use_is_one_line_and_a_non_zero_exit(tmp_path):
    taken = socket.socket()
    taken.bind(("0.0.0.0", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        run = stardrill("run", "--platform", "discord", env=environment(tmp_path / "m.db", STARDRILL_METRICS_PORT=str(port)))
    finally:
        taken.close()
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"error: cannot serve metrics on port {port} (STARDRILL_METRICS_PORT): Address already in use"]


@pytest.mark.parametrize("port", ["nine", "70000", "-1"])
def test_a_metrics_port_that_is_not_a_port_is_one_line(tmp_path, port):
    run = stardrill("run", "--platform", "discord", env=environment(tmp_path / "m.db", STARDRILL_METRICS_PORT=port))
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"error: STARDRILL_METRICS_PORT must be a port number (0-65535), not {port!r}"]
