"""Three replicas on one PostgreSQL against one SQLite process: a minute's fan-out, thousands of replies, a kill -9.

Run: ``python bench/replicas.py [--channels 1000] [--replies 2000] [--samples 200] [--rate 20]``.

Real `stardrill run` processes in Slack HTTP mode, against the fake Slack in this process; PostgreSQL is a
throwaway local server (tests/pg_server.py), a fresh database per run.

- A: every channel's daily post fell due a minute ago (the scheduling replica's catch-up claims them all at
  start). As each question is recorded as sent, members answer it in its thread (`--replies` in all, spread
  round-robin over the replicas' ports, as a load balancer would); every 20th answer is delivered a second
  time, to another replica, with the same event id. Reported: time from the first question at Slack until
  every question is out and every answer has its feedback; duplicates (questions per channel > 1, feedback
  per answer > 1) and lost (a channel with no question, an answer with no feedback), both must be 0.
- B: the same, and the replica that schedules is killed with SIGKILL once half the questions are out.
  Answers addressed to it go to the next replica (what a load balancer does after a failed connection).
  Reported: the time from the kill until another replica logs that it schedules now, the same counts, and
  what the dead one left half done: outbox rows it was sending (finished by another after asking Slack) and
  replies it had acked and not answered (those that waited past the orphan age; on SQLite, the restart's
  count).
  Answers the dead replica had acked but not handled wait for a survivor's orphan sweep (rows older than
  30 s, looked for every 10 s), which bounds the total.
- Floor: the same runs on ONE process with SQLite. In B that process is restarted at once, on the same port
  (what a supervisor does); takeover is then the time until it schedules again.
- Reply path: after A, at a steady `--rate` per second, `--samples` answers into threads that were quiet
  for seconds; the signed POST until its feedback reaches the fake, p50/p99. Target: PostgreSQL p99 < 20 ms.

The machine's other load shows in every figure; PostgreSQL and SQLite runs alternate in one process, so
the ratios are the comparison.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fakes and kits in tests/, and bench.slack_latency

from bench.slack_latency import ANSWER, Target, deliver, pct  # noqa: E402
from tests.fakes import slack_payloads as p  # noqa: E402
from tests.fakes.slack import FakeSlack  # noqa: E402
from stardrill.worker import ORPHAN_AGE  # noqa: E402
from tests.pg_server import Server  # noqa: E402
from tests.replicas_kit import (LEADS, Replicas, SharedDb, Tally, answer_body, due_a_minute_ago, post,  # noqa: E402
                                sent_threads)

TWICE_EVERY = 20  # every 20th answer is delivered twice, to two replicas (~5%)
GIVE_UP_S = 300.0
ORPHAN_AGE_MS = ORPHAN_AGE.total_seconds() * 1000  # only the orphan sweep leaves a reply unanswered this long


@dataclass
class Outcome:
    posts: int = 0
    posts_lost: int = 0
    posts_twice: int = 0
    answered: int = 0
    answers_lost: int = 0
    answers_twice: int = 0
    delivered_twice: int = 0
    total_s: float = 0.0  # first question at Slack -> everything out and answered
    startup_s: float = 0.0  # processes started -> first question at Slack
    takeover_s: float | None = None
    resumed_sends: int = 0  # outbox rows the killed process was sending, finished by another (or the restarted) one
    resumed_replies: int = 0  # replies it had acked and not answered: swept by a replica, or handled at restart
    spread: str = ""  # questions / feedbacks sent by each process
    latencies_ms: list[float] = field(default_factory=list)  # each answer's first delivery -> its feedback
    steady_ms: list[float] = field(default_factory=list)  # the reply path at a steady rate, after A

    @property
    def clean(self) -> bool:
        return not (self.posts_lost or self.posts_twice or self.answers_lost or self.answers_twice)


class Members:
    """Answers each question as soon as it is recorded as sent: `per_thread` members, one answer each."""

    def __init__(self, db, group: Replicas, channels: list[str], total: int):
        self.db, self.group, self.channels = db, group, channels
        self.per_thread = -(-total // len(channels))
        self.total = total
        self.started: dict[tuple[str, str, str], float] = {}  # answer -> when its first delivery began
        self.twice = 0
        self._pool = ThreadPoolExecutor(8, thread_name_prefix="member")
        self._index = {channel: i for i, channel in enumerate(channels)}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> "Members":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._pool.shutdown(wait=True)

    def _watch(self) -> None:
        answered: set[str] = set()
        while not self._stop.is_set() and len(self.started) < self.total:
            for channel, thread in sent_threads(self.db).items():
                if channel not in answered:
                    answered.add(channel)
                    self._answer(channel, thread)
            self._stop.wait(0.05)

    def _answer(self, channel: str, thread: str) -> None:
        i = self._index[channel]
        for k in range(self.per_thread):
            n = len(self.started)
            if n >= self.total:
                return
            key = (channel, thread, f"U{i:05d}{chr(65 + k)}")
            self.started[key] = time.perf_counter()
            body = answer_body(channel, thread, key[2], ANSWER)
            self._pool.submit(self._deliver, n, body)
            if n % TWICE_EVERY == 0:
                self.twice += 1
                self._pool.submit(self._deliver, n + 1, body)  # the same event, to the next replica

    def _deliver(self, n: int, body: tuple[str, str]) -> None:
        """To the n-th live replica; a refused connection (a dead replica) goes to the next, as a balancer would."""
        deadline = time.monotonic() + GIVE_UP_S
        while time.monotonic() < deadline:
            ports = self.group.live_ports()
            if ports:
                try:
                    if post(ports[n % len(ports)], body) == 200:
                        return
                except OSError:
                    pass
            n += 1
            time.sleep(0.05)


def run(server: Server | None, channels: int, replies: int, kill: bool, samples: int, rate: float) -> Outcome:
    """One scenario on a fresh database: three replicas on PostgreSQL (`server`), or one process on SQLite."""
    fake = FakeSlack().start()
    names = [f"C{i:05d}" for i in range(channels)]
    with tempfile.TemporaryDirectory() as tmp:
        db = SharedDb(Path(tmp), server.fresh_database() if server else None)
        store = db.store()
        due_a_minute_ago(store, names)
        store.close()
        spawned = time.perf_counter()
        group = Replicas(fake, db, 3 if server else 1)
        try:
            outcome = fan_out(fake, db, group, names, replies, kill, spawned)
            outcome.spread = spread(db)
            if samples and not kill:
                outcome.steady_ms = steady(fake, db, group, names, samples, rate)
        finally:
            group.stop()
            fake.stop()
    return outcome


def fan_out(fake, db, group: Replicas, names: list[str], replies: int, kill: bool, spawned: float) -> Outcome:
    tally, outcome = Tally(fake), Outcome()
    members = Members(db, group, names, replies).start()
    killer = None
    deadline = time.monotonic() + GIVE_UP_S
    try:
        while time.monotonic() < deadline:
            tally.read()
            if kill and killer is None and len(tally.questions) >= len(names) // 2:
                killer = threading.Thread(target=kill_the_scheduler, args=(group, outcome), daemon=True)
                killer.start()
            everything_out = len(tally.questions) >= len(names) and len(tally.feedback) >= replies
            if everything_out and (killer is None or outcome.takeover_s is not None):
                break
            time.sleep(0.01)
        time.sleep(3)  # a second post or a second feedback would land by now
        tally.read()
    finally:
        members.stop()
    count(tally, members, names, outcome, spawned)
    if kill:
        resumed(group, outcome)
    return outcome


def spread(db) -> str:
    """Questions and feedbacks each process sent (the outbox row's claim names the process that sent it)."""
    found = db.rows("SELECT claimed_by, SUM(CASE WHEN track LIKE 'post:%' THEN 1 ELSE 0 END), "
                    "SUM(CASE WHEN reply_to IS NOT NULL THEN 1 ELSE 0 END) FROM outbox WHERE status = 'sent' "
                    "GROUP BY claimed_by ORDER BY 2 DESC")
    return " ".join(f"{posts}/{feedback}" for _, posts, feedback in found)


def kill_the_scheduler(group: Replicas, outcome: Outcome) -> None:
    holder = group.leader()
    killed = time.time()
    group.kill(holder)
    try:
        if len(group.bots) > 1:
            _, took_over = group.wait_takeover(60)
        else:  # one process: a supervisor starts it again, and it schedules again
            group.restart(holder)
            _, took_over = group.first_to_log(LEADS, 60)
    except AssertionError as exc:  # reported as a miss, with what the survivors logged
        outcome.takeover_s = float("inf")
        survivors = "".join(f"--- replica {i}\n{bot.log[-3000:]}" for i, bot in enumerate(group.bots) if group.alive(i))
        print(f"{exc}\n{survivors}", file=sys.stderr)
        return
    outcome.takeover_s = took_over - killed


def resumed(group: Replicas, outcome: Outcome) -> None:
    """What the killed process left half done, as the survivors (or its restart) logged picking it up."""
    logs = "".join(group.bots[i].log for i in range(len(group.bots)) if group.alive(i))
    outcome.resumed_sends = len(re.findall(r"was being sent when its process stopped", logs))
    restarted = re.search(r"(\d+) event\(s\) received before the last stop are handled now", logs)
    swept = sum(1 for ms in outcome.latencies_ms if ms >= ORPHAN_AGE_MS)
    outcome.resumed_replies = int(restarted.group(1)) if restarted else swept


def count(tally: Tally, members: Members, names: list[str], outcome: Outcome, spawned: float) -> None:
    firsts = [calls[0].at for calls in tally.questions.values()]
    answers = {key: tally.answers_for(*key) for key in members.started}
    outcome.posts, outcome.posts_lost = len(tally.questions), len(set(names) - set(tally.questions))
    outcome.posts_twice = tally.duplicate_posts()
    outcome.answered = sum(1 for found in answers.values() if found)
    outcome.answers_lost = len(members.started) - outcome.answered
    outcome.answers_twice = tally.duplicate_feedback()
    outcome.delivered_twice = members.twice
    outcome.latencies_ms = [(found[0].at - members.started[key]) * 1000 for key, found in answers.items() if found]
    if firsts:
        last = max(firsts + [found[0].at for found in answers.values() if found])
        outcome.startup_s, outcome.total_s = min(firsts) - spawned, last - min(firsts)


def steady(fake, db, group: Replicas, names: list[str], samples: int, rate: float) -> list[float]:
    """Answers at a steady rate into quiet threads: each signed POST until its feedback is at the fake (ms)."""
    time.sleep(4)  # every channel's pace (1 message/s, bursts of 4) has recovered from the fan-out
    threads, tally = sent_threads(db), Tally(fake)
    tally.read()
    started, begin = {}, time.perf_counter()
    for i in range(samples):
        channel = names[i % len(names)]
        key = (channel, threads[channel], f"U{i % len(names):05d}S{i // len(names)}")
        time.sleep(max(0.0, begin + i / rate - time.perf_counter()))
        payload = p.message(channel, key[2], ANSWER, key[1])
        started[key], _ = deliver(fake, Target("http", group.ports[i % len(group.ports)]), "events_api", payload)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(tally.read().answers_for(*key) for key in started):
        time.sleep(0.01)
    return [(tally.answers_for(*key)[0].at - t) * 1000 for key, t in started.items() if tally.answers_for(*key)]


def ms(values: list[float]) -> str:
    return f"{statistics.median(values):6.1f} / {pct(values, 99):6.1f}" if values else "   n/a"


def report(results: dict, args) -> bool:
    pg_a, sq_a, pg_b, sq_b = results["pg", "A"], results["sqlite", "A"], results["pg", "B"], results["sqlite", "B"]
    print(f"\n{args.channels} channels due in one minute, {args.replies} thread replies "
          f"({pg_a.delivered_twice} delivered twice, to two replicas); load average before/after: "
          f"{args.load_before:.1f}/{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'':44}{'3 x PostgreSQL':>18}{'1 x SQLite (floor)':>22}{'ratio':>9}")

    def line(label, pg, sq, ratio=True):
        r = f"{pg / sq:8.2f}x" if ratio and isinstance(pg, float) and sq else ""
        fmt = lambda v: f"{v:.2f}" if isinstance(v, float) else str(v)  # noqa: E731
        print(f"{label:44}{fmt(pg):>18}{fmt(sq):>22}{r:>9}")

    for name, pg, sq in (("A", pg_a, sq_a), ("B", pg_b, sq_b)):
        print(f"{name}: {'all replicas up' if name == 'A' else 'the scheduler killed (-9) at half the posts'}")
        line("  posts sent / lost / twice", f"{pg.posts} / {pg.posts_lost} / {pg.posts_twice}",
             f"{sq.posts} / {sq.posts_lost} / {sq.posts_twice}")
        line("  replies answered / lost / twice", f"{pg.answered} / {pg.answers_lost} / {pg.answers_twice}",
             f"{sq.answered} / {sq.answers_lost} / {sq.answers_twice}")
        line("  startup: processes -> first post (s)", pg.startup_s, sq.startup_s)
        line("  questions/feedbacks sent by each process", pg.spread, sq.spread)
        line("  first post -> all sent and answered (s)", pg.total_s, sq.total_s)
        if name == "B":
            line("  kill -> another schedules (s) [SQLite: restart]", pg.takeover_s, sq.takeover_s)
            line("  left by the dead one: sends / acked replies", f"{pg.resumed_sends} / {pg.resumed_replies}",
                 f"{sq.resumed_sends} / {sq.resumed_replies}")
        line("  reply -> feedback under load p50 / p99 (ms)", ms(pg.latencies_ms), ms(sq.latencies_ms))
    line(f"steady reply path, {args.rate:g}/s, p50 / p99 (ms)", ms(pg_a.steady_ms), ms(sq_a.steady_ms))
    if pg_a.steady_ms and sq_a.steady_ms:
        line("  p99 ratio", pct(pg_a.steady_ms, 99), pct(sq_a.steady_ms, 99))
    clean = all(r.clean for r in results.values())
    fast_failover = pg_b.takeover_s is not None and pg_b.takeover_s < 30
    quick = bool(pg_a.steady_ms) and pct(pg_a.steady_ms, 99) < 20
    print("PASS" if clean and fast_failover and quick else "MISS",
          f"(0 duplicates and 0 lost everywhere: {clean}; takeover < 30 s: {fast_failover}; "
          f"PostgreSQL reply p99 < 20 ms: {quick})")
    return clean and fast_failover and quick


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=1000, help="channels due in the same minute (default 1000)")
    parser.add_argument("--replies", type=int, default=2000, help="thread replies in all (default 2000)")
    parser.add_argument("--samples", type=int, default=200, help="steady-rate replies timed after A (default 200)")
    parser.add_argument("--rate", type=float, default=20.0, help="steady replies per second (default 20)")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]  # other work on the machine shows in every figure: say how much there was
    server = Server()
    results = {}
    try:
        for scenario in ("A", "B"):
            for engine in ("pg", "sqlite"):
                print(f"running {scenario} on {'3 x PostgreSQL' if engine == 'pg' else '1 x SQLite'}...", flush=True)
                results[engine, scenario] = run(server if engine == "pg" else None, args.channels,
                                                args.replies, scenario == "B", args.samples, args.rate)
    finally:
        server.stop()
    return 0 if report(results, args) else 1


if __name__ == "__main__":
    sys.exit(main())
