"""Fan-out: 1,000 channels due at the same minute. How long until every post is claimed and handed to its adapter?

Run: ``python bench/schedule_fanout.py [--channels 1000]``. A fake adapter records each hand-over
(no network), so this measures our part: deciding, claiming in SQLite, building the question,
handing it over. The floor, measured in the same run on the same kind of file: the same number of
bare single-row INSERTs into `posts`, one transaction each (what the claims cost at the least).
Then the same minute is run by two run_due calls racing in threads (two services, two connections
to one file): duplicates must be 0 (the UNIQUE claim is the guard).

`--outbox` adds the path Slack and Discord take: an outbox-backed adapter, where handing over is the
claim and the queued message committed together (the outbox sender posts them afterwards, at the
platform's pace, which this does not measure).

For a fan-out of 10,000 (`--channels 10000`) the target is under 2 s on one process.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]

from stardrill.app import Stardrill  # noqa: E402
from stardrill.clock import FixedClock  # noqa: E402
from stardrill.content_loader import load_bank  # noqa: E402
from stardrill.messages import Sent  # noqa: E402
from stardrill.schedules import repo, rules  # noqa: E402
from stardrill.schedules.service import ScheduleService  # noqa: E402
from stardrill.store import Store, outbox  # noqa: E402

ZONE = "Europe/Berlin"
MINUTE = "2026-03-02 09:00"  # a Monday


class Fake:
    """Records hand-overs; confirms tracked messages like a platform would."""

    platform = "fake"

    def __init__(self, app):
        self.app, self.handed, self.lock = app, [], threading.Lock()

    def deliver(self, outbound) -> None:
        for message in outbound:
            with self.lock:
                self.handed.append((message.target.channel, time.perf_counter()))
                n = len(self.handed)
            if message.track:
                self.app.sent(message.track, Sent(f"m{n}", f"m{n}"))

    def already_posted(self, channel, track):
        return None


class Queued:
    """An outbox-backed adapter (as Slack and Discord are): deliver queues in the caller's transaction."""

    platform, durable = "fake", True

    def __init__(self, app):
        self.app = app

    def deliver(self, outbound) -> None:
        outbox.enqueue(self.app.store, self.platform, list(outbound), self.app.stamp())

    def wake(self) -> None:
        pass  # no sender runs here: the rows committed in the outbox are the hand-over

    def already_posted(self, channel, track):
        return None


def scheduled_minute():
    from datetime import datetime

    return datetime.fromisoformat(MINUTE).replace(tzinfo=ZoneInfo(ZONE)).astimezone(rules.UTC)


def setup(path: Path, bank, channels: int) -> Stardrill:
    fire = scheduled_minute()
    app = Stardrill(bank, Store(path), FixedClock(fire), seed=1)
    since = fire.replace(hour=0)
    rule = rules.make_rule("09:00", ZONE, "mon-fri", None, None, since)
    for i in range(channels):
        repo.save(app.store, "fake", f"c{i:05d}", rule, since)
    return app


def floor_ms(path: Path, channels: int) -> float:
    store = Store(path)
    start = time.perf_counter()
    for i in range(channels):
        store.execute("INSERT INTO posts (platform, channel_id, local_date, slot, question_id, claimed_at) "
                      "VALUES ('fake', ?, '2026-03-02', 'daily', 'q', 'now')", (f"c{i:05d}",))
    return (time.perf_counter() - start) * 1000


CPU_MS: dict[str, float] = {}  # CPU this process spent per run: steadier than the wall time on a busy machine


def one_run(tmp: Path, bank, channels: int) -> tuple[float, float, int, int]:
    app = setup(tmp / "one.db", bank, channels)
    fake = Fake(app)
    service = ScheduleService(app, {"fake": fake})
    start, cpu = time.perf_counter(), time.process_time()
    service.run_due(app.now())
    total = (time.perf_counter() - start) * 1000
    CPU_MS["direct"] = (time.process_time() - cpu) * 1000
    first = (min(t for _, t in fake.handed) - start) * 1000
    return total, first, len(fake.handed), len(fake.handed) - len({c for c, _ in fake.handed})


def outbox_run(tmp: Path, bank, channels: int) -> tuple[float, int, int]:
    """(ms, questions queued, duplicates) for the outbox path."""
    app = setup(tmp / "outbox.db", bank, channels)
    service = ScheduleService(app, {"fake": Queued(app)})
    start, cpu = time.perf_counter(), time.process_time()
    service.run_due(app.now())
    total = (time.perf_counter() - start) * 1000
    CPU_MS["outbox"] = (time.process_time() - cpu) * 1000
    rows = app.store.rows("SELECT lane FROM outbox WHERE track LIKE 'post:%'")
    return total, len(rows), len(rows) - len({r["lane"] for r in rows})


def racing_run(tmp: Path, bank, channels: int) -> tuple[float, int, int]:
    app = setup(tmp / "race.db", bank, channels)
    twin = Stardrill(bank, Store(app.store.path), app.clock, seed=1)
    fakes = [Fake(app), Fake(twin)]
    services = [ScheduleService(app, {"fake": fakes[0]}), ScheduleService(twin, {"fake": fakes[1]})]
    barrier = threading.Barrier(2)

    def go(service):
        barrier.wait()
        service.run_due(service.app.now())

    threads = [threading.Thread(target=go, args=(s,)) for s in services]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = (time.perf_counter() - start) * 1000
    handed = [c for fake in fakes for c, _ in fake.handed]
    rows = app.store.row("SELECT COUNT(*) AS n FROM posts WHERE status = 'sent'")["n"]
    return total, len(handed) - len(set(handed)), rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--outbox", action="store_true", help="also time the outbox path (Slack, Discord)")
    args = parser.parse_args()
    bank = load_bank()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        floor = floor_ms(tmp / "floor.db", args.channels)
        total, first, handed, dupes = one_run(tmp, bank, args.channels)
        queued = outbox_run(tmp, bank, args.channels) if args.outbox else None
        race_total, race_dupes, race_rows = racing_run(tmp, bank, args.channels)
    n = args.channels
    print(f"{n} channels due at {MINUTE} {ZONE}: all claimed and handed over {total:.0f} ms after the minute "
          f"(first after {first:.1f} ms; {n / total * 1000:.0f} posts/s; CPU {CPU_MS['direct']:.0f} ms); {handed} hand-overs, "
          f"duplicates {dupes}")
    print(f"floor, {n} bare INSERTs into posts (one transaction each): {floor:.0f} ms -> fan-out = {total / floor:.1f}x floor")
    if queued:
        print(f"outbox path (Slack, Discord): {n} claimed and queued {queued[0]:.0f} ms after the minute "
              f"({queued[0] / floor:.1f}x floor; CPU {CPU_MS['outbox']:.0f} ms); {queued[1]} questions queued, duplicates {queued[2]}")
    print(f"two run_due racing in threads: {race_total:.0f} ms, {race_rows} posts sent, duplicates {race_dupes}")
    if queued and (queued[1] != n or queued[2]):
        raise SystemExit("FAIL: duplicates or missing posts on the outbox path")
    if dupes or race_dupes or race_rows != n or handed != n:
        raise SystemExit("FAIL: duplicates or missing posts")


if __name__ == "__main__":
    main()
