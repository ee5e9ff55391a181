"""Pure rendering of a core HomeView as a Slack App Home tab (`views.publish` with a view of type "home").

Slack limits (docs, 2026-03): a home view holds at most 100 blocks, a section's text 3,000 characters, a header
150; block ids must be unique within the view, action ids within their block. Text goes through
blocks.escape like every other message, so a member's name or a channel summary never pings anyone.
"""

from __future__ import annotations

from stardrill.adapters.slack_adapter import scope
from stardrill.adapters.slack_adapter.blocks import BUTTON_LABEL, BUTTON_VALUE, SECTION_TEXT, cut, escape, plain
from stardrill.messages import HomeView, Panel

MAX_BLOCKS = 100
HEADER = 150


def home_view(view: HomeView) -> dict:
    blocks: list[dict] = [{"type": "header", "text": plain(view.title, HEADER)}]
    for number, panel in enumerate(view.panels):
        if panel.title and number:
            blocks.append({"type": "divider"})
        blocks.extend(panel_blocks(panel, number))
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}


def panel_blocks(panel: Panel, number: int) -> list[dict]:
    title = f"*{escape(panel.title)}*" if panel.title else ""
    if panel.channel:  # a channel link: Slack shows the channel's name to those who can see it
        title = f"{title} <#{scope.local(panel.channel)}>".strip()  # Slack knows the channel without its workspace
    text = "\n".join(part for part in (title, escape(panel.body)) if part)
    blocks = [{"type": "section", "block_id": f"panel_{number}", "text": {"type": "mrkdwn", "text": cut(text, SECTION_TEXT)}}]
    if panel.buttons:
        elements = [{"type": "button", "action_id": b.action, "value": cut(b.value, BUTTON_VALUE),
                     "text": plain(b.label, BUTTON_LABEL)} for b in panel.buttons]
        blocks.append({"type": "actions", "block_id": f"panel_{number}_buttons", "elements": elements})
    return blocks
