"""`/stardrill stats` and `stardrill stats --user`: a member's progress as core sections (private)."""

from __future__ import annotations

from stardrill.content_models import AREAS, LEADERSHIP_PRINCIPLES
from stardrill.feedback.fingerprint import ENGINE
from stardrill.messages import Message, Section, Target
from stardrill.progress import member, prep, stories, tracked
from stardrill.render import seconds_label


def build(app, platform: str, user_id: str, target: Target, channel: str | None = None) -> Message:
    snap = member.snapshot(app, platform, user_id, channel)
    if snap.answers == 0:
        text = "No answers yet. Reply to today's question in its thread, or start a private /practice."
        sections = []
    else:
        text = f"Your progress: {snap.answers} answer(s); streak {snap.streak.current} day(s) (longest {snap.streak.longest})."
        sections = [streak_section(snap), trend_section(snap), coverage_section(snap), timing_section(snap),
                    reviews_section(snap)]
    story = stories.section(stories.portfolio(app, platform, user_id))
    if snap.prep:
        sections.append(Section("Interview prep", "\n".join(prep.plan_lines(app, snap))))
    sections.append(story)
    return Message(target, text, tuple(s for s in sections if s), kind="stats")


def streak_section(snap: member.Snapshot) -> Section:
    s = snap.streak
    lines = [f"{s.current} day(s) in a row; your longest is {s.longest}."]
    if s.current and not s.answered_today:
        lines.append(f"Answer today to make it {s.current + 1}.")
    for day in s.freezes:
        lines.append(f"A streak freeze covered {day.strftime('%a %d %b')} (one is earned each week).")
    lines.append(f"Counted on {snap.zone} days; weekends and skipped days never break a streak.")
    return Section("Streak", "\n".join(lines))


def trend_section(snap: member.Snapshot) -> Section | None:
    bodies = [r["body"] for r in reversed(snap.recent) if r["body"]]  # oldest first
    if not bodies:
        return None
    lines = [f"{tracked.label(c)}: met in {_met(bodies, c)} of {len(bodies)}{_direction(bodies, c)}" for c in tracked.TRACKED]
    older = sum(1 for b in bodies if b.get("engine") != ENGINE)
    if older:  # an upgrade changed the engine: the trend would compare two scales without saying so
        lines.append(f"{older} of these were judged by an earlier version of the feedback, so the trend mixes two "
                     "scales; `stardrill db rescore`, run where Stardrill is hosted, judges them again.")
    return Section(f"Your last {len(bodies)} answer(s), per criterion", "\n".join(lines))


def _met(bodies: list[dict], criterion: str) -> int:
    return sum(1 for b in bodies if tracked.status(b, criterion) == "met")


def _direction(bodies: list[dict], criterion: str) -> str:
    """Compare the older half with the newer half; worded to encourage, never to scold."""
    if len(bodies) < 4:
        return ""
    half = len(bodies) // 2
    older = sum(tracked.ratio(b, criterion) for b in bodies[:half]) / half
    newer = sum(tracked.ratio(b, criterion) for b in bodies[-half:]) / half
    if newer - older >= 0.1:
        return " — improving"
    if older - newer >= 0.1:
        return " — worth another rep"
    return " — steady"


def coverage_section(snap: member.Snapshot) -> Section:
    done = [LEADERSHIP_PRINCIPLES[p] for p in LEADERSHIP_PRINCIPLES if p in snap.practised]
    never = [LEADERSHIP_PRINCIPLES[p] for p in snap.never_practised_principles()]
    areas = [AREAS[a] for a in AREAS if a in snap.practised]
    lines = [f"Leadership Principles practised: {len(done)} of {len(LEADERSHIP_PRINCIPLES)}" + (f" ({', '.join(done)})" if done else "")]
    if never:
        lines.append("Never practised yet: " + ", ".join(never))
    lines.append(f"Other competencies practised: {len(areas)} of {len(AREAS)}" + (f" ({', '.join(areas[:8])})" if areas else ""))
    return Section("Competencies", "\n".join(lines))


LONG, SHORT = 1.25, 0.6  # of the answer's target time: longer is long, shorter is short; in between is on target


def timing_section(snap: member.Snapshot) -> Section | None:
    """The spread of the member's speaking times and how many landed on target: an average hides 6 min next to 18 s."""
    timed = [r["body"] for r in snap.recent if r["body"].get("estimated_seconds")]
    if not timed:
        return None
    spoken = sorted(b["estimated_seconds"] for b in timed)
    middle = spoken[len(spoken) // 2]
    ran = f"Your last {len(timed)} answer(s) ran from {seconds_label(spoken[0])} to {seconds_label(spoken[-1])} (middle {seconds_label(middle)})"
    targets = sorted(b.get("target_seconds", 0) for b in timed)
    target = targets[len(targets) // 2]
    if not target:
        return Section("Speaking time", ran + ".")
    long = sum(1 for b in timed if b.get("target_seconds") and b["estimated_seconds"] > LONG * b["target_seconds"])
    short = sum(1 for b in timed if b.get("target_seconds") and b["estimated_seconds"] < SHORT * b["target_seconds"])
    within = len(timed) - long - short
    line = (f"{ran} against a {seconds_label(target)} target: {within} of {len(timed)} within it "
            f"({seconds_label(int(SHORT * target))} to {seconds_label(int(LONG * target))}), {long} long, {short} short.")
    if long > within and long >= short:
        line += " Shorten the setup and keep the action."
    elif short > within:
        line += " Room for the result in numbers and what you learned."
    return Section("Speaking time", line)


def reviews_section(snap: member.Snapshot) -> Section | None:
    due, pending = snap.due(), snap.pending
    if not pending:
        return None
    if due:
        misses = sorted({tracked.label(c) for r in due for c in r.unmet[:1]})
        line = f"{len(due)} question(s) are due for another try (/practice brings them back); to work on: {', '.join(misses)}."
    else:
        line = f"{len(pending)} question(s) will come back for another try; the next on {pending[0].due_on.isoformat()}."
    return Section("Coming back", line)
