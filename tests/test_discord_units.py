"""Pure parts of the Discord adapter: payload -> core event translation, and core message -> Discord limits."""

from __future__ import annotations

from types import SimpleNamespace as NS

from stardrill.adapters.cli_discord import invite_url, needed_permissions
from stardrill.adapters.discord_adapter import render, translate
from stardrill.events import Where
from stardrill.messages import Button, Choice, Message, Modal, Section, Target, TextInput

STATUSES = ("met", "partly", "missing")


def test_threads_map_to_their_parent_channel_and_dms_are_direct():
    assert translate.where(5, 11, 4, 1) == Where("4", "5")
    assert translate.where(5, 0, None, 1) == Where("5")
    assert translate.where(9, 1, None, None) == Where("9", direct=True)
    assert translate.where(5, None, None, 1) == Where("5", "5")  # uncached: the core checks the thread id


def _message(content: str, channel_type: int, guild: bool = True):
    channel = NS(id=50, type=NS(value=channel_type), parent_id=40 if channel_type == 11 else None)
    author = NS(id=7, display_name="Alice", bot=False)
    return NS(id=99, content=content, channel=channel, author=author, guild=NS(id=1) if guild else None)


def test_only_thread_replies_and_dms_with_text_become_events():
    event = translate.message_event(_message("My answer", 11))
    assert (event.event_id, event.where, event.actor.user_id, event.message_id) == ("message:99", Where("40", "50"), "7", "99")
    assert translate.message_event(_message("chatter", 0)) is None
    assert translate.message_event(_message("", 11)) is None  # no Message Content intent
    assert translate.message_event(_message("hi", 1, guild=False)).where.direct


def test_modal_fields_read_labels_rows_and_folded_selects():
    components = [
        {"type": 18, "component": {"type": 3, "custom_id": "fold:met", "values": ["a", "b"]}},
        {"type": 18, "component": {"type": 3, "custom_id": "fold:partly", "values": ["b"]}},
        {"type": 18, "component": {"type": 3, "custom_id": "choice:c", "values": ["missing"]}},
        {"type": 1, "components": [{"type": 4, "custom_id": "text:comment", "value": "ok"}]},
    ]
    fields = translate.modal_fields(components)
    assert fields == {"a": "met", "b": "met and partly", "c": "missing", "comment": "ok"}


def test_custom_ids_round_trip():
    assert translate.parse_custom_id(translate.custom_id("probe", "12")) == ("probe", "12")
    assert translate.parse_custom_id("other:probe:1") is None


def test_long_content_and_sections_stay_within_discord_limits():
    assert all(len(c) <= 2000 for c in render.split_text("word " * 3000))
    assert "".join(render.split_text("x" * 4500)) == "x" * 4500
    huge = tuple(Section(f"Section {i}", ("line of text " * 20 + "\n") * 40, quote=i % 2 == 0) for i in range(12))
    message = Message(Target("discord", "1"), "T" * 300 + "\nbody", huge, (Button("Go", "probe", "1"),), kind="feedback")
    parts = render.message_parts(message)
    assert len(parts) > 1 and parts[-1].buttons and not parts[0].buttons
    for part in parts:
        embed = part.embed
        assert len(embed) <= 6000 and len(embed.fields) <= 25 and len(embed.title or "") <= 256
        assert len(embed.description or "") <= 4096 and all(len(f.value) <= 1024 and len(f.name) <= 256 for f in embed.fields)


def _modal(n: int) -> Modal:
    fields = tuple(Choice(f"c{i}", f"Criterion number {i} with a rather long label text", STATUSES) for i in range(n))
    return Modal("u", "Review this answer", "review_submit", "7", fields + (TextInput("comment", "Comment", required=False),), "Rate it")


def test_review_modals_fit_five_slots_for_three_to_six_criteria():
    for n in (3, 4, 5, 6):
        modal = render.modal_for(_modal(n)).to_dict()
        assert len(modal["components"]) <= 5 and modal["custom_id"] == "stardrill:review_submit:7"
        selects = [c["component"] for c in modal["components"] if c["type"] == 18 and c["component"]["type"] == 3]
        ids = {s["custom_id"] for s in selects}
        if n <= 4:
            assert ids == {f"choice:c{i}" for i in range(n)}
        else:
            assert ids == {"fold:met", "fold:partly", "fold:missing"}
            assert all(len(s["options"]) == n and s["max_values"] == n for s in selects)
        assert all(len(c["label"]) <= 45 for c in modal["components"] if c["type"] == 18)


def test_invite_url_asks_for_exactly_what_the_bot_uses():
    perms = needed_permissions()
    # view, send, send in threads, create public threads, embed links, read history; manage messages (blind mode)
    assert perms.value == (1 << 10) | (1 << 11) | (1 << 38) | (1 << 35) | (1 << 14) | (1 << 16) | (1 << 13)
    url = invite_url(123)
    assert "client_id=123" in url and "scope=bot+applications.commands" in url and f"permissions={perms.value}" in url
