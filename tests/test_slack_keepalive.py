"""Slack Web API calls reuse one kept-open connection per thread, and keep the SDK's retries and errors."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError

from stardrill.adapters.slack_adapter.runtime import web_client
from tests.fakes.slack_harness import BOT_TOKEN, fake  # noqa: F401 (fixture)


class CountingSlack(BaseHTTPRequestHandler):
    """A minimal Web API over HTTP/1.1 that counts the TCP connections it accepted."""

    protocol_version = "HTTP/1.1"
    connections: list[int] = []
    drop_after_each = False  # close every connection after one answer, without saying so (a server's idle timeout)

    def setup(self) -> None:
        super().setup()
        self.connections.append(1)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"ok": True, "channel": "C1", "ts": "1.1"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if self.drop_after_each:
            self.close_connection = True

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def counting():
    CountingSlack.connections, CountingSlack.drop_after_each = [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingSlack)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_posts_from_one_thread_share_one_connection(counting):
    client = web_client(BOT_TOKEN, f"http://127.0.0.1:{counting.server_port}/api/")
    for i in range(5):
        assert client.chat_postMessage(channel="C1", text=f"post {i}")["ok"]
    assert len(CountingSlack.connections) == 1


def test_clients_of_several_workspaces_share_the_connection(counting):
    url = f"http://127.0.0.1:{counting.server_port}/api/"
    for token in ("xoxb-workspace-one", "xoxb-workspace-two", BOT_TOKEN):
        assert web_client(token, url).chat_postMessage(channel="C1", text="hello")["ok"]
    assert len(CountingSlack.connections) == 1


def test_a_connection_the_server_closed_is_replaced_and_the_call_succeeds(counting):
    CountingSlack.drop_after_each = True
    client = web_client(BOT_TOKEN, f"http://127.0.0.1:{counting.server_port}/api/")
    for i in range(3):
        assert client.chat_postMessage(channel="C1", text=f"post {i}")["ok"]
    assert len(CountingSlack.connections) == 3


def test_rate_limits_are_still_retried_and_errors_still_raised(fake):  # noqa: F811
    client = web_client(BOT_TOKEN, fake.url)
    fake.fail("chat.postMessage", retry_after=0)
    assert client.chat_postMessage(channel="C0TEAM", text="after one 429")["ok"]
    assert [c.status for c in fake.calls if c.method == "chat.postMessage"] == [429, 200]
    fake.fail("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        client.chat_postMessage(channel="C0GONE", text="nowhere")


def test_a_server_that_is_not_there_is_a_connection_error_as_urlopen_reports_it(counting):
    port = counting.server_port
    counting.shutdown()
    counting.server_close()  # nothing listens on the port any more
    client = web_client(BOT_TOKEN, f"http://127.0.0.1:{port}/api/")
    client.retry_handlers = []  # the SDK's connection retries wait between tries; what is raised is the point here
    with pytest.raises(URLError, match="Connection refused"):
        client.chat_postMessage(channel="C1", text="x")
