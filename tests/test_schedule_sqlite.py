"""The SQLite policy under load: writers in threads and on an asyncio loop (asyncio.to_thread) at once, no 'database is locked'."""

from __future__ import annotations

import asyncio
import threading

from stardrill.store import Store, records

THREADS, PER_THREAD, ON_LOOP = 6, 150, 300


def read_then_write(store: Store, key: str) -> None:
    """The shape that fails at once when opened DEFERRED: read a count, then write based on it."""
    with store.write() as db:
        seen = db.execute("SELECT COUNT(*) FROM events WHERE platform = 'rw'").fetchone()[0]
        db.execute("INSERT INTO events (platform, event_id, seen_at) VALUES ('rw', ?, ?)", (key, str(seen)))


def test_threads_and_the_event_loop_write_together_without_locking_errors(tmp_path):
    path = tmp_path / "busy.db"
    stores = [Store(path), Store(path)]  # two Store objects: as two processes would hold
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS + 1)

    def worker(n: int) -> None:
        store = stores[n % 2]
        start.wait()
        try:
            for i in range(PER_THREAD):
                assert records.claim_post(store, "console", f"t{n}-{i}", "2026-03-02", "daily", "q", "senior", "now")
                read_then_write(store, f"t{n}-{i}")
                assert records.claim_post(store, "console", f"t{n}-{i}", "2026-03-02", "daily", "q", "senior", "now") is None
        except BaseException as exc:  # collected: an assertion in a thread would otherwise vanish
            errors.append(exc)

    async def on_loop() -> None:
        start.wait()
        await asyncio.gather(*(asyncio.to_thread(read_then_write, stores[i % 2], f"loop-{i}") for i in range(ON_LOOP)))
        await asyncio.gather(*(asyncio.to_thread(records.mark_event, stores[0], "loop", f"e{i}", "now") for i in range(ON_LOOP)))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    asyncio.run(on_loop())
    for t in threads:
        t.join()
    assert errors == []
    check = stores[0]
    assert check.row("SELECT COUNT(*) AS n FROM posts")["n"] == THREADS * PER_THREAD
    assert check.row("SELECT COUNT(*) AS n FROM events WHERE platform = 'rw'")["n"] == THREADS * PER_THREAD + ON_LOOP
    assert check.row("SELECT COUNT(*) AS n FROM events WHERE platform = 'loop'")["n"] == ON_LOOP
    counts = [int(r["seen_at"]) for r in check.rows("SELECT seen_at FROM events WHERE platform = 'rw'")]
    assert sorted(counts) == list(range(len(counts)))  # every read-then-write saw all earlier writes: serialised
    for store in stores:
        store.close()
