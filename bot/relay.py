"""One platform's durable path in a running process: the inbox worker, the outbox sender, catch-up.

An adapter's runtime builds a Relay over its adapter (a `ports.Outlet`), calls `receive` from its
listeners before acking, and hands `scheduled()` to the scheduler so scheduled posts go through the
outbox too. `start` prunes old rows, sends what a stop left, handles what was received and not
handled, then (in the background) answers what was posted in open question threads while the bot
was away, and in the threads of questions a stop left unconfirmed once the sender has found them.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from stardrill.clock import iso
from stardrill.ports import Outlet
from stardrill.sender import Sender
from stardrill.store import inbox, outbox
from stardrill.store.owners import process_mark
from stardrill.worker import Worker

log = logging.getLogger(__name__)

CATCH_UP_DAYS = 3  # open questions claimed this recently are read for replies missed while down
LATE_WAIT, LATE_POLL = 300.0, 1.0  # seconds catch-up waits for questions a stop left unconfirmed, and looks every


class Relay:
    def __init__(self, app, outlet: Outlet, *, enrich=None, threads: int = 4):
        self.app, self.outlet, self.platform = app, outlet, outlet.platform
        self.mark = process_mark(app.store)
        self.sender = Sender(app, outlet, self.mark, threads=threads)
        self.worker = Worker(app, self.sender, enrich=enrich, threads=threads)
        self.caught_up = threading.Event()
        self._stopping = threading.Event()
        self._catching_up: threading.Thread | None = None

    def receive(self, event, cursor: tuple[str, str] | None = None) -> bool:
        return self.worker.receive(event, cursor)

    def store_event(self, event, cursor: tuple[str, str] | None = None) -> int | None:
        """Store only (what an ack waits for); then `hand_off` the row id after the ack. None: a duplicate."""
        return self.worker.store_event(event, cursor)

    def hand_off(self, row_id: int) -> None:
        self.worker.hand_off(row_id)

    def start(self, catch_up: bool = True) -> None:
        before = iso(self.app.now() - timedelta(days=inbox.KEEP_DAYS))
        inbox.prune(self.app.store, before, self.app.stamp())
        outbox.prune(self.app.store, before)
        self.sender.start()
        self.worker.start()
        if catch_up and hasattr(self.outlet, "missed"):
            self._catching_up = threading.Thread(target=self._catch_up, name=f"stardrill-catchup-{self.platform}",
                                                 daemon=True)
            self._catching_up.start()
        else:
            self.caught_up.set()

    def stop(self) -> None:
        self._stopping.set()
        if self._catching_up is not None:
            self._catching_up.join(1.0)  # it checks `_stopping` between threads
        self.worker.stop()
        self.sender.stop()
        self.mark.release()

    def scheduled(self) -> "Scheduled":
        return Scheduled(self)

    # -- catch-up after downtime -------------------------------------------------------------------------

    def open_threads(self) -> list[dict]:
        since = (self.app.now() - timedelta(days=CATCH_UP_DAYS)).date().isoformat()
        return self.app.store.rows(
            "SELECT id, channel_id, thread_id FROM posts WHERE platform = ? AND status = 'sent' AND thread_id IS NOT NULL "
            "AND local_date >= ? ORDER BY id", (self.platform, since))

    def being_posted(self) -> list[int]:
        """Questions claimed and not stored as sent: a stop may have come between the post and its id being
        stored. The sender finds them on the platform; their threads are read once they are stored."""
        since = (self.app.now() - timedelta(days=CATCH_UP_DAYS)).date().isoformat()
        return [r["id"] for r in self.app.store.rows(
            "SELECT id FROM posts WHERE platform = ? AND status = 'claimed' AND message_id IS NULL AND local_date >= ? "
            "ORDER BY id", (self.platform, since))]

    def _catch_up(self) -> None:
        waiting = self.being_posted()  # read first: one stored meanwhile is then in open_threads, or still waiting
        answered, threads = 0, self.open_threads()
        opened = {t["id"] for t in threads}
        waiting = [i for i in waiting if i not in opened]
        try:
            for post in threads:
                if self._stopping.is_set():
                    return
                answered += self._read_thread(post)
            if not self._stopping.is_set():  # stopped meanwhile: the summary would be partial, and logging may be gone
                log.info("%s: caught up on %d open question thread(s); %d repl(ies) posted while the bot was away "
                         "are being answered", self.platform, len(threads), answered)
        finally:
            self.caught_up.set()
        if waiting:
            self._catch_up_late(waiting)

    def _catch_up_late(self, waiting: list[int]) -> None:
        """Read the threads of questions that are stored as sent only after this start (see being_posted)."""
        deadline, answered, read = time.monotonic() + LATE_WAIT, 0, 0
        while waiting and time.monotonic() < deadline and not self._stopping.wait(LATE_POLL):
            try:
                stored = self.app.store.rows(
                    f"SELECT id, channel_id, thread_id FROM posts WHERE id IN ({', '.join('?' * len(waiting))}) "
                    "AND status != 'claimed'", tuple(waiting))
            except Exception:  # the database away for a moment: look again
                log.warning("%s: looking for questions a stop left unconfirmed failed", self.platform, exc_info=True)
                continue
            for post in stored:
                waiting.remove(post["id"])
                if post["thread_id"]:  # not failed
                    answered, read = answered + self._read_thread(post), read + 1
        if read and not self._stopping.is_set():
            log.info("%s: caught up on %d question thread(s) stored after the start; %d repl(ies) posted while the "
                     "bot was away are being answered", self.platform, read, answered)

    def _read_thread(self, post: dict) -> int:
        """Hand the replies missed in one question's thread to the inbox; how many were new."""
        since = inbox.last_seen(self.app.store, self.platform, post["thread_id"])
        try:
            missed = self.outlet.missed(post["channel_id"], post["thread_id"], since)
        except Exception as exc:
            log.warning("%s: could not read thread %s for replies missed while down: %s", self.platform,
                        post["thread_id"], exc)
            return 0
        return sum(self.receive(event, cursor) for event, cursor in missed)


class Scheduled:
    """The ChatAdapter port for the scheduler: deliver = queue in the outbox (in the caller's transaction)."""

    durable = True

    def __init__(self, relay: Relay):
        self.relay = relay
        self.platform = relay.platform

    def deliver(self, outbound: list) -> None:
        outbox.enqueue(self.relay.app.store, self.platform, list(outbound), self.relay.app.stamp())
        self.relay.sender.wake()

    def wake(self) -> None:
        self.relay.sender.wake()

    def already_posted(self, channel: str, track: str) -> str | None:
        return self.relay.outlet.already_posted(channel, track)
