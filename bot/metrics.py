"""Prometheus metrics for one process: one registry, counters the flows move, gauges read when scraped.

The core only counts (prometheus_client is a plain library, no platform SDK); adapters serve
`exposition()` over HTTP. Names keep their meaning when the implementation underneath changes:
`stardrill_outbox_depth` is "messages decided but not yet confirmed sent" (outbox rows pending or
being sent) and `stardrill_inbox_depth` is "inbound events received and not yet handled" (inbox rows
not done). Both are computed at scrape time from registered sources.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, GCCollector, Histogram, PlatformCollector,
    ProcessCollector, generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from stardrill.store.db import StoreError

REGISTRY = CollectorRegistry()

ANSWERS = Counter("stardrill_answers_received", "Answers and probe replies taken and scored.", ["platform"],
                  registry=REGISTRY)
FEEDBACK_SECONDS = Histogram(
    "stardrill_feedback_latency_seconds",
    "Seconds from an answer reaching the core to its feedback being stored (evaluation and the write).",
    ["platform"], buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5), registry=REGISTRY)
POSTS_CLAIMED = Counter("stardrill_posts_claimed", "Question posts claimed (scheduled, caught up or /stardrill now).",
                        ["platform"], registry=REGISTRY)
POSTS_SENT = Counter("stardrill_posts_sent", "Question posts the platform confirmed.", ["platform"], registry=REGISTRY)
POSTS_FAILED = Counter("stardrill_posts_failed", "Failed attempts to send a scheduled post (refused or transient).",
                       ["platform"], registry=REGISTRY)
RETRIES = Counter("stardrill_platform_retries", "Platform API requests retried (rate limits, connection and server errors).",
                  ["platform"], registry=REGISTRY)
RATE_LIMITED = Counter("stardrill_platform_rate_limited", "HTTP 429 answers from a platform's API.", ["platform"],
                       registry=REGISTRY)
SCHEDULER_LEADER = Gauge("stardrill_scheduler_leader", "1 while this process runs the scheduler (holds the lock), else 0.",
                         registry=REGISTRY)
BUILD_INFO = Gauge("stardrill_build_info", "Always 1; the version label names the running Stardrill.", ["version"],
                   registry=REGISTRY)
PER_PLATFORM = (ANSWERS, FEEDBACK_SECONDS, POSTS_CLAIMED, POSTS_SENT, POSTS_FAILED, RETRIES, RATE_LIMITED)

ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)


class Depths:
    """Inbox and outbox depth per platform, asked of the registered sources at each scrape."""

    def __init__(self):
        self._lock = threading.Lock()
        self._inbox: dict[str, Callable[[], int]] = {}
        self._outbox: Callable[[], dict[str, int]] | None = None

    def watch_inbox(self, platform: str, depth: Callable[[], int] | None) -> None:
        with self._lock:
            if depth is None:
                self._inbox.pop(platform, None)
            else:
                self._inbox[platform] = depth

    def watch_outbox(self, depths: Callable[[], dict[str, int]] | None) -> None:
        with self._lock:
            self._outbox = depths

    def collect(self):
        with self._lock:
            inbox_sources, outbox_source = dict(self._inbox), self._outbox
        inbox, outbox = _depth_families()
        for platform, depth in sorted(inbox_sources.items()):
            inbox.add_metric([platform], depth())
        try:
            outbox_depths = outbox_source() if outbox_source else {}
        except (sqlite3.Error, StoreError):
            outbox_depths = {}  # the store is busy or gone: no sample rather than a failed scrape (readiness says why)
        for platform, depth in sorted(outbox_depths.items()):
            outbox.add_metric([platform], depth)
        return [inbox, outbox]

    def describe(self):
        return list(_depth_families())


def _depth_families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
    return (GaugeMetricFamily("stardrill_inbox_depth", "Inbound events received and not yet handled.", labels=["platform"]),
            GaugeMetricFamily("stardrill_outbox_depth", "Outbound posts decided but not yet confirmed sent.",
                              labels=["platform"]))


DEPTHS = Depths()
REGISTRY.register(DEPTHS)


def declare(platform: str) -> None:
    """Export a platform's series from the start, at zero, so dashboards and rate() see them before the first event."""
    for metric in PER_PLATFORM:
        metric.labels(platform)


def started() -> float:
    return time.perf_counter()


def answered(platform: str, since: float) -> None:
    """One answer scored and stored; `since` is `started()` taken when it reached the core."""
    ANSWERS.labels(platform).inc()
    FEEDBACK_SECONDS.labels(platform).observe(time.perf_counter() - since)


def post_failed(platform: str) -> None:
    POSTS_FAILED.labels(platform).inc()


def exposition() -> tuple[bytes, str]:
    """The text format Prometheus scrapes, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
