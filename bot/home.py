"""A member's home view: streak, per-criterion trend, next daily question, Practice now, settings; for admins,
the channels' schedules with Pause and Resume.

Built from the same progress snapshot as /stardrill stats, so the two never disagree. Sent when the member
opens their page, after each of their answers, and after every change made from it. Only platforms with a
per-member page get it (Slack's App Home tab); Discord members read the same figures with /stardrill stats.
"""

from __future__ import annotations

from stardrill import workspaces
from stardrill.messages import (
    PRACTICE_NOW, SCHEDULE_PAUSE, SCHEDULE_RESUME, SETTINGS, Button, HomeView, Message, Outbound, Panel, Target,
)
from stardrill.progress import member, queries, stats, streaks
from stardrill.schedules import repo, rules, text as schedule_text
from stardrill.store import records

PLATFORMS = frozenset({"slack"})  # where a member has a page of their own to publish to
TITLE = "Your STAR practice"


def build(app, platform: str, user_id: str, *, admin: bool, notice: str = "") -> HomeView:
    """The whole view for one member; `notice` (a change just made, or why it was not) goes first."""
    snap = _snapshot(app, platform, user_id)
    panels = [Panel("", notice)] if notice else []
    panels += [_practice(snap), *_progress(snap), *_next_questions(app, platform, user_id), _settings(app, snap)]
    if admin:
        panels += _schedules(app, platform, user_id)
    return HomeView(Target(platform, "", private_to=user_id), TITLE, tuple(panels))


def for_event(app, event, notice: str = "") -> HomeView:
    actor = event.actor
    return build(app, actor.platform, actor.user_id, admin=app.is_admin(actor.platform, actor.user_id, actor.is_admin),
                 notice=notice)


def opened(app, event) -> list[Outbound]:
    actor = event.actor
    if actor.platform not in PLATFORMS:
        return []
    records.mark_event(app.store, actor.platform, _opened_key(actor.user_id), app.stamp())  # once per member, ever
    return [for_event(app, event)]


def after_answer(app, event, out: list[Outbound]) -> list[Outbound]:
    """The refreshed view when this event stored an answer of its actor's, if they have ever opened their page.

    Every flow that stores an answer replies with its feedback (kind "feedback": thread, blind form, practice,
    probe replies), so that reply is the sign; a review or a quiz press sends none and publishes nothing. A member
    who never opened the page has none to refresh (opening it publishes a fresh one), and their answers skip
    building it: it would delay the feedback it follows.
    """
    actor = event.actor
    if actor.platform not in PLATFORMS:
        return []
    if not any(isinstance(item, Message) and item.kind == "feedback" for item in out):
        return []
    seen = app.store.row("SELECT 1 AS seen FROM events WHERE platform = ? AND event_id = ?",
                         (actor.platform, _opened_key(actor.user_id)))
    return [for_event(app, event)] if seen else []


def _opened_key(user_id: str) -> str:
    """The member's "has opened their page" mark, kept in the events table (its unique key makes it one row)."""
    return f"home-tab:{user_id}"


def _snapshot(app, platform: str, user_id: str) -> member.Snapshot:
    """What the home shows of member.snapshot: count, streak, recent feedback, interview date.

    It shows no competency coverage or questions coming back, so it skips their queries (the costliest part
    of a snapshot: every answer's feedback is read); it is built again after every answer, before the reply.
    """
    store = app.store
    schedule = queries.home_schedule(store, platform, user_id)
    zone = member.zone_of(schedule)
    today = app.now().astimezone(zone).date()
    streak = streaks.compute(queries.answer_days(store, platform, user_id, zone), streaks.rules_from_schedule(schedule), today)
    return member.Snapshot(
        platform, user_id, today, zone.key, queries.answer_count(store, platform, user_id), streak,
        queries.recent(store, platform, user_id, member.WINDOW), frozenset(), [],
        member.prep_of(queries.user(store, platform, user_id), today),
    )


# -- panels ----------------------------------------------------------------------------------------------------


def _practice(snap: member.Snapshot) -> Panel:
    if snap.answers:
        body = f"{snap.answers} answer(s) so far. A private question with feedback and follow-up probes, in your DM."
    else:
        body = "No answers yet. Answer today's question in its thread, or start a private practice in your DM."
    return Panel("Practice", body, (Button("Practice now", PRACTICE_NOW, ""),))


def _progress(snap: member.Snapshot) -> list[Panel]:
    if not snap.answers:
        return []
    found = [stats.streak_section(snap), stats.trend_section(snap)]
    return [Panel(s.title, s.body) for s in found if s]


def _next_questions(app, platform: str, user_id: str) -> list[Panel]:
    """The next daily question of each scheduled channel the member has answered in."""
    rows = app.store.rows(
        "SELECT s.* FROM schedules s WHERE s.platform = ? AND EXISTS (SELECT 1 FROM answers a WHERE a.platform = s.platform "
        "AND a.user_id = ? AND a.channel_id = s.channel_id AND a.post_id IS NOT NULL) ORDER BY s.channel_id",
        (platform, user_id),
    )
    if not rows:
        return [Panel("Next daily question", "Answer a daily question in a channel; its next question time shows here.")]
    readable = [(row, repo.readable(app.store, row)) for row in rows]  # a row no zone file answers to is skipped
    return [Panel("Next daily question", _next_line(schedule, app.now()), channel=row["channel_id"])
            for row, schedule in readable if schedule is not None]


def _next_line(schedule: repo.Schedule, now) -> str:
    if schedule.rule.paused:
        return "Paused: no question until an admin resumes it."
    fires = rules.next_fires(schedule.rule, now, 1)
    return schedule_text.fire_line(fires[0], schedule.rule.zone) if fires else "None scheduled."


def _settings(app, snap: member.Snapshot) -> Panel:
    user = queries.user(app.store, snap.platform, snap.user_id) or {}
    level = app.level_for(snap.platform, snap.user_id)
    chosen = "" if user.get("level") else " (the default)"
    private = bool(user.get("digest_opt_out"))
    lines = [
        f"Level: {level.name}{chosen}",
        "Privacy: " + ("on, never named in digests or leaderboards" if private else "off, digests and leaderboards may name you"),
        f"Interview date: {snap.prep.on.isoformat()} (in {snap.prep.days_left} day(s))" if snap.prep else "Interview date: none",
    ]
    return Panel("Your settings", "\n".join(lines), (Button("Edit settings", SETTINGS, ""),))


def _schedules(app, platform: str, user_id: str) -> list[Panel]:
    """The schedules of the admin's own workspace: an admin of one workspace never sees another's channels."""
    found = workspaces.schedules_of(app.store, platform, workspaces.of(user_id))
    if not found:
        return [Panel("Channel schedules (admins)", "No channel has a schedule yet: /stardrill schedule 09:00 Europe/Berlin")]
    now = app.now()
    panels = [Panel("Channel schedules (admins)", f"{len(found)} channel(s).")]
    for schedule in found:
        button = (Button("Resume", SCHEDULE_RESUME, schedule.channel) if schedule.rule.paused
                  else Button("Pause", SCHEDULE_PAUSE, schedule.channel))
        # the adapter shows the channel (a Slack channel link), so the line leaves out the core's key for it
        line = schedule_text.describe(schedule, now, count=1, named=False)
        panels.append(Panel("", line, (button,), channel=schedule.channel))
    return panels
