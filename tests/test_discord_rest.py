"""Channel posts sent from the sender's thread (adapters/discord_adapter/rest.py): Discord's rate limits kept as
discord.py keeps them, refusals told apart, a kept connection the server closed, against the fake and exact bytes."""

from __future__ import annotations

import asyncio
import json
import time

import discord
import pytest

from stardrill.adapters.discord_adapter.rest import ChannelPoster
from stardrill.ports import DeliveryError
from tests.fakes.discord_harness import Driver, bot, fake, post_question  # noqa: F401
from tests.fakes.scripted_http import Scripted, answer

CREATED = b'{"id": "1234", "channel_id": "42", "content": "hi"}'


def poster_for(monkeypatch, base: str) -> ChannelPoster:
    """A poster over a real discord.py HTTP client (token and user agent as the bot's), pointed at `base`."""
    monkeypatch.setattr(discord.http.Route, "BASE", base.rstrip("/"))
    http = discord.http.HTTPClient(asyncio.new_event_loop())
    http.token = "test-token"
    return ChannelPoster(http)


@pytest.fixture
def scripted():
    servers = []

    def make(*answers):
        servers.append(Scripted(list(answers)))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def created(headers: list[str] | None = None) -> bytes:
    return answer("200 OK", ["Content-Type: application/json", f"Content-Length: {len(CREATED)}", *(headers or [])],
                  CREATED)


def refusal(status: str, body: dict, headers: list[str] | None = None) -> bytes:
    raw = json.dumps(body).encode()
    return answer(status, ["Content-Type: application/json", f"Content-Length: {len(raw)}", *(headers or [])], raw)


def test_a_post_carries_the_bots_token_and_the_json_discord_py_builds(scripted, monkeypatch):
    server = scripted((created(), False))
    poster = poster_for(monkeypatch, server.url + "v10")
    assert poster.post(42, {"content": "hi", "nonce": "n-1", "enforce_nonce": True})["id"] == "1234"
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    assert head.startswith(b"POST /api/v10/channels/42/messages HTTP/1.1")
    assert b"Authorization: Bot test-token" in head and b"User-Agent: DiscordBot" in head
    assert json.loads(body) == {"content": "hi", "nonce": "n-1", "enforce_nonce": True}


def test_discords_429_is_waited_out_and_sent_again(scripted, monkeypatch):
    limited = refusal("429 Too Many Requests", {"message": "You are being rate limited.", "retry_after": 0.2,
                                                "global": False}, ["Via: 1.1 google", "Retry-After: 1"])
    server = scripted((limited, False), (created(), False))
    poster = poster_for(monkeypatch, server.url + "v10")
    started = time.monotonic()
    assert poster.post(42, {"content": "hi"})["id"] == "1234"
    assert time.monotonic() - started >= 0.2 and len(server.requests) == 2


def test_a_429_without_discords_via_header_is_cloudflares_and_never_retried(scripted, monkeypatch):
    server = scripted((refusal("429 Too Many Requests", {"message": "banned"}), False), (created(), False))
    poster = poster_for(monkeypatch, server.url + "v10")
    with pytest.raises(discord.HTTPException) as raised:
        poster.post(42, {"content": "hi"})
    assert raised.value.status == 429 and len(server.requests) == 1


@pytest.mark.parametrize("status, kind", [("403 Forbidden", discord.Forbidden), ("404 Not Found", discord.NotFound),
                                          ("400 Bad Request", discord.HTTPException)])
def test_refusals_are_discord_py_s_exceptions_with_discords_code(scripted, monkeypatch, status, kind):
    server = scripted((refusal(status, {"message": "Missing Access", "code": 50001}), False))
    with pytest.raises(kind) as raised:
        poster_for(monkeypatch, server.url + "v10").post(42, {"content": "hi"})
    assert raised.value.code == 50001 and raised.value.text == "Missing Access" and len(server.requests) == 1


def test_a_kept_connection_the_server_closed_is_replaced_and_the_post_sent_once_more(scripted, monkeypatch):
    server = scripted((created(), True), (created(), False))  # the server ends the first connection after answering
    poster = poster_for(monkeypatch, server.url + "v10")
    assert poster.post(42, {"content": "one"})["id"] == "1234"
    time.sleep(0.05)
    assert poster.post(42, {"content": "two"})["id"] == "1234"
    assert [json.loads(r.partition(b"\r\n\r\n")[2])["content"] for r in server.requests] == ["one", "two"]


def test_nobody_listening_is_a_delivery_error_that_names_the_host(monkeypatch):
    import socket
    spare = socket.create_server(("127.0.0.1", 0))
    port = spare.getsockname()[1]
    spare.close()
    with pytest.raises(DeliveryError, match=f"cannot reach discord at 127.0.0.1:{port}"):
        poster_for(monkeypatch, f"http://127.0.0.1:{port}/api/v10").post(42, {"content": "hi"})


def test_an_emptied_bucket_holds_the_next_post_until_it_resets_so_discord_never_answers_429(fake, bot):
    fake.post_bucket = (2, 0.6)  # 2 posts per channel per 0.6 s, told in X-RateLimit-* headers
    poster = bot.adapter.poster
    channel = int(fake.channel_id)
    started = time.monotonic()
    ids = [poster.post(channel, {"content": f"post {i}"})["id"] for i in range(5)]
    took = time.monotonic() - started
    posts = [c for c in fake.calls if c.method == "POST" and c.path == f"/channels/{channel}/messages"]
    assert len(set(ids)) == 5 and [c.body["content"] for c in posts] == [f"post {i}" for i in range(5)]
    assert [c.status for c in posts] == [200] * 5, "the poster waited for the bucket instead of meeting a 429"
    assert took >= 1.1  # posts 3-4 wait one window, post 5 a second one


def test_a_thread_reply_met_by_a_rate_limit_still_gets_its_feedback_once(app, fake, bot):
    driver = Driver(fake)
    _, thread_id = post_question(app, bot, fake.channel_id)
    fake.post_bucket = (1, 0.5)
    mark = driver.mark()
    for name in ("alice", "bob", "carol"):
        driver.say(name, thread_id, "I led the migration of our billing service and cut failed invoices by 40% in a month.")
    def settled() -> bool:
        return (app.store.row("SELECT COUNT(*) AS n FROM feedback")["n"] == 3
                and app.store.row("SELECT COUNT(*) AS n FROM outbox WHERE status != 'sent'")["n"] == 0)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not settled():
        time.sleep(0.05)
    posts = [c for c in fake.calls[mark:] if c.method == "POST" and c.path == f"/channels/{thread_id}/messages"]
    assert app.store.row("SELECT COUNT(*) AS n FROM feedback")["n"] == 3
    assert len([c for c in posts if c.status == 200]) == 3, "one feedback per answer, none twice"
    assert app.store.row("SELECT COUNT(*) AS n FROM outbox WHERE status != 'sent'")["n"] == 0


def test_bytes_that_are_not_http_are_a_delivery_error_and_the_connection_is_dropped(scripted, monkeypatch):
    server = scripted((b"SSH-2.0-OpenSSH_9.6\r\n\r\n", True), (created(), False))
    poster = poster_for(monkeypatch, server.url + "v10")
    with pytest.raises(DeliveryError, match="cannot reach discord at 127.0.0.1:.*ProtocolError"):
        poster.post(42, {"content": "hi"})
    assert poster.post(42, {"content": "again"})["id"] == "1234"  # a new connection, a normal answer


def test_a_2xx_without_the_created_message_is_not_taken_as_sent(scripted, monkeypatch):
    page = b"<html>welcome to the hotel wifi</html>"
    server = scripted((answer("200 OK", ["Content-Type: text/html", f"Content-Length: {len(page)}"], page), False))
    with pytest.raises(DeliveryError, match="discord answered 200 without the message it created"):
        poster_for(monkeypatch, server.url + "v10").post(42, {"content": "hi"})
