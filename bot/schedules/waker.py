"""APScheduler only wakes the service; it never decides what is due (rules.py and the DB claim do).

One in-memory DateTrigger job per schedule, id `schedule:PLATFORM:CHANNEL`, armed for that
schedule's next post or wrap-up and re-armed after each run (replace_existing, so re-arming never
adds a copy). A sync job every SYNC_SECONDS renews the lock heartbeat, picks up changes another
process made (the CLI), and runs `run_due` as a safety net (clock jumps, a suspended laptop).

Why DateTrigger and not CronTrigger (APScheduler 3.11, 2026): cron follows wall-clock time, so it
fires twice in a repeated hour and shifts nonexistent times; our fire times come from rules.py.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from stardrill.schedules import repo, rules

log = logging.getLogger(__name__)

SYNC_SECONDS = 10
SYNC_JOB = "stardrill:sync"


def job_id(platform: str, channel: str) -> str:
    return f"schedule:{platform}:{channel}"


class Waker:
    def __init__(self, service):
        self.service = service
        self.scheduler: BackgroundScheduler | None = None
        self._fingerprint = ""
        # APScheduler's shutdown(wait=True) holds its job-store lock while it waits for running jobs, and a
        # running wake() re-arms through add_job, which needs that lock: a deadlock. Arming and stopping
        # therefore take this lock first, and nothing is armed once stopping has begun.
        self._arming = threading.Lock()
        self._stopping = False

    def start(self) -> None:
        quiet = logging.getLogger("apscheduler")
        if quiet.level == logging.NOTSET:  # it logs every job run at INFO (each wake, each sync): noise in a terminal
            quiet.setLevel(logging.WARNING)
        self.scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(4)},
            # misfire_grace_time=None: a wake-up that runs late still runs (run_due applies our own grace)
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=timezone.utc,
        )
        self.scheduler.start()
        self.rebuild()
        self.scheduler.add_job(self.sync, IntervalTrigger(seconds=SYNC_SECONDS), id=SYNC_JOB, replace_existing=True)

    def stop(self) -> None:
        with self._arming:
            self._stopping = True
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)

    def rebuild(self) -> None:
        """Arm one job per schedule row; drop jobs whose rows are gone."""
        self._fingerprint = repo.fingerprint(self.service.store)
        wanted = set()
        for schedule in self.service.schedules():
            self._arm(schedule)
            wanted.add(job_id(schedule.platform, schedule.channel))
        with self._arming:
            if self.scheduler is None or self._stopping:
                return
            for job in self.scheduler.get_jobs():
                if job.id.startswith("schedule:") and job.id not in wanted:
                    self.scheduler.remove_job(job.id)

    def arm_one(self, platform: str, channel: str) -> None:
        if platform not in self.service.adapters:
            return
        schedule = repo.get(self.service.store, platform, channel)
        if schedule is None:
            self._remove(job_id(platform, channel))
        else:
            self._arm(schedule)

    def next_run(self, platform: str, channel: str) -> datetime | None:
        job = self.scheduler.get_job(job_id(platform, channel)) if self.scheduler else None
        return job.next_run_time if job else None

    def _arm(self, schedule) -> None:
        ident = job_id(schedule.platform, schedule.channel)
        now = self.service.clock.now()
        when = rules.next_wake(schedule.rule, now)
        with self._arming:
            if self.scheduler is None or self._stopping:
                return
            if when is None:
                if self.scheduler.get_job(ident):
                    self.scheduler.remove_job(ident)
                return
            # The service's clock may be injected (tests, demos): wake after the same delay in real time.
            real = datetime.now(timezone.utc) + (when - now)
            self.scheduler.add_job(self.wake, DateTrigger(run_date=real), id=ident,
                                   args=[schedule.platform, schedule.channel], replace_existing=True)

    def _remove(self, ident: str) -> None:
        with self._arming:
            if self.scheduler is not None and not self._stopping and self.scheduler.get_job(ident):
                self.scheduler.remove_job(ident)

    def wake(self, platform: str, channel: str) -> None:
        try:
            self.service.run_due(self.service.clock.now(), keys={f"{platform}:{channel}"})
        finally:
            self.arm_one(platform, channel)

    def sync(self) -> None:
        self.service.lock.heartbeat()
        if repo.fingerprint(self.service.store) != self._fingerprint:
            log.info("schedules changed in the database; re-arming")
            self.rebuild()
        self.service.run_due(self.service.clock.now())
