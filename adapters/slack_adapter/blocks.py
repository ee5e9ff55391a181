"""Pure rendering: core Message / Modal -> Block Kit payloads and views.

Every piece of text that reaches Slack as mrkdwn goes through `escape`, so a quoted answer holding
`<!channel>` or `<@U123>` shows as text and pings nobody (never link_names / parse=full).
"""

from __future__ import annotations

from stardrill.adapters.text_limits import split_text

from dataclasses import dataclass, field

from stardrill.messages import Choice, Message, Modal, Section, TextInput

# Slack limits (docs + what was seen, 2026-03): section text <= 3,000 chars; <= 50 blocks a message;
# `text` truncated past 40,000; an undocumented total around 13k chars of blocks fails with
# msg_blocks_too_long, so one message carries at most ~11k chars and the rest continues in the next.
SECTION_TEXT = 3000
MAX_BLOCKS = 50
MAX_TEXT = 40000
MESSAGE_CHARS = 11000
FALLBACK_TEXT = 3000  # the notification text; the blocks carry the content
BUTTON_LABEL = 75
BUTTON_VALUE = 2000
MAX_BUTTONS = 25
MODAL_TITLE = 24
MODAL_LABEL = 2000
INPUT_MAX = 3000  # plain_text_input max_length ceiling
RADIO_MAX = 10  # radio_buttons hold at most 10 options; more become a static_select


def escape(text: str) -> str:
    """Slack's three control characters; mention tokens become inert text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


chunks = split_text  # Slack's limits are passed by the callers


def section_text(section: Section) -> str:
    body = escape(section.body)
    if section.quote:  # user-written text: a blockquote, escaped like everything else
        body = "\n".join(f">{line}" for line in body.split("\n"))
    title = f"*{escape(section.title)}*\n" if section.title else ""
    return title + body


def text_blocks(text: str) -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": part}} for part in chunks(text, SECTION_TEXT) if part.strip()]


def button_block(message: Message) -> dict:
    elements = [
        {"type": "button", "action_id": b.action, "value": cut(b.value, BUTTON_VALUE),
         "text": {"type": "plain_text", "text": cut(b.label, BUTTON_LABEL)}}
        for b in message.buttons[:MAX_BUTTONS]
    ]
    return {"type": "actions", "block_id": "stardrill_buttons", "elements": elements}


@dataclass
class Payload:
    """One chat.postMessage / postEphemeral body: fallback text + blocks."""

    text: str
    blocks: list[dict] = field(default_factory=list)


def content_blocks(message: Message) -> list[dict]:
    lead = message.text.split("\n", 1)[0] if message.sections else message.text
    blocks = text_blocks(f"*{escape(lead)}*" if message.sections else escape(lead))
    for section in message.sections:
        blocks.extend(text_blocks(section_text(section)))
    return blocks


def block_chars(block: dict) -> int:
    return len(block.get("text", {}).get("text", "")) + 100  # the JSON around it counts too


def message_payloads(message: Message) -> list[Payload]:
    """A core Message -> one or more payloads within Slack's limits; the buttons go on the last one."""
    room = MAX_BLOCKS - (1 if message.buttons else 0)
    payloads: list[Payload] = [Payload(cut(escape(message.text), FALLBACK_TEXT))]
    size = 0
    for block in content_blocks(message):
        current = payloads[-1]
        if current.blocks and (len(current.blocks) >= room or size + block_chars(block) > MESSAGE_CHARS):
            payloads.append(Payload("(continued)"))
            size = 0
        payloads[-1].blocks.append(block)
        size += block_chars(block)
    if message.buttons:
        payloads[-1].blocks.append(button_block(message))
    return payloads


def plain(text: str, limit: int) -> dict:
    # plain_text is shown verbatim (never parsed for mentions), so it needs no escaping
    return {"type": "plain_text", "text": cut(text, limit) or " "}


def choice_element(choice: Choice) -> dict:
    options = [{"text": plain(o, 75), "value": o} for o in choice.options]
    kind = "radio_buttons" if len(options) <= RADIO_MAX else "static_select"
    element = {"type": kind, "action_id": choice.id, "options": options}
    if kind == "static_select":
        element["placeholder"] = plain("Choose", 150)
    chosen = [o for o in options if o["value"] == choice.initial]
    if chosen:  # the current value, selected when the form opens
        element["initial_option"] = chosen[0]
    return element


def input_block(item: Choice | TextInput) -> dict:
    if isinstance(item, Choice):
        element = choice_element(item)
    else:
        element = {"type": "plain_text_input", "action_id": item.id, "multiline": item.multiline,
                   "max_length": min(item.max_length, INPUT_MAX)}
        if item.initial:
            element["initial_value"] = item.initial[:INPUT_MAX]
    return {"type": "input", "block_id": item.id, "optional": not item.required,
            "label": plain(item.label, MODAL_LABEL), "element": element}


def modal_view(modal: Modal, metadata: str) -> dict:
    """A core Modal -> a views.open view; `metadata` rides along in private_metadata."""
    blocks = text_blocks(escape(modal.intro)) if modal.intro else []
    blocks += [input_block(item) for item in modal.fields]
    return {
        "type": "modal",
        "callback_id": modal.action,
        "private_metadata": metadata,
        "title": plain(modal.title, MODAL_TITLE),
        "submit": plain("Submit", MODAL_TITLE),
        "close": plain("Cancel", MODAL_TITLE),
        "blocks": blocks[:100],
    }
