"""`stardrill health`, /readyz and /healthz against a real `stardrill run` over the fakes; restore refuses a live bot."""

from __future__ import annotations

import signal

from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_harness import ADMIN
from tests.ops_kit import Bot, environment, get, json_body, samples, stardrill, value, wait_until


def names(run) -> list[str]:
    """'ok   store' etc.: each line of `stardrill health` up to its detail."""
    return [line.split(":", 1)[0] for line in run.stdout.splitlines()]


def nobody_runs(db) -> str:
    return f"FAIL process: no `stardrill run` with Slack or Discord on this host is using {db}"


def test_health_follows_a_socket_mode_and_discord_bot_from_start_to_stop(tmp_path):
    slack, discord = FakeSlack(admins=(ADMIN,)).start(), FakeDiscord().start()
    db = tmp_path / "h.db"
    env = environment(db, slack=slack, discord=discord, slack_mode="socket", STARDRILL_METRICS_PORT="0")
    before = stardrill("health", env=env)
    assert (before.returncode, before.stdout.splitlines()) == (1, [nobody_runs(db)])
    bot = Bot(["run"], env)  # both platforms: their tokens are set
    discord_up = True
    try:
        port = bot.wait_log(r"metrics on port (\d+)").group(1)
        ready = wait_until(lambda: (r := stardrill("health", env=env)).returncode == 0 and r, what="health to pass")
        assert names(ready) == ["ok   process", "ok   store", "ok   scheduler", "ok   slack", "ok   discord"]
        lines = ready.stdout.splitlines()
        assert lines[2:] == ["ok   scheduler: leader", "ok   slack: Socket Mode connected",
                             "ok   discord: gateway ready (1 shard(s), 1 guild(s))"]
        status, body = get(f"http://127.0.0.1:{port}/readyz")
        assert status == 200 and json_body(body)["ready"] is True
        scraped = samples(f"http://127.0.0.1:{port}/metrics")  # the same port serves the metrics
        assert value(scraped, "stardrill_scheduler_leader") == 1
        assert value(scraped, "stardrill_inbox_depth", platform="slack") == 0
        assert get(f"http://127.0.0.1:{port}/healthz") == (200, '{"status": "alive"}')

        copy = stardrill("backup", str(tmp_path / "copy.db"), env=env)
        assert copy.returncode == 0, copy.stderr
        refused = stardrill("restore", str(tmp_path / "copy.db"), env=env)
        assert refused.returncode == 1
        [line] = refused.stderr.strip().splitlines()
        assert line.startswith(f"error: a running Stardrill schedules posts on {db} (lock held by ")
        assert line.endswith("); stop it, then restore")

        discord.stop()  # the gateway goes away: not ready until it is back
        discord_up = False
        down = wait_until(lambda: (r := stardrill("health", env=env)).returncode == 1 and r, what="health to fail")
        assert "FAIL discord" in names(down) and "ok   slack" in names(down)
        status, body = get(f"http://127.0.0.1:{port}/readyz")
        checks = {c["name"]: c["ok"] for c in json_body(body)["checks"]}
        assert status == 503 and checks == {"store": True, "scheduler": True, "slack": True, "discord": False}
    finally:
        assert bot.stop() == 0, bot.log[-3000:]
        slack.stop()
        if discord_up:
            discord.stop()

    after = stardrill("health", env=env)
    assert (after.returncode, after.stdout.splitlines()) == (1, [nobody_runs(db)])
    assert list(tmp_path.glob("h.db.health.*")) == []  # a clean stop removes its status file
    restored = stardrill("restore", str(tmp_path / "copy.db"), env=env)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"restored {db} from {tmp_path / 'copy.db'}")


def start_follower(env: dict, store: str = "") -> Bot:
    """A second HTTP-mode bot on the same database; it waits because the first one schedules."""
    follower = Bot(["run", "--slack-mode", "http", "--port", "0"], env)
    follower.wait_log(rf"another scheduler already runs on {store}")
    return follower


def both_ready(env: dict):
    """`stardrill health` once it passes with two processes reporting."""
    return wait_until(lambda: (r := stardrill("health", env=env)).returncode == 0 and r.stdout.count("ok   process:") == 2
                      and r, what="both processes to be ready")


def test_a_follower_is_ready_and_a_killed_leader_speaks_for_nobody(tmp_path):
    slack = FakeSlack(admins=(ADMIN,)).start()
    db = tmp_path / "f.db"
    env = environment(db, slack=slack, slack_mode="http")
    leader = Bot(["run", "--slack-mode", "http", "--port", "0"], env)
    follower = None
    try:
        leader.wait_log(r"scheduler started")
        follower = start_follower(env)
        both = both_ready(env)
        assert sorted(line for line in both.stdout.splitlines() if "scheduler" in line) == [
            "ok   scheduler: follower (another process schedules posts)", "ok   scheduler: leader"]

        leader.stop(signal.SIGKILL)  # no clean stop: its status file stays behind
        follower.wait_log(r"this one schedules them now")  # the follower takes the scheduler over
        alone = wait_until(lambda: (r := stardrill("health", env=env)).returncode == 0
                           and "ok   scheduler: leader" in r.stdout and r, what="the follower to lead")
        assert alone.stdout.count("ok   process:") == 1, alone.stdout

        copy = stardrill("backup", str(tmp_path / "copy.db"), env=env)
        assert copy.returncode == 0, copy.stderr
        refused = stardrill("restore", str(tmp_path / "copy.db"), env=env)  # the follower, now leading, holds it
        assert refused.returncode == 1
        [line] = refused.stderr.strip().splitlines()
        assert line.startswith(f"error: a running Stardrill schedules posts on {db} (lock held by ")
        assert f" pid {follower.proc.pid} " in line
    finally:
        leader.stop()
        if follower is not None:
            assert follower.stop() == 0, follower.log[-3000:]
        slack.stop()
    assert list(tmp_path.glob("f.db.health.*")) == []  # the killed one's file was cleared by `stardrill health`


def test_on_postgresql_health_reads_this_hosts_files_and_backup_points_to_pg_dump(tmp_path, pg_url):
    slack = FakeSlack(admins=(ADMIN,)).start()
    env = environment(tmp_path / "unused.db", slack=slack, slack_mode="http", STARDRILL_DATABASE_URL=pg_url)
    leader = Bot(["run", "--slack-mode", "http", "--port", "0"], env)
    follower = None
    try:
        leader.wait_log(r"scheduler started on postgresql://")
        follower = start_follower(env, "postgresql://")
        both = both_ready(env)
        assert [line for line in both.stdout.splitlines() if line.startswith("ok   store: postgresql://")]
        leader.stop(signal.SIGKILL)  # its session ends: the advisory lock is free at once
        follower.wait_log(r"this one schedules them now")
        backup = stardrill("backup", str(tmp_path / "copy.db"), env=env)
        assert backup.returncode == 2 and "use pg_dump and pg_restore there" in backup.stderr
    finally:
        leader.stop()
        if follower is not None:
            assert follower.stop() == 0, follower.log[-3000:]
        slack.stop()
    assert not (tmp_path / "unused.db").exists()  # nothing was written to a SQLite file
