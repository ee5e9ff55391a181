"""Workspace-scoped ids: what the core sees is `WORKSPACE:SLACK_ID`, what Slack sees is the bare id.

Why: Slack channel and user ids are unique only inside a workspace (or an Enterprise Grid org), so once
the app is installable by any workspace two teams can share `C0123`; and a message's `ts` (also its
thread's id) is unique only within its channel, while at a fan-out minute many workspaces' questions
are posted in the same second. The adapter qualifies every channel, member and message id it hands the
core with the workspace key, and strips it on the way out; the core keeps treating ids as opaque
strings, so two workspaces can never meet in any table or query. The key is the `enterprise_id` of an
org-wide Grid install, else the `team_id`.

Slack ids never contain ':', so the first ':' always separates the key. A bare id (rows written before
workspaces were tracked, still in the outbox) belongs to the configured single-token workspace.
"""

from __future__ import annotations

from dataclasses import replace

from stardrill.events import Event

SEPARATOR = ":"
ID_FIELDS = ("author", "message_id")  # event fields, besides actor and where, holding ids (a shortcut's message author)
# Web API arguments that hold a channel, member or message id
ID_ARGUMENTS = ("channel", "channel_id", "user", "users", "user_id", "thread_ts", "ts", "message_ts")


def workspace_key(enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> str:
    """An org-wide install answers for every workspace of its org: the org is the key; otherwise the team."""
    if is_enterprise_install and enterprise_id:
        return enterprise_id
    return team_id or enterprise_id or ""


def qualify(key: str, slack_id: str) -> str:
    if not slack_id or not key or SEPARATOR in slack_id:
        return slack_id
    return f"{key}{SEPARATOR}{slack_id}"


def split(core_id: str | None) -> tuple[str | None, str]:
    """`T1:C2` -> ("T1", "C2"); a bare `C2` -> (None, "C2")."""
    key, sep, rest = (core_id or "").partition(SEPARATOR)
    return (key, rest) if sep else (None, core_id or "")


def local(core_id: str | None) -> str:
    """The id Slack knows (what a Block Kit `<#C…>` or `<@U…>` needs)."""
    return split(core_id)[1]


def key_of(*core_ids: str | None) -> str | None:
    """The workspace the first qualified id names (None: all bare, the single-token workspace)."""
    for core_id in core_ids:
        key = split(core_id)[0]
        if key:
            return key
    return None


def sibling(core_id: str | None, slack_id: str | None) -> str | None:
    """A Slack id from the same workspace as `core_id` (a DM channel opened for a member, a message posted in a channel)."""
    key = split(core_id)[0]
    return qualify(key, slack_id) if key and slack_id else slack_id


def posted(target, ts: str | None) -> str | None:
    """The core's id of a message Slack just posted for `target` (a messages.Target)."""
    key = key_of(target.channel, target.direct_to, target.private_to)
    return qualify(key, ts) if key and ts else ts


def event(found: Event | None, key: str) -> Event | None:
    """A translated event with its ids qualified: the event id too, so dedupe never spans workspaces."""
    if found is None or not key:
        return found
    actor = replace(found.actor, user_id=qualify(key, found.actor.user_id))
    where = replace(found.where, channel=qualify(key, found.where.channel),
                    thread=qualify(key, found.where.thread) if found.where.thread else found.where.thread)
    extra = {name: qualify(key, getattr(found, name)) for name in ID_FIELDS if getattr(found, name, None)}
    return replace(found, event_id=f"{key}{SEPARATOR}{found.event_id}", actor=actor, where=where, **extra)


def outbound(kwargs: dict) -> tuple[str | None, dict]:
    """Web API arguments with the workspace stripped from ids, and the workspace they named."""
    key, bare = None, dict(kwargs)
    for name in ID_ARGUMENTS:
        value = bare.get(name)
        if isinstance(value, str) and value:
            found, bare[name] = split(value)
            key = key or found
    return key, bare
