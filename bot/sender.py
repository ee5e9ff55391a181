"""The outbox sender for one platform: claims rows lane by lane, sends them, marks them with the platform's id.

Rules it keeps: a row is marked sent only after the platform answered with an id; a lane sends one
row at a time, oldest first, paced by the adapter (Slack: ~1 message/s per channel) here and never
in a thread that must ack; a failure is retried with backoff, asking the platform first whether the
earlier try went out (anything sent after the claim's time); a claim left by a dead process is
recovered the same way. Rows answering one event report back when all are out (`Outlet.settle`).
"""

from __future__ import annotations

import logging
import threading
import time

from stardrill import metrics
from stardrill.messages import Message, Sent, Target
from stardrill.ports import DeliveryError, Item, Outlet, Receipt, Rejected, WorkspaceGone
from stardrill.store import outbox
from stardrill.store.owners import ProcessMark
from stardrill.threads import DaemonPool, background

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # rows queued by another process (the CLI, a second process) are seen this often
MAX_ATTEMPTS = 12  # backoff 2, 4, ... 300 s: about half an hour of outage before a row is given up
STOP_GRACE = 1.5  # seconds a stop waits for sends in flight; what is left is recovered at the next start
# Rows the dispatcher claims ahead, per sending thread (enough that the threads never wait for a round). A
# claimed row is this process's until sent: claiming every due row at once (1,000 posts due in one minute)
# left the other replicas nothing to send, and a crash left each of them to be looked up on the platform
# before it could be sent again.
AHEAD_PER_THREAD = 8
SORRY = "Sorry, a reply to you could not be posted (the error was logged). Please try again in a moment."


def thread_name(message) -> str:
    name = message.text.replace("\n", " ").strip()
    return name if len(name) <= 100 else name[:99] + "\u2026"


def backoff(attempts: int) -> float:
    return float(min(300, 2 ** max(1, attempts)))


class Sender:
    def __init__(self, app, outlet: Outlet, mark: ProcessMark, *, threads: int = 4):
        self.app, self.store, self.outlet, self.mark = app, app.store, outlet, mark
        self.platform = outlet.platform
        self._lock = threading.Condition()
        self._busy: set[str] = set()  # lanes with a row in flight in this process
        self._waiting: set[str] = set()  # busy lanes the dispatcher passed over: their release must wake it
        self._in_round = False  # the dispatcher is reading the queue: any release means it must look again
        self._booked: dict[str, float] = {}  # lane -> monotonic time of its paced slot
        self._stopping = False
        self._dirty = False  # something changed since the dispatcher last looked
        self._queued = 0  # rows claimed by the dispatcher and handed to the pool, not finished yet
        self._pool: DaemonPool | None = None
        self._dispatcher: threading.Thread | None = None
        self._threads = threads

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> None:
        self._pool = DaemonPool(self._threads, f"stardrill-send-{self.platform}")
        self._dispatcher = threading.Thread(target=self._dispatch, name=f"stardrill-outbox-{self.platform}", daemon=True)
        self._dispatcher.start()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._dispatcher is not None:
            self._dispatcher.join(2)
        if self._pool is not None and not self._pool.stop(STOP_GRACE):
            log.info("%s: sends still in flight at stop are finished at the next start", self.platform)

    def wake(self) -> None:
        with self._lock:
            self._dirty = True
            self._lock.notify_all()

    # -- lanes ---------------------------------------------------------------------------------------------

    def reserve(self, lane: str) -> bool:
        """Hold a lane for a row claimed at enqueue time (the inbox worker's fast path); False: let it queue."""
        with self._lock:
            if self._pool is None or self._stopping or lane in self._busy or lane in self._booked:
                return False
            delay = self.outlet.pace(lane)
            if delay > 0:
                self._booked[lane] = time.monotonic() + delay
                return False
            self._busy.add(lane)
            return True

    def release(self, lanes, *, quiet: bool = False) -> None:
        """Free the lanes and wake the dispatcher. `quiet`: the send changed nothing but its own row (the usual
        reply), so the dispatcher is woken only when it passed a row over because one of these lanes was busy."""
        with self._lock:
            self._busy.difference_update(lanes)
            if quiet and not self._in_round and self._waiting.isdisjoint(lanes):
                return  # (mid-round it may have read this lane's head before the release: it must look again)
            self._waiting.difference_update(lanes)
            self._dirty = True
            self._lock.notify_all()

    def send_claimed(self, rows: list[outbox.Row]) -> None:
        """Send, in this thread, the rows it claimed at enqueue time (the inbox worker: no hand-off on the hot path)."""
        for row in rows:
            if row.status == "sending" and row.claimed_by == self.mark.token:
                self._send(row, recovering=False)

    # -- the dispatcher -----------------------------------------------------------------------------------

    def _dispatch(self) -> None:
        background()
        while True:
            with self._lock:
                if self._stopping:
                    return
                self._dirty, self._in_round = False, True
            try:
                wait = self._round()
            except Exception:
                log.exception("%s outbox: reading the queue failed; trying again", self.platform)
                wait = POLL_SECONDS
            with self._lock:
                self._in_round = False
                if not self._stopping and not self._dirty:  # a wake during the round is not lost
                    self._lock.wait(wait)

    def _round(self) -> float:
        """Start what can start now; the seconds until something else might."""
        wait, now = POLL_SECONDS, time.time()
        for row in outbox.heads(self.store, self.platform):
            with self._lock:
                if self._stopping or self._queued >= AHEAD_PER_THREAD * self._threads:
                    break  # enough claimed for now: the rest stay pending for any replica (a finished send wakes us)
                if row.lane in self._busy:
                    self._waiting.add(row.lane)
                    continue
            if self._held_elsewhere(row):
                continue
            if row.not_before and row.not_before > now:
                wait = min(wait, row.not_before - now)
            elif row.status == "sending":
                self._recover(row)
            else:
                wait = min(wait, self._start(row, now))
        return max(wait, 0.01)

    def _held_elsewhere(self, row: outbox.Row) -> bool:
        """Another running process must send this row (Discord: it holds the interaction the row answers)."""
        check = getattr(self.outlet, "held_elsewhere", None)  # optional: Slack's HTTP and Socket Mode need none
        return bool(check and check(row))

    def _start(self, row: outbox.Row, now: float) -> float:
        with self._lock:
            booked = self._booked.get(row.lane)
            if booked is None:
                delay = self.outlet.pace(row.lane)
                if delay > 0:
                    self._booked[row.lane] = time.monotonic() + delay
                    return delay
            elif booked > time.monotonic():
                return booked - time.monotonic()
            self._booked.pop(row.lane, None)
            self._busy.add(row.lane)
        if not outbox.claim(self.store, row.id, self.mark.token, now):
            self.release([row.lane])  # another process took it
            return POLL_SECONDS
        claimed = outbox.get(self.store, row.id)
        self._submit(lambda: self._send(claimed, recovering=claimed.attempts > 1))
        return POLL_SECONDS

    def _recover(self, row: outbox.Row) -> None:
        if self.mark.alive(row.claimed_by):
            return  # being sent right now (by this process, or another one that is running)
        with self._lock:
            self._busy.add(row.lane)
        if not outbox.take_over(self.store, row.id, row.claimed_by, self.mark.token, time.time()):
            self.release([row.lane])
            return
        log.info("%s outbox: row %s was being sent when its process stopped; checking the platform", self.platform, row.id)
        self._submit(lambda: self._send(outbox.get(self.store, row.id), recovering=True))

    def _submit(self, send) -> None:
        """Hand a claimed row's send to the pool, counted until it finishes (see AHEAD_PER_THREAD)."""
        def counted() -> None:
            try:
                send()
            finally:
                with self._lock:
                    self._queued -= 1
                    self._dirty = True
                    self._lock.notify_all()

        with self._lock:
            self._queued += 1
        self._pool.submit(counted)

    # -- one send -------------------------------------------------------------------------------------------

    def _send(self, row: outbox.Row, recovering: bool) -> None:
        quiet = False  # True once the send only marked its own row sent: nothing new for the dispatcher
        try:
            item = Item(row.id, row.step, row.payload, row.reply_to, row.claimed_at or time.time(), row.track)
            receipt = self._find(item) if recovering else None
            if receipt is None:
                receipt = self.outlet.send_item(item)
        except DeliveryError as exc:
            self._failed(row, exc, permanent=exc.permanent)
        except _Unknown as exc:
            if row.attempts >= MAX_ATTEMPTS:  # still unknown after all this time: report it, never resend blindly
                self._failed(row, exc, permanent=True)
            else:
                outbox.recheck_later(self.store, row.id, time.time() + backoff(row.attempts), str(exc))
        except Exception as exc:  # a timeout or a bug: the next try asks the platform first
            log.warning("%s outbox: sending row %s failed (%s: %s)", self.platform, row.id, type(exc).__name__, exc)
            self._failed(row, exc, permanent=False)
        else:
            quiet = self._sent(row, receipt)
        finally:
            self.release([row.lane], quiet=quiet)

    def _find(self, item: Item) -> Receipt | None:
        try:
            return self.outlet.find_item(item)
        except WorkspaceGone:
            raise  # it cannot be resent either: failed now, not checked again for half an hour
        except DeliveryError as exc:
            raise _Unknown(f"could not check whether it was sent: {exc}") from None

    def _sent(self, row: outbox.Row, receipt: Receipt) -> bool:
        """Mark the row sent, and do what its sending leads to; True when only its own row changed."""
        stamp = self.app.stamp()
        tracked = row.step == outbox.MESSAGE and row.track
        if not tracked and not receipt.opens_thread:  # a reply, most of them: only its own row changes
            if outbox.mark_sent(self.store, row.id, receipt.message_id, receipt.thread_id, stamp, alone=True):
                self._settle_if_done(row)
            return True
        with self.store.write():
            if not outbox.mark_sent(self.store, row.id, receipt.message_id, receipt.thread_id, stamp):
                return False
            if row.step == outbox.MESSAGE and row.track:
                self.app.sent(row.track, Sent(receipt.message_id, receipt.thread_id))
            if receipt.opens_thread:
                message = row.payload
                outbox.enqueue_thread(self.store, row, message.target.channel, receipt.message_id, thread_name(message), stamp)
        self._settle_if_done(row)
        return False

    def _failed(self, row: outbox.Row, exc: Exception, *, permanent: bool) -> None:
        if isinstance(exc, WorkspaceGone):
            self._gone(row, exc)
            return
        if permanent or row.attempts >= MAX_ATTEMPTS:
            outbox.mark_failed(self.store, row.id, str(exc))
            log.error("%s outbox: gave up on row %s (lane %s): %s", self.platform, row.id, row.lane, exc, exc_info=exc)
            if row.track and row.track.startswith("post:"):
                self._post_failed(row, exc, pause=permanent and not isinstance(exc, Rejected))
            else:
                self._tell_author(row)
            self._settle_if_done(row)
            return
        outbox.retry_later(self.store, row.id, time.time() + backoff(row.attempts), str(exc))

    def _gone(self, row: outbox.Row, exc: WorkspaceGone) -> None:
        """A row for a workspace that removed the app: failed in one line, as expected after an uninstall.

        No schedule is paused (the uninstall paused the workspace's, and a reinstall resumes them by that reason)
        and no author is told: they are in that workspace too.
        """
        outbox.mark_failed(self.store, row.id, str(exc))
        log.warning("%s outbox: row %s (lane %s) not sent: %s", self.platform, row.id, row.lane, exc)
        if row.track and row.track.startswith("post:"):
            from stardrill.schedules import posts  # as in _post_failed

            metrics.post_failed(self.platform)
            posts.mark_failed(self.store, int(row.track.partition(":")[2]), f"could not post it: {exc}", self.app.stamp())
        self._settle_if_done(row)

    def _tell_author(self, row: outbox.Row) -> None:
        """A reply that can never be posted: its author hears so, privately (once: never about the note itself)."""
        message = row.payload if row.step == outbox.MESSAGE and row.body else None
        if not row.author or not isinstance(message, Message) or message.target.private_to == row.author:
            return
        target = Target(self.platform, message.target.channel, message.target.thread, private_to=row.author)
        outbox.enqueue(self.store, self.platform, [Message(target, SORRY, kind="error")], self.app.stamp(),
                       reply_to=row.reply_to, author=row.author)

    def _post_failed(self, row: outbox.Row, exc: Exception, pause: bool) -> None:
        from stardrill.schedules import posts, repo  # the scheduler pauses a channel that refuses its posts

        post_id = int(row.track.partition(":")[2])
        metrics.post_failed(self.platform)
        reason = f"the platform refused the post: {exc}" if pause else f"could not post it: {exc}"
        posts.mark_failed(self.store, post_id, reason, self.app.stamp())
        post = posts.get(self.store, post_id)
        if pause and post and repo.get(self.store, post["platform"], post["channel_id"]):
            repo.set_paused(self.store, post["platform"], post["channel_id"], True, reason, self.app.now())
            log.error("schedule for %s:%s paused: %s. Fix access, then /stardrill resume", post["platform"],
                      post["channel_id"], reason)

    def _settle_if_done(self, row: outbox.Row) -> None:
        if row.reply_to and outbox.open_for(self.store, row.reply_to) == 0:
            try:
                self.outlet.settle(row.reply_to)
            except Exception:
                log.warning("%s: closing the interaction %s failed", self.platform, row.reply_to, exc_info=True)


class _Unknown(Exception):
    """The platform could not say whether a row went out: never resend on a guess."""
