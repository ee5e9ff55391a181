"""Who a Slack user is: display name and workspace admin/owner, from users.info, cached.

Why cache (Slack docs, 2026-03): users.info is Tier 4 (100+/min) but every command would
otherwise pay a round trip before the core can check ADMIN_ONLY; names and roles change rarely.
"""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk.errors import SlackApiError

from stardrill.adapters.slack_adapter.translate import Person

log = logging.getLogger(__name__)


class Directory:
    def __init__(self, client, ttl_seconds: float = 600.0):
        self.client = client
        self.ttl = ttl_seconds
        self._cache: dict[str, tuple[float, Person]] = {}
        self._lock = threading.Lock()

    def __call__(self, user_id: str) -> Person:
        return self.person(user_id)

    def person(self, user_id: str) -> Person:
        with self._lock:
            hit = self._cache.get(user_id)
        if hit and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        person = self._fetch(user_id)
        if person is None:
            return Person()  # not cached: the next event asks again
        with self._lock:
            self._cache[user_id] = (time.monotonic(), person)
        return person

    def _fetch(self, user_id: str) -> Person | None:
        try:
            user = self.client.users_info(user=user_id)["user"]
        except SlackApiError as exc:  # missing users:read, deleted user...: not an admin, no name
            log.warning("users.info for %s failed: %s", user_id, exc.response.get("error"))
            return None
        except Exception as exc:  # network trouble must not stop the answer from being handled
            log.warning("users.info for %s failed: %s", user_id, type(exc).__name__)
            return None
        profile = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name") or ""
        return Person(name, bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")))
