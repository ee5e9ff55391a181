"""The weekly channel digest and the opt-in participation leaderboard. Counts and names, never scores.

`build_digest(app, platform, channel, week_end)` is what a weekly job calls: None when the channel
has not opted in (`/stardrill digest on`) or had no answers that week. Members with privacy on
(users.digest_opt_out) are never named; they still count, anonymously, in totals.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from stardrill.messages import Message, Section, Target
from stardrill.progress import tracked
from stardrill.store import records

NAMED = 8  # names listed before "and N more"


def build_digest(app, platform: str, channel: str, week_end: date | str, *, force: bool = False) -> Message | None:
    """The digest for the 7 local days ending on `week_end` (inclusive). `force` builds it even when the
    channel has not opted in or the week was quiet (`/stardrill digest now`)."""
    end = date.fromisoformat(week_end) if isinstance(week_end, str) else week_end
    start = end - timedelta(days=6)
    row = records.ensure_channel(app.store, platform, channel, app.stamp())
    answers = week_answers(app.store, platform, channel, start, end)
    if not force and (not row["digest"] or not answers):
        return None
    target = Target(platform, channel)
    title = f"Weekly digest, {start.isoformat()} to {end.isoformat()}"
    if not answers:
        return Message(target, f"{title}: a quiet week, no answers yet.", kind="digest")
    sections = [participation(answers), improved(answers, week_answers(app.store, platform, channel, start - timedelta(days=7), start - timedelta(days=1)))]
    discussion = best_discussion(app, platform, channel, start, end)
    if discussion:
        sections.append(discussion)
    if row["leaderboard"]:
        sections.append(leaderboard(answers))
    return Message(target, f"{title}: {len({a['user_id'] for a in answers})} member(s) answered.", tuple(sections), kind="digest")


def week_answers(store, platform: str, channel: str, start: date, end: date) -> list[dict]:
    """Top-level answers to this channel's questions between two local dates (inclusive)."""
    rows = store.rows(
        "SELECT a.user_id, a.local_date, a.post_id, f.body, u.name, COALESCE(u.digest_opt_out, 0) AS opted_out "
        "FROM answers a JOIN posts p ON p.id = a.post_id LEFT JOIN feedback f ON f.answer_id = a.id "
        "LEFT JOIN users u ON u.platform = a.platform AND u.user_id = a.user_id "
        "WHERE a.platform = ? AND a.channel_id = ? AND a.local_date BETWEEN ? AND ? "
        # a blind answer counts once it is revealed: before the wrap-up nobody may learn who answered
        "AND a.probe_index IS NULL AND (a.hidden = 0 OR p.status = 'wrapped') ORDER BY a.id",
        (platform, channel, start.isoformat(), end.isoformat()),
    )
    for row in rows:
        row["body"] = json.loads(row["body"]) if row["body"] else {}
    return rows


def _named(answers: list[dict]) -> list[str]:
    """Display names of members who may be named, in order of first answer this week."""
    seen: dict[str, str] = {}
    for a in answers:
        if not a["opted_out"]:
            seen.setdefault(a["user_id"], a["name"] or a["user_id"])
    return list(seen.values())


def participation(answers: list[dict]) -> Section:
    members = {a["user_id"] for a in answers}
    days = {a["local_date"] for a in answers}
    lines = [f"{len(answers)} answer(s) from {len(members)} member(s) over {len(days)} day(s)."]
    names = _named(answers)
    if names:
        more = len(members) - len(names[:NAMED])
        lines.append("Thanks for answering: " + ", ".join(names[:NAMED]) + (f" and {more} more" if more else "") + ".")
    return Section("Participation", "\n".join(lines))


def _met_rate(answers: list[dict], criterion: str) -> float | None:
    bodies = [a["body"] for a in answers if a["body"]]
    return sum(tracked.status(b, criterion) == "met" for b in bodies) / len(bodies) if bodies else None


def improved(this_week: list[dict], last_week: list[dict]) -> Section:
    """The criterion whose team met-rate rose most since last week (else this week's strongest)."""
    rates = {c: _met_rate(this_week, c) or 0.0 for c in tracked.TRACKED}
    before = {c: _met_rate(last_week, c) for c in tracked.TRACKED}
    gains = {c: rates[c] - before[c] for c in tracked.TRACKED if before[c] is not None}
    best = max(gains, key=lambda c: (gains[c], rates[c]), default=None)
    if best is not None and gains[best] > 0:
        line = (f"{tracked.label(best)}: met in {rates[best]:.0%} of answers, up from {before[best]:.0%} last week.")
        return Section("Most improved", line)
    strongest = max(tracked.TRACKED, key=lambda c: rates[c])
    return Section("Strongest this week", f"{tracked.label(strongest)}: met in {rates[strongest]:.0%} of answers.")


def best_discussion(app, platform: str, channel: str, start: date, end: date) -> Section | None:
    row = app.store.row(
        "SELECT p.id, p.question_id, COUNT(r.id) AS reviews FROM posts p JOIN answers a ON a.post_id = p.id "
        "JOIN reviews r ON r.answer_id = a.id WHERE p.platform = ? AND p.channel_id = ? AND p.local_date BETWEEN ? AND ? "
        "GROUP BY p.id ORDER BY reviews DESC, p.id LIMIT 1",
        (platform, channel, start.isoformat(), end.isoformat()),
    )
    if not row:
        return None
    question = app.bank.questions.get(row["question_id"])
    text = question.text if question else row["question_id"]
    return Section("Best discussion", f"{text} — {row['reviews']} peer review(s).")


def leaderboard(answers: list[dict]) -> Section:
    """Participation only (answers and days answered), never scores; opted-out members are left out."""
    tally: dict[str, dict] = {}
    for a in answers:
        if a["opted_out"]:
            continue
        entry = tally.setdefault(a["user_id"], {"name": a["name"] or a["user_id"], "answers": 0, "days": set()})
        entry["answers"] += 1
        entry["days"].add(a["local_date"])
    ranked = sorted(tally.values(), key=lambda e: (-len(e["days"]), -e["answers"], e["name"]))
    lines = [f"{i}. {e['name']}: {e['answers']} answer(s) on {len(e['days'])} day(s)" for i, e in enumerate(ranked[:10], 1)]
    return Section("Participation board (answers and days, not scores)", "\n".join(lines) or "Nobody to list this week.")
