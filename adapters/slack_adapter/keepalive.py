"""A slack_sdk WebClient that keeps its HTTP connections open between calls.

Why: the SDK's sync client sends each call through urllib.request.urlopen, which opens a new TCP (and
TLS) connection every time and closes it after one response; under a steady stream of replies that
was about a tenth of a reply's CPU, plus a handshake of latency per post. Here each thread keeps one
connection per host (HTTP/1.1 keep-alive, http11.py) and reuses it. Everything else (headers,
retries, 429 handling, response parsing) stays the SDK's: only the transport under
`_perform_urllib_http_request_internal` changes, and with a proxy configured the SDK's own path runs.

A kept connection the server closed while idle fails on its next use before any response arrives;
that call is sent once more on a fresh connection (what urllib3 does). A failure on a fresh connection
is the SDK's to handle (its connection-error retry handler).
"""

from __future__ import annotations

import http.client
import io
import threading
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient

from stardrill.adapters import http11

STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


# Per thread: {(scheme, host, port, timeout): HTTPConnection}, shared by every client: in installation mode
# each workspace has its own client (its own token, sent per request), and all of them talk to one host.
_kept = threading.local()


class KeepAliveWebClient(WebClient):
    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict:
        parts = urlsplit(url)
        if self.proxy is not None or parts.scheme not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection, reused = self._connection(parts)
        try:
            return self._exchange(connection, req, target)
        except HTTPError:
            raise
        except STALE as exc:
            self._drop(parts)
            if not reused:
                raise URLError(exc) from exc
        except OSError as exc:  # as urlopen reports it, so the SDK's connection-error retries apply
            self._drop(parts)
            raise URLError(exc) from exc
        connection, _ = self._connection(parts)  # the kept one had been closed by the server: once more, on a new one
        try:
            return self._exchange(connection, req, target)
        except HTTPError:
            raise
        except OSError as exc:
            self._drop(parts)
            raise URLError(exc) from exc

    def _exchange(self, connection: http11.Connection, req: Request, target: str) -> dict:
        try:
            response = connection.request(req.get_method(), target, req.data, dict(req.header_items()))
        except BaseException:
            connection.close()
            raise
        if response.will_close:
            connection.close()  # the next call opens a new one
        if response.status >= 400:  # as urlopen does: the SDK reads 429s (Retry-After) and errors from HTTPError
            raise HTTPError(req.full_url, response.status, response.reason, response.message(),
                            io.BytesIO(response.body))
        if response.content_type() == "application/gzip":
            return {"status": response.status, "headers": response.headers, "body": response.body}
        return {"status": response.status, "headers": response.headers,
                "body": response.body.decode(response.charset() or "utf-8")}

    def _connection(self, parts) -> tuple[http.client.HTTPConnection, bool]:
        kept = _kept.__dict__.setdefault("connections", {})
        key = (parts.scheme, parts.hostname, parts.port, self.timeout, id(self.ssl))
        connection = kept.get(key)
        if connection is not None:
            return connection, connection.sock is not None
        connection = http11.Connection(parts.scheme, parts.hostname, parts.port, self.timeout, self.ssl)
        kept[key] = connection
        return connection, False

    def _drop(self, parts) -> None:
        kept = _kept.__dict__.get("connections", {})
        connection = kept.pop((parts.scheme, parts.hostname, parts.port, self.timeout, id(self.ssl)), None)
        if connection is not None:
            connection.close()
