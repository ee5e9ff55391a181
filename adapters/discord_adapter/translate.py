"""Pure translation from Discord objects and payloads to core events (no I/O, no client state).

Functions read plain attributes of discord.py objects (or the raw interaction data dict), so tests
can feed them recorded payloads or tiny stand-ins.
"""

from __future__ import annotations

from stardrill.events import Actor, ButtonPressed, CommandInvoked, MessagePosted, ModalSubmitted, Where

PLATFORM = "discord"
PREFIX = "stardrill"
THREAD_TYPES = {10, 11, 12}  # news, public and private threads
DM_TYPES = {1, 3}  # DM and group DM
# A select folded from several Choices: its values are choice ids, all rated with one option.
FOLD, CHOICE, TEXT = "fold", "choice", "text"
BUTTON = 2  # message component type of a button


def custom_id(action: str, value: str) -> str:
    """Stable custom id for buttons and modals, so they keep working after a restart."""
    return f"{PREFIX}:{action}:{value}"


def parse_custom_id(raw: str) -> tuple[str, str] | None:
    prefix, _, rest = raw.partition(":")
    action, _, value = rest.partition(":")
    return (action, value) if prefix == PREFIX and action else None


def where(channel_id, channel_type: int | None, parent_id, guild_id) -> Where:
    """Where an event happened: a thread maps to (parent channel, thread id); no guild means a DM."""
    if guild_id is None or channel_type in DM_TYPES:
        return Where(str(channel_id), direct=True)
    if channel_type in THREAD_TYPES:
        return Where(str(parent_id or channel_id), str(channel_id))
    if channel_type is None:
        # Not in the cache (e.g. a thread we never saw created): it may be one of our question
        # threads; the core looks the thread id up and ignores it otherwise.
        return Where(str(channel_id), str(channel_id))
    return Where(str(channel_id))


def _channel_where(channel, guild_id) -> Where:
    kind = getattr(getattr(channel, "type", None), "value", None)
    return where(channel.id, kind, getattr(channel, "parent_id", None), guild_id)


def actor(user, is_admin: bool = False) -> Actor:
    name = getattr(user, "display_name", None) or getattr(user, "name", "") or str(user.id)
    return Actor(PLATFORM, str(user.id), name, is_admin=is_admin, is_bot=bool(getattr(user, "bot", False)))


def message_event(message) -> MessagePosted | None:
    """A MESSAGE_CREATE worth the core's attention: thread replies and DMs with text; None otherwise."""
    guild_id = getattr(message, "guild", None) and message.guild.id
    at = _channel_where(message.channel, guild_id)
    if not at.direct and at.thread is None:
        return None  # ordinary channel chatter: never stored, never answered
    if not (message.content or "").strip():
        return None  # no Message Content intent (or an image-only post): nothing to give feedback on
    # A guild thread message can be deleted by the bot (Manage Messages, in the invite's permissions): blind mode does.
    return MessagePosted(f"message:{message.id}", actor(message.author), at, message.content, str(message.id),
                         removable=not at.direct)


def is_admin(interaction) -> bool:
    """Manage Server in that guild; the core re-checks ADMIN_ONLY with this flag server-side."""
    if interaction.guild_id is None:
        return False
    return bool(interaction.permissions.manage_guild)


def interaction_where(interaction) -> Where:
    channel = interaction.channel
    if channel is None:
        return where(interaction.channel_id, None, None, interaction.guild_id)
    return _channel_where(channel, interaction.guild_id)


def _base(interaction) -> tuple[str, Actor, Where]:
    who = actor(interaction.user, is_admin=is_admin(interaction))
    return f"interaction:{interaction.id}", who, interaction_where(interaction)


def command_event(interaction, name: str, args: str = "") -> CommandInvoked:
    event_id, who, at = _base(interaction)
    return CommandInvoked(event_id, who, at, name, " ".join(args.split()))


def component_event(interaction) -> ButtonPressed | None:
    """A press of one of our buttons (custom id "stardrill:<action>:<value>"); None for anything else."""
    data = interaction.data or {}
    parsed = parse_custom_id(data.get("custom_id", "")) if data.get("component_type") == BUTTON else None
    if parsed is None:
        return None
    event_id, who, at = _base(interaction)
    return ButtonPressed(event_id, who, at, parsed[0], parsed[1])


def modal_event(interaction) -> ModalSubmitted | None:
    data = interaction.data or {}
    parsed = parse_custom_id(data.get("custom_id", ""))
    if parsed is None:
        return None
    event_id, who, at = _base(interaction)
    return ModalSubmitted(event_id, who, at, parsed[0], parsed[1], modal_fields(data.get("components", [])))


def modal_fields(components: list[dict]) -> dict[str, str]:
    """Field values from a MODAL_SUBMIT payload (action rows, labels, text inputs, string selects)."""
    fields: dict[str, str] = {}
    for leaf in _leaves(components):
        kind, _, ident = leaf.get("custom_id", "").partition(":")
        if kind == TEXT:
            fields[ident] = leaf.get("value") or ""
        elif kind == CHOICE:
            fields[ident] = (leaf.get("values") or [""])[0]
        elif kind == FOLD:
            for choice in leaf.get("values") or []:
                # Picked in two lists: pass the clash on; the core rejects it with a clear message.
                fields[choice] = f"{fields[choice]} and {ident}" if choice in fields else ident
    return fields


def _leaves(components: list[dict]):
    for component in components:
        if component.get("type") == 1:
            yield from _leaves(component.get("components", []))
        elif component.get("type") == 18:
            yield from _leaves([component["component"]])
        else:
            yield component
