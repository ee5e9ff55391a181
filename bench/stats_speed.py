"""`stats` for one member with 5,000 answers in a store of 100,000, against a floor measured in the same run.

Run: ``python bench/stats_speed.py [--total 100000] [--member 5000] [--runs 30]``. Builds a temporary
SQLite store (real migrations, real feedback bodies from the engine, bulk-inserted), then times
`bot.progress.stats.build` (everything `/stardrill stats` computes and renders) and, as the floor,
a bare `SELECT COUNT(*)` of that member's answers. Streaks are counted in the channel's
schedule timezone (America/New_York), as `/stardrill stats` run in that channel does. Target: stats p50 under 50 ms. Exit 1 if missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from stardrill.app import Stardrill  # noqa: E402
from stardrill.clock import FixedClock, iso  # noqa: E402
from stardrill.content_loader import load_bank  # noqa: E402
from stardrill.feedback import evaluate  # noqa: E402
from stardrill.messages import Target  # noqa: E402
from stardrill.progress import stats  # noqa: E402
from stardrill.store import Store  # noqa: E402

TARGET_MS = 50
NOW = datetime(2026, 3, 2, 18, tzinfo=timezone.utc)


def bodies(bank, n: int = 60) -> list[tuple[str, int, str, str]]:
    """(question id, score, verdict, body JSON) from real evaluations of strong and weak examples."""
    out = []
    for qid in sorted(bank.questions)[: n // 2]:
        q = bank.questions[qid]
        for text in (q.strong_examples[0].text(), q.weak_examples[0].text):
            f = evaluate(text, q, bank.level(q.strong_examples[0].level))
            out.append((qid, f.score, f.verdict, json.dumps(f.to_json())))
    return out


def fill(store: Store, samples, total: int, member: int) -> None:
    """`member` answers for console:target over ~3.5 years, the rest spread over 400 other members."""
    answers, feedback = [], []
    every = total // member
    for i in range(1, total + 1):
        mine = i % every == 0
        user = "target" if mine else f"u{i % 400}"
        when = NOW - timedelta(hours=(total - i) * 0.3)  # ~3.4 years; the member answers every 6 hours
        qid, score, verdict, body = samples[i % len(samples)]
        stamp = iso(when)
        answers.append((i, "console", user, "team", qid, "senior", "x", when.date().isoformat(), stamp))
        feedback.append((i, score, verdict, body, stamp))
    with store.write() as db:
        db.conn.executemany(
            "INSERT INTO answers (id, platform, user_id, channel_id, question_id, level, text, local_date, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", answers)
        db.conn.executemany("INSERT INTO feedback (answer_id, score, verdict, body, created_at) VALUES (?, ?, ?, ?, ?)", feedback)
        db.execute("INSERT INTO schedules (platform, channel_id, time, tz, days, skip_dates, updated_at) "
                   "VALUES ('console', 'team', '09:00', 'America/New_York', '[0, 1, 2, 3, 4]', '[]', ?)", (iso(NOW),))
    store.db.execute("ANALYZE")


def timed(fn, runs: int) -> list[float]:
    fn()  # warm the page cache and the statement cache
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return sorted(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--member", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    bank = load_bank()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        fill(store, bodies(bank), args.total, args.member)
        built = time.perf_counter() - t0
        app = Stardrill(bank, store, FixedClock(NOW), seed=1)
        count = store.row("SELECT COUNT(*) AS n FROM answers WHERE platform = 'console' AND user_id = 'target'")["n"]
        floor = timed(lambda: store.row("SELECT COUNT(*) AS n FROM answers WHERE platform = ? AND user_id = ?",
                                        ("console", "target")), args.runs)
        target = Target("console", "team", private_to="target")
        full = timed(lambda: stats.build(app, "console", "target", target, "team"), args.runs)
        store.close()
    p50, p95, floor50 = statistics.median(full), full[int(len(full) * 0.95) - 1], statistics.median(floor)
    print(f"store: {args.total:,} answers with feedback bodies (built in {built:.1f} s); member: {count:,} answers")
    print(f"floor  COUNT(*) for the member: p50 {floor50:.2f} ms")
    print(f"stats  full build:              p50 {p50:.2f} ms, p95 {p95:.2f} ms  ({p50 / max(floor50, 1e-6):.0f}x the floor)")
    ok = p50 < TARGET_MS
    print(f"target p50 < {TARGET_MS} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
