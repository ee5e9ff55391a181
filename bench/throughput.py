"""Sustained thread replies per second on one process: Stardrill vs the bare SDKs on the local fakes, in one run.

Run: ``python bench/throughput.py [--rate 300] [--seconds 10] [--platform slack,discord] [--slack-mode socket|http]``.

Stardrill runs as it does in production, `stardrill run` in a process of its own (the questions are
posted first, by an in-process adapter on the same database); the bare floor, a Bolt app / discord.py
bot that posts "ok" in the thread (bench/slack_latency.py, bench/discord_latency.py), runs in a
process of its own too. The fakes and the load stay in this process, so neither side shares its
interpreter lock with them.

Replies arrive at a steady rate, open loop: reply i is sent at start + i/rate whether or not the earlier
ones were answered, so a process that falls behind shows it as a growing wait, not as a slower sender.
Each goes into an open question thread, in rotation over 2 x rate channels (Slack allows ~1 message/s
per channel and the adapter paces to that; the load is spread so the pacing never binds). The answers
are real ones, from bench/data/feedback_dev.jsonl, by 50 members. For each reply: the time from its
scheduled instant to its feedback reaching the fake. Sustained rate = replies answered / (last feedback
- first scheduled instant). CPU per reply is the serving process's (and its feedback workers', with
STARDRILL_FEEDBACK_PROCESSES) over the run.

Target: 300 replies/s sustained with p99 time to feedback under 1 s, on each platform.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fakes in tests/
sys.path.insert(0, str(ROOT / "bench"))  # the latency benches' harness


import discord_latency as dl  # noqa: E402
import slack_latency as sl  # noqa: E402
from stardrill.adapters.discord_adapter import runtime as discord_runtime  # noqa: E402
from stardrill.app import Stardrill  # noqa: E402
from stardrill.content_loader import load_bank  # noqa: E402
from stardrill.store import Store  # noqa: E402
from tests import faults_kit  # noqa: E402
from tests.fakes import discord_payloads as P  # noqa: E402
from tests.fakes import slack_payloads as p  # noqa: E402
from tests.fakes.discord import FakeDiscord  # noqa: E402
from tests.fakes.discord_harness import post_question  # noqa: E402
from tests.fakes.slack import FakeSlack  # noqa: E402

MEMBERS = 50
HTTP_SENDERS = 16  # client threads posting events in HTTP mode (each POST blocks until its ack)


def answers(count: int = 200) -> list[str]:
    lines = (ROOT / "bench" / "data" / "feedback_dev.jsonl").read_text().splitlines()
    return [json.loads(line)["answer"] for line in lines[:count]]


# -- the load -----------------------------------------------------------------------------------------


def offer(send, threads: list[str], rate: float, seconds: float, blocking: bool) -> dict[str, list[float]]:
    """Send int(rate * seconds) replies at a steady rate, round robin over `threads`.

    Returns each thread's scheduled send instants, in order. `send(thread, i)` delivers reply i; a
    blocking one (an HTTP POST that returns at its ack) runs on client threads so it never delays the next.
    """
    scheduled: dict[str, list[float]] = defaultdict(list)
    clients = ThreadPoolExecutor(HTTP_SENDERS, thread_name_prefix="bench-client") if blocking else None
    start = time.perf_counter() + 0.05
    for i in range(int(rate * seconds)):
        at = start + i / rate
        pause = at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        thread = threads[i % len(threads)]
        scheduled[thread].append(at)
        if clients:
            clients.submit(send, thread, i)
        else:
            send(thread, i)
    if clients:
        clients.shutdown(wait=True)
    return scheduled


def settle(count_answered, expected: int, timeout: float = 60.0) -> None:
    """Wait until every reply was answered, or until nothing more arrives for a few seconds."""
    deadline, last, last_change = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        done = count_answered()
        if done >= expected:
            return
        if done != last:
            last, last_change = done, time.monotonic()
        elif time.monotonic() - last_change > 15:
            return
        time.sleep(0.05)


def measured(pid: int, run):
    """run() -> (scheduled, arrivals), and the CPU seconds process `pid` spent meanwhile, and its children."""
    started = tree_cpu(pid)
    scheduled, arrivals = run()
    ended = tree_cpu(pid)
    return scheduled, arrivals, (ended[0] - started[0], ended[1] - started[1])


def tree_cpu(pid: int) -> tuple[float, float]:
    """(CPU seconds of `pid`, of its live descendants), user + system, from /proc."""
    parents, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(stat.parent.name)
        parents[child] = int(fields[1])  # after the state field: ppid, ..., utime at 11, stime at 12
        cpu[child] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    below, frontier = set(), {pid}
    while frontier:
        frontier = {c for c, parent in parents.items() if parent in frontier} - below
        below |= frontier
    return cpu.get(pid, 0.0), sum(cpu.get(c, 0.0) for c in below)


def result(who: str, scheduled: dict[str, list[float]], arrivals: dict[str, list[float]], cpu: tuple) -> dict:
    """Pair each thread's replies with its feedback posts in order; the rate, the latencies, CPU per reply."""
    waits, last = [], 0.0
    for thread, sent in scheduled.items():
        for at, came in zip(sent, sorted(arrivals.get(thread, []))):
            waits.append((came - at) * 1000)
            last = max(last, came)
    offered = sum(len(s) for s in scheduled.values())
    first = min(s[0] for s in scheduled.values())
    return {"who": who, "offered": offered, "answered": len(waits), "rate": len(waits) / (last - first) if waits else 0.0,
            "cpu_ms": cpu[0] * 1000 / max(1, len(waits)), "child_cpu_ms": cpu[1] * 1000 / max(1, len(waits)),
            "p50": statistics.median(waits) if waits else float("nan"),
            "p99": dl.percentile(waits, 0.99) if waits else float("nan")}


def show(platform: str, rate: float, rows: list[dict]) -> None:
    print(f"{platform}: {rate:.0f} replies/s offered")
    for r in rows:
        print(f"  {r['who']:<30} answered {r['answered']:>5}/{r['offered']:<5} sustained {r['rate']:6.1f}/s   "
              f"time to feedback p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms   CPU {r['cpu_ms']:.2f} ms/reply"
              + (f" (+ {r['child_cpu_ms']:.2f} in feedback processes)" if r["child_cpu_ms"] else ""))
    ours, floor = rows
    if floor["rate"] and floor["p99"]:
        print(f"  ratio Stardrill/bare: sustained {ours['rate'] / floor['rate']:.2f}x, p99 {ours['p99'] / floor['p99']:.1f}x")


def unanswered(row: dict, bot) -> None:
    """Replies left unanswered: show what the bot logged (its warnings and errors) to say why."""
    if row["answered"] < row["offered"]:
        problems = [line for line in bot.log.splitlines() if " WARNING " in line or " ERROR " in line]
        print(f"{row['offered'] - row['answered']} replies unanswered; the bot's warnings and errors (last 20 of "
              f"{len(problems)}):\n  " + "\n  ".join(problems[-20:]))


def met(row: dict, rate: float) -> bool:
    return row["answered"] == row["offered"] and row["rate"] >= 0.97 * rate and row["p99"] < 1000


# -- Slack --------------------------------------------------------------------------------------------


def slack_sender(fake: FakeSlack, target, texts: list[str]):
    def send(thread_key: str, i: int) -> None:
        channel, thread = thread_key.split("/")
        payload = p.message(channel, f"UMEMBER{i % MEMBERS}", texts[i % len(texts)], thread)
        if target.mode == "http":
            body, content_type = p.http_body("events_api", payload)
            p.signed_post(f"http://127.0.0.1:{target.port}/slack/events", body, content_type, sl.SECRET)
        else:
            fake.send_envelope("events_api", payload)
    return send


def slack_arrivals(fake: FakeSlack, after: int) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    for call in fake.calls[after:]:
        if call.method == "chat.postMessage" and call.params.get("thread_ts"):
            found[f"{call.params['channel']}/{call.params['thread_ts']}"].append(call.at)
    return found


def slack_run(fake: FakeSlack, target, threads: dict[str, str], rate: float, seconds: float, texts: list[str]) -> tuple:
    keys = [f"{channel}/{thread}" for channel, thread in threads.items()]
    after = len(fake.calls)
    scheduled = offer(slack_sender(fake, target, texts), keys, rate, seconds, blocking=target.mode == "http")
    expected = sum(len(s) for s in scheduled.values())
    settle(lambda: sum(len(v) for v in slack_arrivals(fake, after).values()), expected)
    return scheduled, slack_arrivals(fake, after)


def slack_questions(fake: FakeSlack, mode: str, db: Path, channels: list[str]) -> dict[str, str]:
    """Post one question per channel with an in-process adapter on `db`, then stop it; {channel: thread}."""
    core = Stardrill(load_bank(), Store(db), default_level="senior", seed=0)
    ours = sl.stardrill(fake, mode, core)
    try:
        return sl.questions(fake, ours, core, channels)
    finally:
        ours.stop()
        core.store.close()


def slack(rate: float, seconds: float, mode: str, texts: list[str], tmp: Path) -> list[dict]:
    fake = FakeSlack().start()
    channels = [f"CT{i:05d}" for i in range(int(2 * rate))]
    rows = []
    try:
        db = tmp / f"slack-{mode}.db"
        threads = slack_questions(fake, mode, db, channels)
        # one app at a time: the fake shares Socket Mode envelopes among all the open connections
        bot, target = slack_bot(fake, mode, db)
        try:
            only_one_connection(fake, mode)
            rows.append(result("Stardrill (stardrill run)",
                               *measured(bot.proc.pid, lambda: slack_run(fake, target, threads, rate, seconds, texts))))
            unanswered(rows[-1], bot)
        finally:
            bot.stop()
        bare, target = bare_process("slack", mode, fake.url)
        try:
            only_one_connection(fake, mode)
            rows.append(result("bare Bolt (posts 'ok')",
                               *measured(bare.pid, lambda: slack_run(fake, target, threads, rate, seconds, texts))))
        finally:
            stop(bare)
    finally:
        fake.stop()
    return rows


def only_one_connection(fake: FakeSlack, mode: str) -> None:
    """Socket Mode: wait until the app under test holds the fake's only open connection (the last one gone)."""
    if mode == "socket":
        faults_kit.wait_until(lambda: fake.open_sockets() == 1, timeout=30, what="one Socket Mode connection")


def slack_bot(fake: FakeSlack, mode: str, db: Path):
    """`stardrill run --platform slack` on `db`, once connected and caught up; (bot, target)."""
    if mode == "http":
        bot, port = faults_kit.slack_bot(fake, db)
    else:
        bot = faults_kit.Bot(["--platform", "slack", "--slack-mode", "socket"],
                             faults_kit.environment(db, slack=fake, slack_mode="socket"))
        bot.wait_log("Slack Socket Mode connected", timeout=60)
        port = 0
    bot.wait_log("caught up on", timeout=120)  # the start reads every open thread for replies missed while down
    return bot, sl.Target(mode, port)


# -- Discord ------------------------------------------------------------------------------------------


def discord_sender(fake: FakeDiscord, texts: list[str]):
    members = [P.user(P.snowflake(), f"member{i}") for i in range(MEMBERS)]

    def send(thread: str, i: int) -> None:
        message = P.message(P.snowflake(), thread, members[i % MEMBERS], texts[i % len(texts)], guild_id=fake.guild_id)
        fake.dispatch("MESSAGE_CREATE", message)
    return send


def discord_arrivals(fake: FakeDiscord, threads: set[str], after: int) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    for call in fake.calls[after:]:
        if call.method == "POST" and call.path.startswith("/channels/") and call.path.endswith("/messages"):
            thread = call.path.split("/")[2]
            if thread in threads:
                found[thread].append(call.at)
    return found


def discord_run(fake: FakeDiscord, threads: list[str], rate: float, seconds: float, texts: list[str]) -> tuple:
    after, wanted = len(fake.calls), set(threads)
    scheduled = offer(discord_sender(fake, texts), threads, rate, seconds, blocking=False)
    expected = sum(len(s) for s in scheduled.values())
    settle(lambda: sum(len(v) for v in discord_arrivals(fake, wanted, after).values()), expected)
    return scheduled, discord_arrivals(fake, wanted, after)


def discord_channels(fake: FakeDiscord, count: int) -> list[str]:
    for i in range(count - 1):  # before the bot connects: GUILD_CREATE lists them
        channel_id = P.snowflake()
        fake.channels[channel_id] = P.text_channel(channel_id, fake.guild_id, f"team-{i}")
    return [c for c, body in fake.channels.items() if body.get("guild_id") == fake.guild_id and body["type"] == 0]


def discord_questions(fake: FakeDiscord, db: Path, channels: list[str]) -> list[str]:
    """Post one question per channel with an in-process adapter on `db` (each opens a thread), then stop it."""
    os.environ.update(DISCORD_TOKEN=fake.token, STARDRILL_DISCORD_API_URL=fake.base_url)
    app = Stardrill(load_bank(), Store(db), default_level="senior", seed=0)
    running = discord_runtime.start(app, None, guild_ready_timeout=0.2)
    try:
        return [post_question(app, running, channel)[1] for channel in channels]
    finally:
        running.stop()
        app.store.close()


def discord(rate: float, seconds: float, texts: list[str], tmp: Path) -> list[dict]:
    """Stardrill answers in the question threads; the bare bot answers where the message came from."""
    rows = []
    fake = FakeDiscord().start()
    try:
        db = tmp / "discord.db"
        threads = discord_questions(fake, db, discord_channels(fake, int(2 * rate)))
        bot = faults_kit.discord_bot(fake, db)
        try:
            bot.wait_log("caught up on", timeout=120)
            rows.append(result("Stardrill (stardrill run)",
                               *measured(bot.proc.pid, lambda: discord_run(fake, threads, rate, seconds, texts))))
            unanswered(rows[-1], bot)
        finally:
            bot.stop()
    finally:
        fake.stop()
    fake = FakeDiscord().start()
    try:
        channels = discord_channels(fake, int(2 * rate))
        bare, _ = bare_process("discord", "", fake.base_url, fake.token)
        try:
            rows.append(result("bare discord.py (posts 'ok')",
                               *measured(bare.pid, lambda: discord_run(fake, channels, rate, seconds, texts))))
        finally:
            stop(bare)
    finally:
        fake.stop()
    return rows


# -- the bare floor, in a process of its own ------------------------------------------------------------


def bare_process(platform: str, mode: str, url: str, token: str = ""):
    """This file with --serve-bare: a bare SDK app on the fake; (process, target) once it is ready."""
    child = subprocess.Popen([sys.executable, __file__, "--serve-bare", platform, "--slack-mode", mode or "socket",
                              "--url", url, "--token", token], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline().split()
    if not line or line[0] != "ready":
        stop(child)
        raise SystemExit(f"the bare {platform} app did not start")
    return child, sl.Target(mode, int(line[1]))


def serve_bare(platform: str, mode: str, url: str, token: str) -> None:
    """Run a bare app until SIGTERM: the floor (prints "ready PORT" once it can take events)."""
    if platform == "slack":
        target = sl.bare(SimpleNamespace(url=url), mode)
        port = target.port
    else:
        dl.start_bare(SimpleNamespace(base_url=url, token=token))
        port = 0
    print(f"ready {port}", flush=True)
    threading.Event().wait()


def stop(child: subprocess.Popen) -> None:
    child.terminate()
    try:
        child.wait(10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=300, help="replies per second offered (default 300)")
    parser.add_argument("--seconds", type=float, default=10, help="how long the load lasts (default 10)")
    parser.add_argument("--platform", default="slack,discord", help="slack, discord or both (default)")
    parser.add_argument("--slack-mode", default="socket", choices=("socket", "http"))
    parser.add_argument("--serve-bare", choices=("slack", "discord"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare, args.slack_mode, args.url, args.token)
        return 0
    texts, ok = answers(), True
    print(f"feedback worker processes: {os.environ.get('STARDRILL_FEEDBACK_PROCESSES') or '0'} "
          f"(STARDRILL_FEEDBACK_PROCESSES); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "slack" in args.platform:
            rows = slack(args.rate, args.seconds, args.slack_mode, texts, tmp)
            show(f"slack ({args.slack_mode} mode)", args.rate, rows)
            ok &= met(rows[0], args.rate)
        if "discord" in args.platform:
            rows = discord(args.rate, args.seconds, texts, tmp)
            show("discord", args.rate, rows)
            ok &= met(rows[0], args.rate)
    print(("PASS" if ok else "MISS") + f" (target: {args.rate:.0f} replies/s answered, sustained, with p99 under 1 s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
