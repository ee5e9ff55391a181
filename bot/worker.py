"""The inbox worker for one platform: events are stored before the ack, then handled here from the table.

`receive(event)` is the only work on an ack path: one INSERT (deduped on the platform's event id)
and a hand-off to the worker threads. A worker runs the flow, queues its replies in the outbox and
marks the event handled in ONE transaction, so a crash half-way leaves the event not handled and the
flow's writes rolled back, and the next start handles it again. (On PostgreSQL that mark is the inbox
row's status; on SQLite, whose inbox is a file apart, a handled key beside the flow's rows, and the
row is marked done just after the commit: see stardrill.store.inbox.) An event that came too early (a reply
to a question whose post the bot has not stored yet: stardrill.context.NotYet) rolls back the same way,
stays `new`, and is tried again shortly. Forms (modals) cannot wait in a queue: they open straight from
the worker, or the member gets a private note when it is too late.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from stardrill import scoring, wire
from stardrill.clock import iso
from stardrill.context import NotYet
from stardrill.events import Event
from stardrill.messages import Message, Modal, Target
from stardrill.sender import Sender
from stardrill.store import inbox, outbox
from stardrill.threads import DaemonPool, background

log = logging.getLogger(__name__)

SORRY = "Sorry, that did not work (the error was logged). Please try again in a moment."
SWEEP_SECONDS = 10  # how often rows left by a replica that died are looked for
ORPHAN_AGE = timedelta(seconds=30)  # a row not handled this long after it arrived: its process is gone or stuck
RETRY_FIRST, RETRY_MOST = 0.05, 5.0  # seconds before an event that came too early (NotYet) is handled again, doubling


class Worker:
    def __init__(self, app, sender: Sender, *, enrich: Callable[[Event], Event] | None = None, threads: int = 4):
        self.app, self.store, self.sender, self.outlet = app, app.store, sender, sender.outlet
        self.platform = sender.platform
        self.enrich = enrich or (lambda event: event)
        self._threads = threads
        self._pool: DaemonPool | None = None
        self._running: dict[int, object] = {}  # row ids queued or being handled here (see _queue)
        self._events: dict[int, Event] = {}  # row id -> the event received by this process, until a worker takes it
        self._early: dict[int, tuple[Event, int]] = {}  # row id -> (event, tries) of an event waiting to be tried again
        self._stopping = threading.Event()

    # -- the ack path -----------------------------------------------------------------------------------

    def receive(self, event: Event, cursor: tuple[str, str] | None = None) -> bool:
        """Store the event (before the caller acks), then hand it to a worker. False: a duplicate, ignored.

        `cursor` (thread id, sortable position) records the newest message seen in a question thread.
        """
        row_id = self.store_event(event, cursor)
        if row_id is None:
            return False
        self.hand_off(row_id)
        return True

    def store_event(self, event: Event, cursor: tuple[str, str] | None = None) -> int | None:
        """The part of `receive` an ack must wait for: the event stored. Its inbox row id, or None for a duplicate.

        A caller that acks in between calls `hand_off(row_id)` after its ack, so waking a worker thread (which
        then competes for the interpreter lock) never delays the ack. A row stored and never handed off (the
        process died between the two) is a `new` row: the next start, or another replica's sweep, handles it.
        """
        received = inbox.receive(self.store, self.platform, event.event_id, wire.dumps(event), self.app.stamp(), cursor)
        if received.done:
            log.info("duplicate delivery %s ignored", event.event_id)
            return None
        if not received.fresh:
            log.info("redelivery of %s, not handled yet: handling it", event.event_id)
        self._events[received.row_id] = event  # the worker need not read it back and decode it
        return received.row_id

    def hand_off(self, row_id: int) -> None:
        self._queue(row_id)

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> int:
        """Start the threads and queue every row a crash or a stop left; returns how many."""
        scoring.warm(self.app.bank)  # worker processes for the feedback engine, when configured
        self._pool = DaemonPool(self._threads, f"stardrill-inbox-{self.platform}")
        left = inbox.open_rows(self.store, self.platform)
        if left:
            log.info("%s: %d event(s) received before the last stop are handled now", self.platform, len(left))
        for row_id in left:
            self._queue(row_id)
        threading.Thread(target=self._sweep, name=f"stardrill-sweep-{self.platform}", daemon=True).start()
        return len(left)

    def _sweep(self) -> None:
        """Handle rows another process stored and did not handle (it died after its ack): replicas share one inbox.

        A row being handled elsewhere is skipped (inbox.take), so a slow replica costs a look, never a double.
        """
        background()
        while not self._stopping.wait(SWEEP_SECONDS):
            try:
                for row_id in inbox.orphans(self.store, self.platform, iso(self.app.now() - ORPHAN_AGE)):
                    self._queue(row_id)
            except Exception:
                log.warning("%s: looking for events left by another process failed; looking again later",
                            self.platform, exc_info=True)

    def stop(self, wait: float = 1.0) -> None:
        self._stopping.set()
        if self._pool is not None:
            self._pool.stop(wait)  # unfinished rows stay `new`: the next start handles them

    def _queue(self, row_id: int) -> None:
        if self._pool is None or self._stopping.is_set():
            return  # not started yet, or stopping: the next start handles every stored row
        # setdefault is one atomic step: no lock that a worker thread could hold while it waits for the
        # interpreter lock, on the ack path (a row queued twice would only be found handled: inbox.take)
        mine = object()
        if self._running.setdefault(row_id, mine) is not mine:
            return
        self._pool.submit(lambda: self._handle(row_id))

    # -- one event -------------------------------------------------------------------------------------------

    def _handle(self, row_id: int) -> None:
        early, tries = None, 0
        try:
            event = self._events.pop(row_id, None)
            if row_id in self._early:  # tried before, and too early then
                event, tries = self._early.pop(row_id)
            elif event is None:  # stored by an earlier run: read it back
                row = inbox.load(self.store, row_id)
                if row is None or row["status"] != "new":
                    return
                event = self._event(row)
            else:
                event = self._enriched(event)
            if event is not None:
                early = self._attempt(row_id, event)  # checks, in its transaction, that the row is still not done
        finally:
            self._events.pop(row_id, None)  # a redelivery that came while this ran
            self._running.pop(row_id, None)
        if early is not None:
            self._try_again(row_id, early, tries)

    def _try_again(self, row_id: int, event: Event, tries: int) -> None:
        """Queue a row again shortly (its event came too early: NotYet). The row stays `new` meanwhile, so a
        stop or a crash loses nothing: the next start, or another replica's sweep, handles it."""
        if not tries:  # once per event: the retries of a slow post are not news
            log.info("%s event %s is handled again shortly: it may answer a question still being posted",
                     self.platform, event.event_id)
        self._early[row_id] = (event, tries + 1)
        timer = threading.Timer(min(RETRY_FIRST * 2 ** tries, RETRY_MOST), self._queue, (row_id,))
        timer.daemon = True
        timer.start()

    def _event(self, row: dict) -> Event | None:
        try:
            event = wire.loads(row["body"])
        except wire.WireError as exc:
            log.error("%s inbox row %s cannot be read (%s); dropped", self.platform, row["id"], exc)
            inbox.drop(self.store, row["id"], str(exc), self.app.stamp())
            return None
        return self._enriched(event)

    def _enriched(self, event: Event) -> Event:
        try:
            return self.enrich(event)
        except Exception:
            log.warning("%s: looking up who sent %s failed; handling it as is", self.platform, event.event_id, exc_info=True)
            return event

    def _attempt(self, row_id: int, event: Event) -> Event | None:
        """Handle one event; returns it when it came too early and must be tried again (nothing was written)."""
        self._score_ahead(event)
        key = (self.platform, event.event_id)
        while True:
            claim = outbox.ClaimFor(self.sender.mark.token, time.time(), self.sender.reserve)
            try:
                handled = self._commit(row_id, event, key, claim)
            except NotYet as exc:
                self.sender.release(claim.lanes)
                log.debug("%s event %s came too early: %s", self.platform, event.event_id, exc)
                return event
            except Exception as exc:
                self.sender.release(claim.lanes)
                log.error("handling %s %s failed: %s: %s", self.platform, type(event).__name__, type(exc).__name__, exc,
                          exc_info=not isinstance(exc, UnicodeError))
                if inbox.note_failure(self.store, row_id, f"{type(exc).__name__}: {exc}", self.app.stamp()):
                    self._apologise(event)
                    return None
                continue
            break
        self._settle(row_id)
        if handled is None:  # handled meanwhile, or being handled now, by another process on this database
            log.info("%s event %s was handled already, or is being handled elsewhere: skipped", self.platform,
                     event.event_id)
            return None
        modals, rows = handled
        for modal in modals:  # first: a form's trigger is the shortest-lived thing here
            self.outlet.open_form(event.event_id, modal)
        if any(not self._claimed_here(row) for row in rows):
            self.sender.wake()  # rows left pending (their lane was busy or paced): the dispatcher's to start
        self.sender.send_claimed(rows)
        if not rows:
            self.outlet.settle(event.event_id)
        return None

    def _claimed_here(self, row) -> bool:
        """Claimed at enqueue time by this process: sent by this thread, nothing for the dispatcher to start."""
        return row.status == "sending" and row.claimed_by == self.sender.mark.token

    def _commit(self, row_id: int, event: Event, key: tuple[str, str], claim) -> tuple[list, list] | None:
        """The flow, its replies queued and the event marked handled, in ONE transaction; None: not ours to handle."""
        with self.store.write():
            if not inbox.take(self.store, row_id, key):
                return None
            out = self.app.process(event)
            modals = [o for o in out if isinstance(o, Modal)]
            rows = outbox.enqueue(self.store, self.platform, [o for o in out if not isinstance(o, Modal)],
                                  self.app.stamp(), reply_to=event.event_id, author=event.actor.user_id, claim=claim)
            inbox.finish(self.store, row_id, key, self.app.stamp())
        return modals, rows

    def _settle(self, row_id: int) -> None:
        """Mark the row done now that its flow has committed, before its replies go out (see inbox.settle).

        One statement with the interpreter lock held (Store.update_one): the inbox file's write lock, which
        the next ack may be waiting for, is held for the statement's few tens of microseconds only.
        """
        try:
            inbox.settle(self.store, [row_id], self.app.stamp())
        except Exception:  # its handled key is committed: a restart, the sweep or a redelivery marks it instead
            log.warning("%s: marking inbox row %s done failed; it is marked at the next look", self.platform, row_id,
                        exc_info=True)

    def _score_ahead(self, event: Event) -> None:
        """Run the feedback engine before taking the write lock (stardrill.scoring), so replies are scored in parallel."""
        try:
            self.app.score_ahead(event)
        except Exception:  # the flow scores it inside the transaction instead, and reports what is wrong there
            log.debug("scoring %s ahead failed", event.event_id, exc_info=True)

    def _apologise(self, event: Event) -> None:
        """Given up on an event: tell its author, privately, through the outbox."""
        where = event.where
        if not where.channel:
            return
        note = Message(Target(event.actor.platform, where.channel, where.thread, private_to=event.actor.user_id), SORRY,
                       kind="error")
        outbox.enqueue(self.store, self.platform, [note], self.app.stamp(), reply_to=event.event_id)
        self.sender.wake()
