"""Due posts claimed many channels to one statement (records.claim_posts, daily.claim_questions): each row still
stands under UNIQUE(platform, channel, local date, slot), so a channel claimed before is never claimed again."""

from __future__ import annotations

from stardrill import daily
from stardrill.store import records


def test_claim_posts_claims_in_the_order_given_and_leaves_out_what_was_claimed_before(store):
    assert records.claim_post(store, "slack", "C2", "2026-03-02", "daily", "q0", "senior", "t") is not None
    claimed = records.claim_posts(store, "slack", "daily", [(f"C{i}", "2026-03-02", f"q{i}", "senior") for i in range(1, 5)], "t")
    assert sorted(claimed) == ["C1", "C3", "C4"]  # C2 was claimed before
    assert claimed["C1"] < claimed["C3"] < claimed["C4"]
    again = records.claim_posts(store, "slack", "daily", [("C1", "2026-03-02", "q9", "senior"), ("C5", "2026-03-02", "q5", "em")],
                                "t")
    assert list(again) == ["C5"] and again["C5"] > claimed["C4"]
    rows = store.rows("SELECT channel_id, question_id, level FROM posts WHERE channel_id IN ('C1', 'C2', 'C5') ORDER BY id")
    assert [(r["channel_id"], r["question_id"], r["level"]) for r in rows] == [
        ("C2", "q0", "senior"), ("C1", "q1", "senior"), ("C5", "q5", "em")]  # the first claim of each day stands
    assert records.claim_posts(store, "slack", "daily", [], "t") == {}


def test_claim_questions_builds_each_claimed_channels_question(app):
    wanted = [(channel, "2026-03-02", daily.channel_state(app, "console", channel)) for channel in ("a", "b", "c")]
    assert daily.claim_question(app, "console", "b", local_date="2026-03-02") is not None
    found = daily.claim_questions(app, "console", wanted)
    assert sorted(found) == ["a", "c"]
    for channel, message in found.items():
        post = app.store.row("SELECT id, question_id FROM posts WHERE channel_id = ?", (channel,))
        assert message.target.channel == channel and message.track == f"post:{post['id']}"
        assert message.kind == "question" and app.bank.question(post["question_id"]).text in message.text
    assert daily.claim_questions(app, "console", wanted) == {}
