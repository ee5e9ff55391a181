"""The scheduler service: `run_due(now)` decides and posts; APScheduler only wakes it.

Flow for one due post: claim in SQLite under UNIQUE(platform, channel, local date, 'daily')
(daily.claim_questions: a batch of channels in one statement, each row under that key) -> hand the
question, preceded by the previous open question's wrap-up, to the channel's adapter -> the adapter
reports the platform ids (app.sent). The claim is the guard: a restart, a second wake-up or a racing
thread finds the row and posts nothing.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from stardrill import daily, metrics, settings
from stardrill import nudge
from stardrill.messages import Message, Outbound
from stardrill.ports import DeliveryError
from stardrill.schedules import posts, prefetch, recovery, repo, rules
from stardrill.schedules.lock import scheduler_lock
from stardrill.schedules.repo import Schedule
from stardrill.schedules.waker import Waker
from stardrill.progress.digest import build_digest
from stardrill.store import records

log = logging.getLogger(__name__)


@dataclass
class Report:
    """What one run_due did (tests and the benchmark read it)."""

    claimed: list[str] = field(default_factory=list)  # "platform:channel@local-date"
    wrapped: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


TAKEOVER_SECONDS = 2  # a waiting process retries the scheduler lock this often (the kernel frees it on death)
# Due posts claimed per write transaction: one commit for many channels (10,000 due at once), while a
# reply's write waits behind at most one batch (a few milliseconds).
CLAIMS_PER_TRANSACTION = 50
# A wake-up names its channel: up to this many keys are read row by row, not the whole schedules table
# (10,000 channels due at once wake 10,000 times; reading every schedule each time was quadratic).
KEYED_READS = 50
SENDS_PER_TASK = 10  # direct (not outbox) sends handed to one pool thread together


def default_grace() -> timedelta:
    """Raises settings.SettingError for a value that would post nothing (0, negative) or is not a number."""
    return timedelta(minutes=settings.whole_number("STARDRILL_CATCHUP_GRACE_MINUTES", 1, 1440, "a number of minutes"))


class ScheduleService:
    def __init__(self, app, adapters: dict, *, grace: timedelta | None = None, workers: int = 8):
        self.app, self.store, self.clock = app, app.store, app.clock
        self.adapters = dict(adapters)
        self.grace = default_grace() if grace is None else grace
        self.lock = scheduler_lock(app.store, app.stamp)
        self.waker = Waker(self)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="stardrill-post")
        self._guard = threading.Lock()
        self._in_flight: set[int] = set()
        self._retry: set[int] = set()  # posts whose send failed transiently in this process: retried once
        self._lifecycle = threading.Lock()  # a takeover and a stop never interleave
        self._stopped = threading.Event()
        self.leading = False

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> bool:
        """Take the one-scheduler lock, finish what a crash left, catch up, then arm the wake-ups."""
        if not self.lock.acquire():
            log.warning("another scheduler already runs on %s (%s); this process will not schedule posts",
                        self.store.label, self.lock.holder())
            return False
        self._begin()
        return True

    def _begin(self) -> None:
        with self._lifecycle:
            if self._stopped.is_set():
                self.lock.release()
                return
            now = self.clock.now()
            recovery.recover(self, now)
            self.run_due(now)
            self.waker.start()
            repo.subscribe(self.store, self.changed)
            self.leading = True
        log.info("scheduler started on %s for %s", self.store.label, ", ".join(sorted(self.adapters)) or "no platform")

    def stand_by(self, on_leader=None) -> None:
        """Another process schedules: retry its lock, and take over within seconds of that process's death."""
        def watch() -> None:
            while not self._stopped.wait(TAKEOVER_SECONDS):
                try:
                    if not self.lock.acquire():
                        continue
                    log.info("the process that scheduled posts is gone; this one schedules them now")
                    self._begin()
                except Exception:
                    # A failure here must not end this thread while it holds the lock: no process would schedule
                    # again. Let go (claims are idempotent, so a half-done catch-up is safe to redo) and retry.
                    log.exception("taking over the scheduler failed; releasing its lock and trying again")
                    with contextlib.suppress(Exception):
                        self.lock.release()
                    continue
                if self.leading and on_leader is not None:
                    on_leader()
                return

        threading.Thread(target=watch, name="stardrill-standby", daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()
        with self._lifecycle:
            repo.unsubscribe(self.store, self.changed)
            self.waker.stop()
            self._pool.shutdown(wait=True)
            self.lock.release()
            self.leading = False

    def changed(self, platform: str, channel: str) -> None:
        """A command changed this channel's schedule: re-arm it now (no restart needed)."""
        self.waker.arm_one(platform, channel)

    def schedules(self, keys: set[str] | None = None) -> list[Schedule]:
        """Schedules this process can post for (its platforms have adapters)."""
        if keys is not None and len(keys) <= KEYED_READS:  # a wake-up for a few channels: read only their rows
            found = [repo.get(self.store, *key.split(":", 1)) for key in sorted(keys)]
        else:
            found = repo.all_schedules(self.store)
        return [s for s in found if s is not None and s.platform in self.adapters and (keys is None or s.key in keys)]

    # -- the decision ----------------------------------------------------------------------------------

    def run_due(self, now: datetime, keys: set[str] | None = None) -> Report:
        """Claim and send every post due at `now`, wrap up finished days, retry failed sends; wait for them."""
        report = Report()
        retries = self._take_retries()  # only failures of earlier ticks: one that fails during this run waits for the next
        chosen = self.schedules(keys)
        claimed = posts.claimed_days(self.store, (now - timedelta(days=2)).date(), None if keys is None else chosen)
        due = []
        for schedule in chosen:
            self._consume_skip(schedule, now, report)
            when = rules.due_post(schedule.rule, now, self.grace)
            if when and (schedule.platform, schedule.channel, when[0].isoformat()) not in claimed:
                due.append((schedule, when))
        sends = []
        for start in range(0, len(due), CLAIMS_PER_TRANSACTION):
            sends += self._claim_together(due[start:start + CLAIMS_PER_TRANSACTION], now, report)
        for schedule in chosen:
            sends += self._wrap_finished_day(schedule, now, report)
        sends += [self._pool.submit(recovery.retry, self, post_id, now) for post_id in retries]
        sends += [self._pool.submit(self._remind, message) for message in nudge.due(self.app, now, set(self.adapters))]
        wait(sends)
        return report

    def _remind(self, message) -> None:
        """An opt-in nudge; claimed already, so a failed one is logged, not retried (it is only a reminder)."""
        try:
            self.adapters[message.target.platform].deliver([message])
        except Exception:
            log.exception("the nudge for %s:%s failed", message.target.platform, message.target.channel)

    def _durable(self, schedule: Schedule) -> bool:
        return getattr(self.adapters[schedule.platform], "durable", False)

    def _claim_together(self, batch: list, now: datetime, report: Report) -> list:
        """Claim a batch of due posts in one write transaction: one commit for many channels, not one each.

        An outbox-backed platform queues its posts in the same transaction, so a crash leaves all or
        nothing; the others are sent after the commit. If the batch fails, each channel is claimed
        alone, so one bad channel costs only its own post.
        """
        jobs, part = [], Report()
        try:
            with self.store.write():
                states = self._states(batch)
                questions = self._claim_questions(batch, states)
                for schedule, (day, fire) in batch:
                    question = questions.get(schedule.key)
                    if question is None:
                        continue  # claimed by a racing run or an earlier life of this process: never post twice
                    job = self._claim(schedule, day, fire, now, part, states[schedule.key], question)
                    if job:
                        jobs.append((schedule, job))
                        if self._durable(schedule):
                            self.adapters[schedule.platform].deliver(job[1])
        except Exception:
            for _, (post_id, _) in jobs:
                self.release(post_id)  # rolled back: these claims do not exist
            if len(batch) == 1:
                raise
            log.exception("claiming %d due posts together failed; claiming them one at a time", len(batch))
            return [sent for one in batch for sent in self._claim_together([one], now, report)]
        report.claimed += part.claimed
        return self._hand_over(jobs, report)

    def _states(self, batch: list) -> dict:
        """Every channel's daily.ChannelState, read for the whole batch at once (per platform)."""
        channels: dict[str, list[str]] = {}
        for schedule, _ in batch:
            channels.setdefault(schedule.platform, []).append(schedule.channel)
        return {f"{platform}:{channel}": state for platform, names in channels.items()
                for channel, state in prefetch.channel_states(self.app, platform, names).items()}

    def _claim_questions(self, batch: list, states: dict) -> dict[str, Message]:
        """The batch's due posts claimed, one statement per platform (daily.claim_questions): key -> its question."""
        wanted: dict[str, list] = {}
        for schedule, (day, _) in batch:
            wanted.setdefault(schedule.platform, []).append((schedule.channel, day.isoformat(), states[schedule.key]))
        return {f"{platform}:{channel}": message for platform, claims in wanted.items()
                for channel, message in daily.claim_questions(self.app, platform, claims).items()}

    def _hand_over(self, jobs: list, report: Report) -> list:
        """After the commit: wake the outbox senders, start the other sends."""
        direct, woken = [], set()
        for schedule, (post_id, outbound) in jobs:
            if self._durable(schedule):
                self.release(post_id)
                woken.add(schedule.platform)
            else:
                direct.append((schedule, post_id, outbound))
        for platform in sorted(woken):
            self.adapters[platform].wake()  # after the commit, so the sender sees the rows
        # a few sends per task: one task per post cost more in hand-offs between threads than the sends themselves
        return [self._pool.submit(self._send_each, direct[start:start + SENDS_PER_TASK], report)
                for start in range(0, len(direct), SENDS_PER_TASK)]

    def _send_each(self, sends: list, report: Report) -> None:
        for schedule, post_id, outbound in sends:
            self._send(schedule, post_id, outbound, report)

    def _wrap_finished_day(self, schedule: Schedule, now: datetime, report: Report) -> list:
        """Wrap up the day's question once its wrap-up time passed (queued with the wrap, for an outbox platform)."""
        post_id = self._wrappable(schedule, now)
        if post_id is None:
            return []
        adapter = self.adapters[schedule.platform]
        if not self._durable(schedule):
            wrap = daily.wrap_up(self.app, post_id)
            if wrap is None:
                return []
            report.wrapped.append(schedule.key)
            return [self._pool.submit(self._send, schedule, None, [wrap], report)]
        with self.store.write():
            wrap = daily.wrap_up(self.app, post_id)
            if wrap is not None:
                adapter.deliver([wrap])
        if wrap is not None:
            report.wrapped.append(schedule.key)
            adapter.wake()
        return []

    def _claim(self, schedule: Schedule, day, fire: datetime, now: datetime, report: Report, state: daily.ChannelState,
               message: Message):
        """What to send for a post just claimed (its question `message`): the previous question's wrap-up, the weekly
        digest, the question."""
        previous = state.latest
        post_id = int(message.track.partition(":")[2])
        with self._guard:
            self._in_flight.add(post_id)
        if now - fire > timedelta(minutes=1):
            log.info("catching up %s: its %s post was due at %s", schedule.key, day, fire.isoformat(timespec="minutes"))
        outbound: list[Outbound] = []
        if previous and previous["status"] == "sent":
            wrap = daily.wrap_up(self.app, previous["id"])  # a new question closes the previous one, as /stardrill now does
            if wrap:
                outbound.append(wrap)
        digest = self._weekly_digest(schedule, day) if state.row["digest"] else None  # opted-in channels only
        if digest:
            outbound.append(digest)
        report.claimed.append(f"{schedule.key}@{day}")
        return post_id, outbound + [message]

    def _weekly_digest(self, schedule: Schedule, day):
        """The first scheduled post of an ISO week brings last week's digest (opted-in channels only), once."""
        message = build_digest(self.app, schedule.platform, schedule.channel, day - timedelta(days=1))
        if message is None:
            return None
        year, week, _ = day.isocalendar()
        claim = f"digest:{schedule.channel}:{year}-W{week:02d}"  # the events table's unique key makes it once per week
        return message if records.mark_event(self.store, schedule.platform, claim, self.app.stamp()) else None

    def _wrappable(self, schedule: Schedule, now: datetime) -> int | None:
        """The post to wrap up now, if any (reads only: most ticks find nothing, and take no write lock)."""
        day = rules.due_wrapup(schedule.rule, now)
        if day is None:
            return None
        latest = records.latest_post(self.store, schedule.platform, schedule.channel)
        cutoff = rules.wrapup_on(schedule.rule, day)
        if not latest or latest["status"] != "sent" or latest["local_date"] != day.isoformat():
            return None
        if datetime.fromisoformat(latest["claimed_at"]) > cutoff:
            return None  # posted after the wrap-up time (a late /stardrill now): the next post wraps it
        return latest["id"]

    def _consume_skip(self, schedule: Schedule, now: datetime, report: Report) -> None:
        skip_on = schedule.rule.skip_on
        if not schedule.skip_pending or skip_on is None or rules.local_day(now, schedule.rule.zone) < skip_on:
            return
        passed = rules.local_instant(skip_on, schedule.rule.time, schedule.rule.zone)
        if passed is None or passed <= now:
            repo.consume_skip(self.store, schedule.platform, schedule.channel, skip_on)
            report.skipped.append(f"{schedule.key}@{skip_on}")
            log.info("skipped %s's post of %s as asked", schedule.key, skip_on)

    # -- sending -------------------------------------------------------------------------------------------

    def _send(self, schedule: Schedule, post_id: int | None, outbound: list[Outbound], report: Report) -> None:
        try:
            self.adapters[schedule.platform].deliver(outbound)
        except DeliveryError as exc:
            if exc.permanent:
                self.refused(schedule, post_id, exc)
            else:
                self._failed_transiently(schedule, post_id, exc)
            report.failed.append(schedule.key)
        except Exception as exc:  # a bug or an outage in one adapter must not stop other channels' posts
            log.exception("posting to %s failed", schedule.key)
            self._failed_transiently(schedule, post_id, exc)
            report.failed.append(schedule.key)
        finally:
            with self._guard:
                self._in_flight.discard(post_id)

    def refused(self, schedule: Schedule, post_id: int | None, exc: Exception) -> None:
        """The platform refused for good (not in channel, no permission): pause rather than fail every day."""
        reason = f"the platform refused the post: {exc}"
        if post_id is not None:
            metrics.post_failed(schedule.platform)
            posts.mark_failed(self.store, post_id, reason, self.app.stamp())
        repo.set_paused(self.store, schedule.platform, schedule.channel, True, reason, self.clock.now())
        log.error("schedule for %s paused: %s. Fix access, then /stardrill resume (or `stardrill schedule resume %s`)",
                  schedule.key, reason, schedule.key)

    def _failed_transiently(self, schedule: Schedule, post_id: int | None, exc: Exception) -> None:
        if post_id is None:
            return  # a wrap-up: the next post wraps the thread anyway
        metrics.post_failed(schedule.platform)
        posts.note_error(self.store, post_id, str(exc))
        with self._guard:
            self._retry.add(post_id)
        log.warning("posting to %s failed (%s); retrying once at the next tick", schedule.key, exc)

    def _take_retries(self) -> list[int]:
        with self._guard:
            ready = sorted(self._retry - self._in_flight)
            self._retry -= set(ready)
            self._in_flight |= set(ready)
        return ready

    def release(self, post_id: int) -> None:
        with self._guard:
            self._in_flight.discard(post_id)
