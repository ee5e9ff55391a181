"""What claiming a batch of due channels reads, in three queries for the batch instead of about ten per channel.

Run inside the batch's write transaction, so nothing read can change before the claims commit
(on SQLite the transaction holds the write lock; on any store the UNIQUE claim stays the guard).
"""

from __future__ import annotations

from stardrill import daily


def channel_states(app, platform: str, channels: list[str]) -> dict[str, daily.ChannelState]:
    """daily.ChannelState for each channel, as daily.channel_state would read it one by one."""
    if not channels:
        return {}
    rows = _channel_rows(app, platform, channels)
    asked: dict[str, list[str]] = {c: [] for c in channels}
    latest: dict[str, dict] = {}
    for post in app.store.rows(
        f"SELECT id, channel_id, question_id, status FROM posts WHERE platform = ? AND channel_id IN ({_marks(channels)}) "
        "ORDER BY id", (platform, *channels),
    ):
        asked[post["channel_id"]].append(post["question_id"])
        if post["status"] != "failed":
            latest[post["channel_id"]] = post
    weak = _weak(app, platform, channels)
    return {c: daily.ChannelState(rows[c], asked[c], weak.get(c, []), latest.get(c)) for c in channels}


def _channel_rows(app, platform: str, channels: list[str]) -> dict[str, dict]:
    found = _read_channels(app, platform, channels)
    missing = [c for c in channels if c not in found]
    if missing:  # first sight of these channels: created with defaults, as records.ensure_channel does (one statement)
        stamp = app.stamp()
        app.store.execute(
            f"INSERT INTO channels (platform, channel_id, created_at) VALUES {', '.join(['(?, ?, ?)'] * len(missing))} "
            "ON CONFLICT (platform, channel_id) DO NOTHING", [value for c in missing for value in (platform, c, stamp)])
        found.update(_read_channels(app, platform, missing))
    return found


def _read_channels(app, platform: str, channels: list[str]) -> dict[str, dict]:
    return {r["channel_id"]: r for r in app.store.rows(
        f"SELECT * FROM channels WHERE platform = ? AND channel_id IN ({_marks(channels)})", (platform, *channels))}


def _weak(app, platform: str, channels: list[str]) -> dict[str, list[str]]:
    """daily.weak_team_competencies per channel: each one's last WEAK_WINDOW scored questions."""
    scored: dict[str, list[dict]] = {}
    for row in app.store.rows(
        "SELECT p.channel_id, p.question_id, AVG(f.score) AS avg FROM posts p JOIN answers a ON a.post_id = p.id "
        f"JOIN feedback f ON f.answer_id = a.id WHERE p.platform = ? AND p.channel_id IN ({_marks(channels)}) "
        "GROUP BY p.id ORDER BY p.id DESC", (platform, *channels),
    ):
        recent = scored.setdefault(row["channel_id"], [])
        if len(recent) < daily.WEAK_WINDOW:
            recent.append(row)
    return {channel: daily.weakest_first(app, rows) for channel, rows in scored.items()}


def _marks(values: list) -> str:
    return ", ".join("?" for _ in values)
