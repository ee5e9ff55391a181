"""Finishing a post that was claimed but never confirmed (a crash, or a failed send), without posting twice.

The rule: ask the platform first (`ChatAdapter.already_posted(channel, track)`). A message id means
it went out before the crash: record it. None means nothing was posted: send it now, once, if it is
still that post's local day within the catch-up grace. Anything else (the adapter cannot answer,
the day has passed, the retry fails) is reported: a log line and the post marked failed with why.
"""

from __future__ import annotations

import logging
from concurrent.futures import wait
from datetime import datetime

from stardrill import daily, metrics
from stardrill.messages import Sent
from stardrill.ports import DeliveryError
from stardrill.schedules import posts, repo, rules
from stardrill.store import records

log = logging.getLogger(__name__)


def recover(service, now: datetime) -> int:
    """At start: complete or report every orphaned claim this process has an adapter for. Returns how many."""
    orphans = [p for p in posts.orphans(service.store) if p["platform"] in service.adapters]
    wait([service._pool.submit(complete, service, post, now) for post in orphans])
    return len(orphans)


def retry(service, post_id: int, now: datetime) -> None:
    """A send failed transiently earlier in this process: one more try, the same way."""
    try:
        post = posts.get(service.store, post_id)
        if post is not None and post["status"] == "claimed":
            complete(service, post, now)
    finally:
        service.release(post_id)


def complete(service, post: dict, now: datetime) -> None:
    key, track = f"{post['platform']}:{post['channel_id']}", f"post:{post['id']}"
    adapter = service.adapters[post["platform"]]
    try:
        found = adapter.already_posted(post["channel_id"], track)
    except Exception as exc:  # the platform cannot tell us: never guess, a guess could post twice
        _report(service, post, f"could not check whether it was posted ({exc}); not resent")
        return
    if found:
        service.app.sent(track, Sent(str(found)))
        log.info("%s: the %s post went out before the crash (message %s); recorded, not resent", key, post["local_date"], found)
        return
    schedule = repo.get(service.store, post["platform"], post["channel_id"])
    due = rules.due_post(schedule.rule, now, service.grace) if schedule else None
    if due is None or due[0].isoformat() != post["local_date"]:
        _report(service, post, "not sent before a crash, and its local day (or the catch-up grace) has passed")
        return
    _resend(service, schedule, post)


def _resend(service, schedule, post: dict) -> None:
    app = service.app
    channel = records.ensure_channel(app.store, post["platform"], post["channel_id"], app.stamp())
    question = app.bank.question(post["question_id"])
    message = daily.question_message(app, post["platform"], post["channel_id"], post["id"], question, blind=bool(channel["blind"]))
    try:
        service.adapters[post["platform"]].deliver([message])
    except DeliveryError as exc:
        if exc.permanent:
            service.refused(schedule, post["id"], exc)
        else:
            _report(service, post, f"the retry failed too: {exc}")
        return
    except Exception as exc:
        _report(service, post, f"the retry failed too: {exc}")
        return
    log.info("%s:%s: completed the %s post after an interrupted send", post["platform"], post["channel_id"], post["local_date"])


def _report(service, post: dict, why: str) -> None:
    metrics.post_failed(post["platform"])
    posts.mark_failed(service.store, post["id"], why, service.app.stamp())
    log.error("%s:%s post of %s: %s", post["platform"], post["channel_id"], post["local_date"], why)
