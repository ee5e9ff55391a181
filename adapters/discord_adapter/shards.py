"""Which Discord gateway shards this process runs: STARDRILL_DISCORD_SHARD_IDS of STARDRILL_DISCORD_SHARD_COUNT.

Discord sends a guild's events to shard (guild_id >> 22) % shard_count and DMs to shard 0. Several
`stardrill run` processes split the shards between them; they share one database, so whatever one
stores (inbox) or queues (outbox) any of them can finish, and every send goes over REST, which
needs no shard. Both settings empty: one process runs as many shards as Discord recommends.
"""

from __future__ import annotations

from dataclasses import dataclass

from stardrill import settings

IDS, COUNT = "STARDRILL_DISCORD_SHARD_IDS", "STARDRILL_DISCORD_SHARD_COUNT"


@dataclass(frozen=True)
class Shards:
    ids: tuple[int, ...] | None = None  # None: all of them
    count: int | None = None  # None: the count Discord recommends (GET /gateway/bot)

    @property
    def partial(self) -> bool:
        """Some shards run in other processes."""
        return self.count is not None and self.ids is not None and len(self.ids) < self.count

    def shard_of(self, guild_id: int | None) -> int:
        """The shard Discord sends this guild's events to (a DM: shard 0)."""
        return 0 if guild_id is None or not self.count else (int(guild_id) >> 22) % self.count

    def holds(self, guild_id: int | None) -> bool:
        return not self.partial or self.shard_of(guild_id) in self.ids

    def client_options(self) -> dict:
        """Keyword arguments for discord.AutoShardedClient."""
        options = {}
        if self.count is not None:
            options["shard_count"] = self.count
        if self.ids is not None:
            options["shard_ids"] = list(self.ids)
        return options

    def describe(self) -> str:
        if self.count is None:
            return "all shards (as many as Discord recommends)"
        if self.ids is None:
            return f"all {self.count} shard(s)"
        return f"shard(s) {', '.join(map(str, self.ids))} of {self.count}"


def from_settings() -> Shards:
    """The two settings, checked: SettingError with one line naming what is wrong."""
    raw_ids = settings.get(IDS).strip()
    count = settings.whole_number(COUNT, minimum=1) if settings.get(COUNT).strip() else None
    if not raw_ids:
        return Shards(None, count)
    if count is None:
        raise settings.SettingError(f"{IDS} needs {COUNT} (the number of shards across all processes), "
                                    f"which is not set")
    ids = parse_ids(raw_ids)
    outside = [i for i in ids if not 0 <= i < count]
    if outside:
        raise settings.SettingError(f"{IDS} names shard {outside[0]}, outside 0 to {count - 1} "
                                    f"({COUNT}={count})")
    return Shards(tuple(sorted(ids)), count)


def parse_ids(raw: str) -> list[int]:
    """'0,2' or '0-3' or '0-3,8': shard numbers, each once."""
    ids: list[int] = []
    for part in raw.split(","):
        ids += _one_part(part.strip(), raw)
    seen: set[int] = set()
    for shard in ids:
        if shard in seen:
            raise settings.SettingError(f"{IDS} names shard {shard} twice in {raw!r}")
        seen.add(shard)
    return ids


def _one_part(part: str, raw: str) -> list[int]:
    low, dash, high = part.partition("-")
    try:
        first = _number(low)
        last = _number(high) if dash else first
    except ValueError:
        raise settings.SettingError(f"{IDS} must be shard numbers such as 0,1 or 0-3, not {raw!r}") from None
    if last < first:
        raise settings.SettingError(f"{IDS} has the range {part!r}, which runs backwards")
    return list(range(first, last + 1))


def _number(text: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()):  # int() would take '+1', ' 1_0' and '٣'
        raise ValueError(text)
    return int(text)
