"""Pure rendering of core messages and modals to Discord embeds, views and modals (no I/O).

Discord limits (docs, checked 2026-03): content 2,000 chars; per message 10 embeds and 6,000
embed chars together; title 256, description 4,096, 25 fields, field name 256, value 1,024;
modal title and label text 45, label description 100, at most 5 top-level modal components.
"""

from __future__ import annotations

from stardrill.adapters.text_limits import split_text as split_lines

from dataclasses import dataclass, field

import discord

from stardrill.adapters.discord_adapter.translate import CHOICE, FOLD, TEXT, custom_id
from stardrill.messages import Attachment, Button, Choice, Message, Modal, Section, TextInput

CONTENT_MAX, TITLE_MAX, DESCRIPTION_MAX = 2000, 256, 4096
FIELD_NAME_MAX, FIELD_VALUE_MAX, FIELDS_MAX, EMBED_TOTAL_MAX = 256, 1024, 25, 6000
MODAL_TITLE_MAX, LABEL_MAX, LABEL_DESCRIPTION_MAX, MODAL_SLOTS = 45, 45, 100, 5
THREAD_NAME_MAX = 100
MODAL_TIMEOUT = 15 * 60  # the interaction token's life; forms left open longer are handled by custom id anyway
COLOURS = {"question": 0x5865F2, "practice": 0x5865F2, "feedback": 0x57F287, "probe": 0xFEE75C, "error": 0xED4245,
           "wrapup": 0xEB459E, "review": 0x57F287}
FOOTER = "Stardrill · {track}"


@dataclass
class Part:
    """One Discord message: content and/or one embed; buttons ride on the last part."""

    content: str = ""
    embed: discord.Embed | None = None
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    attachment: Attachment | None = None  # a file, on the last part (ephemeral replies can carry files too)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_text(text: str, limit: int = CONTENT_MAX) -> list[str]:
    return split_lines(text, limit)


def footer_for(track: str) -> str:
    return FOOTER.format(track=track)


def message_parts(message: Message) -> list[Part]:
    """A core message as one or more Discord messages within every size limit."""
    if not message.sections:
        parts = [Part(content=chunk) for chunk in split_text(message.text)]
    else:
        parts = [Part(embed=e) for e in _embeds(message)]
    parts[-1].buttons = message.buttons
    parts[-1].attachment = message.attachment
    return parts


def _head(message: Message) -> discord.Embed:
    first, _, rest = message.text.partition("\n")
    description = rest if len(first) <= TITLE_MAX else message.text
    embed = discord.Embed(title=clip(first, TITLE_MAX), description=clip(description, DESCRIPTION_MAX) or None,
                          colour=COLOURS.get(message.kind, 0x99AAB5))
    if message.track:
        embed.set_footer(text=footer_for(message.track))
    return embed


def _fields(section: Section) -> list[tuple[str, str]]:
    body = section.body.strip() or "\u200b"
    if section.quote:
        body = "\n".join(f"> {line}" for line in body.splitlines())
    chunks = split_text(body, FIELD_VALUE_MAX)
    name = clip(section.title, FIELD_NAME_MAX - 10)
    return [(name if i == 0 else f"{name} (cont.)", chunk or "\u200b") for i, chunk in enumerate(chunks)]


def _embeds(message: Message) -> list[discord.Embed]:
    embeds = [_head(message)]
    for section in message.sections:
        for name, value in _fields(section):
            current = embeds[-1]
            if len(current.fields) >= FIELDS_MAX or len(current) + len(name) + len(value) > EMBED_TOTAL_MAX - 100:
                # One embed per Discord message keeps every message under the 6,000-char total.
                current = discord.Embed(title="(continued)", colour=current.colour)
                embeds.append(current)
            current.add_field(name=name, value=value, inline=False)
    return embeds


class ButtonRow(discord.ui.View):
    """Buttons as components only: presses are read by custom id in the client's on_interaction.

    Not dispatchable, so discord.py's in-memory view store never claims a press (no dynamic-item
    lookup and extra task per press): the press goes straight to on_interaction, and a button keeps
    working after a restart because nothing about it lives in memory.
    """

    def is_dispatchable(self) -> bool:
        return False


def view_for(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """Persistent buttons: custom ids "stardrill:<action>:<value>", at most 25 (5 rows of 5)."""
    if not buttons:
        return None
    view = ButtonRow(timeout=None)
    for i, b in enumerate(buttons[:25]):
        style = discord.ButtonStyle.primary if i == 0 else discord.ButtonStyle.secondary
        view.add_item(discord.ui.Button(label=clip(b.label, 80), style=style, custom_id=custom_id(b.action, b.value)))
    return view


def thread_name(message: Message) -> str:
    return clip(message.text.replace("\n", " "), THREAD_NAME_MAX)


# -- modals -------------------------------------------------------------------------------------------


def modal_for(modal: Modal) -> discord.ui.Modal:
    """The core's form as a Discord modal: one input per field when they fit in 5 slots, else folded."""
    view = discord.ui.Modal(title=clip(modal.title, MODAL_TITLE_MAX), custom_id=custom_id(modal.action, modal.value),
                            timeout=MODAL_TIMEOUT)
    choices = [f for f in modal.fields if isinstance(f, Choice)]
    texts = [f for f in modal.fields if isinstance(f, TextInput)]
    if len(choices) + len(texts) <= MODAL_SLOTS:
        items, intro = [_choice_label(c) for c in choices] + [_text_label(t) for t in texts], modal.intro
    else:
        items = _folded(choices) + [_text_label(t) for t in texts]
        intro = (modal.intro + "\n\n" if modal.intro else "") + "Put each criterion in exactly one list."
    if intro and len(items) < MODAL_SLOTS:
        view.add_item(discord.ui.TextDisplay(clip(intro, 4000)))
    for item in items:
        view.add_item(item)
    return view


def _label(text: str, component) -> discord.ui.Label:
    description = clip(text, LABEL_DESCRIPTION_MAX) if len(text) > LABEL_MAX else None
    return discord.ui.Label(text=clip(text, LABEL_MAX), description=description, component=component)


def _choice_label(choice: Choice) -> discord.ui.Label:
    options = [discord.SelectOption(label=o, value=o) for o in choice.options]
    select = discord.ui.Select(custom_id=f"{CHOICE}:{choice.id}", options=options, required=choice.required)
    return _label(choice.label, select)


def _text_label(text: TextInput) -> discord.ui.Label:
    style = discord.TextStyle.paragraph if text.multiline else discord.TextStyle.short
    component = discord.ui.TextInput(custom_id=f"{TEXT}:{text.id}", style=style, required=text.required,
                                     max_length=min(text.max_length, 4000))
    return _label(text.label, component)


def _folded(choices: list[Choice]) -> list[discord.ui.Label]:
    """More choices than slots (a question has up to 6 criteria): one multi-select per option instead.

    Each list holds every choice; a choice picked in a list gets that option. The core rejects a
    choice left out or picked twice, with a message naming it.
    """
    if len({c.options for c in choices}) != 1 or len(choices) > 25:
        raise ValueError("folding needs choices that share their options (at most 25)")
    options = choices[0].options
    labels = []
    for option in options:
        items = [discord.SelectOption(label=clip(c.label, 100), value=c.id) for c in choices]
        select = discord.ui.Select(custom_id=f"{FOLD}:{option}", options=items, min_values=0, max_values=len(items),
                                   required=False, placeholder=f"Criteria that are {option}")
        labels.append(_label(f"{option.capitalize()}: pick the criteria", select))
    return labels
