"""The Web API client's HTTP/1.1 reader against a server that writes exact bytes: chunked bodies, a body that
runs to the close, 1xx before the answer, errors with Retry-After, and bytes that are not HTTP."""

from __future__ import annotations

import http.client

import pytest
from slack_sdk.errors import SlackApiError

from stardrill.adapters import http11
from stardrill.adapters.slack_adapter.runtime import web_client
from tests.fakes.scripted_http import Scripted, answer

OK = b'{"ok": true, "channel": "C1", "ts": "1.1"}'


@pytest.fixture
def scripted():
    servers = []

    def make(*answers):
        server = Scripted(list(answers))
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


def test_a_chunked_answer_and_a_content_length_answer_on_one_connection(scripted):
    chunked = answer("200 OK", ["Content-Type: application/json", "Transfer-Encoding: chunked"],
                     b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (10, OK[:10], len(OK) - 10, OK[10:]))
    plain = answer("200 OK", ["Content-Type: application/json; charset=utf-8", f"Content-Length: {len(OK)}"], OK)
    server = scripted((chunked, False), (plain, False))
    client = web_client("xoxb-test", server.url)
    assert client.chat_postMessage(channel="C1", text="one")["ts"] == "1.1"
    assert client.chat_postMessage(channel="C1", text="two")["ts"] == "1.1"
    assert len(server.requests) == 2 and b"Authorization: Bearer xoxb-test" in server.requests[0]
    assert b'"text": "two"' in server.requests[1] or b'"text":"two"' in server.requests[1]


def test_an_answer_that_runs_to_the_close_then_a_new_connection(scripted):
    to_close = answer("200 OK", ["Content-Type: application/json", "Connection: close"], OK)
    server = scripted((to_close, True), (answer("200 OK", [f"Content-Length: {len(OK)}",
                                                         "Content-Type: application/json"], OK), False))
    client = web_client("xoxb-test", server.url)
    assert client.chat_postMessage(channel="C1", text="one")["ok"] is True
    assert client.chat_postMessage(channel="C1", text="two")["ok"] is True


def test_an_interim_100_is_skipped_and_an_api_error_is_raised_as_the_sdk_does(scripted):
    error = b'{"ok": false, "error": "channel_not_found"}'
    server = scripted((b"HTTP/1.1 100 Continue\r\n\r\n" + answer(
        "200 OK", [f"Content-Length: {len(error)}", "Content-Type: application/json"], error), False))
    with pytest.raises(SlackApiError) as raised:
        web_client("xoxb-test", server.url).chat_postMessage(channel="C404", text="x")
    assert raised.value.response["error"] == "channel_not_found"


def test_a_rate_limit_is_retried_after_its_retry_after(scripted):
    limited = answer("429 Too Many Requests", ["Retry-After: 0", "Content-Length: 2", "Content-Type: application/json"],
                     b"{}")
    ok = answer("200 OK", [f"Content-Length: {len(OK)}", "Content-Type: application/json"], OK)
    server = scripted((limited, False), (ok, False))
    assert web_client("xoxb-test", server.url).chat_postMessage(channel="C1", text="x")["ok"] is True
    assert len(server.requests) == 2


@pytest.mark.parametrize("garbage", [b"SSH-2.0-OpenSSH_9.6\r\n\r\n", b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
                                     b"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n"])
def test_bytes_that_are_not_an_http_answer_are_a_protocol_error(scripted, garbage):
    server = scripted((garbage, True))
    host, port = server.sock.getsockname()
    connection = http11.Connection("http", host, port, 5, None)
    with pytest.raises(http.client.HTTPException):
        connection.request("POST", "/api/chat.postMessage", b"{}", {"Content-Type": "application/json"})
    connection.close()
