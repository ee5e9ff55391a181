"""One kept-alive HTTP/1.1 connection: a request written in one send, its response read back.

Used under Slack's Web API client (slack_adapter/keepalive.py) and for Discord's channel posts
(discord_adapter/rest.py). Why not http.client: it parses every response's headers with the email
package, which cost more than half of a Web API call's CPU here (each reply the bot posts is one call,
and CPU is what a busy process runs short of). Both APIs answer with a status line, a few headers and
a JSON body sized by Content-Length (or chunked); that is all this reads. Anything else (a proxy, an
upgrade) is not its business: the callers use their SDK's own transport for those.
"""

from __future__ import annotations

import http.client
import socket
import ssl

MAX_LINE = 65536  # a status or header line longer than this is not from a Web API server
MAX_HEADERS = 100


class ProtocolError(http.client.HTTPException):
    """The server's bytes are not an HTTP/1.1 response."""


class Response:
    def __init__(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes, will_close: bool):
        self.status, self.reason, self.body, self.will_close = status, reason, body, will_close
        self.header_items = headers
        self.headers = dict(headers)  # the SDK reads them as a mapping, as urllib's response gives them
        self._lower = {k.lower(): v for k, v in headers}

    def header(self, name: str, default: str | None = None) -> str | None:
        return self._lower.get(name.lower(), default)

    def content_type(self) -> str:
        return (self.header("content-type") or "text/plain").split(";", 1)[0].strip().lower()

    def charset(self) -> str | None:
        for param in (self.header("content-type") or "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return None

    def message(self) -> http.client.HTTPMessage:
        """The headers as urllib's HTTPError carries them (the SDK reads Retry-After and the charset there)."""
        message = http.client.HTTPMessage()
        for key, value in self.header_items:
            message[key] = value
        return message


class Connection:
    def __init__(self, scheme: str, host: str, port: int | None, timeout: float | None,
                 context: ssl.SSLContext | None):
        self.scheme, self.host, self.timeout = scheme, host, timeout
        self.port = port or (443 if scheme == "https" else 80)
        self.context = context
        self.sock: socket.socket | None = None
        self._reader = None

    def request(self, method: str, target: str, body: bytes | None, headers: dict[str, str]) -> Response:
        if self.sock is None:
            self._open()
        self.sock.sendall(self._head(method, target, body, headers) + (body or b""))
        return self._response()

    def close(self) -> None:
        sock, reader, self.sock, self._reader = self.sock, self._reader, None, None
        for closing in (reader, sock):
            if closing is not None:
                try:
                    closing.close()
                except OSError:
                    pass

    def _open(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # a request is one write: send it now
        if self.scheme == "https":
            context = self.context or ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=self.host)
        self.sock, self._reader = sock, sock.makefile("rb")

    def _head(self, method: str, target: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        host = self.host if self.port in (80, 443) else f"{self.host}:{self.port}"
        lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Accept-Encoding: identity"]
        lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in ("host", "content-length",
                                                                                 "accept-encoding", "connection")]
        lines.append(f"Content-Length: {len(body or b'')}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _response(self) -> Response:
        while True:
            first = self._line()
            if not first:  # closed before a byte of the answer: the server dropped an idle connection
                raise http.client.RemoteDisconnected("the server closed the connection without a response")
            version, status, reason = self._status(first)
            headers = self._headers()
            if not 100 <= status < 200:
                break
        lower = {k.lower(): v for k, v in headers}
        will_close = version == "HTTP/1.0" or "close" in lower.get("connection", "").lower()
        if "chunked" in lower.get("transfer-encoding", "").lower():
            body = self._chunked()
        elif "content-length" in lower:
            body = self._exactly(self._length(lower["content-length"]))
        else:
            body, will_close = self._reader.read(), True  # the body runs to the end of the connection
        return Response(status, reason, headers, body, will_close)

    def _line(self) -> bytes:
        line = self._reader.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise ProtocolError("response line too long")
        return line

    @staticmethod
    def _status(line: bytes) -> tuple[str, int, str]:
        parts = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise ProtocolError(f"not an HTTP/1.x status line: {line[:80]!r}")
        return parts[0], int(parts[1]), parts[2] if len(parts) > 2 else ""

    def _headers(self) -> list[tuple[str, str]]:
        headers = []
        while True:
            line = self._line()
            if line in (b"\r\n", b"\n"):
                return headers
            if not line:
                raise ProtocolError("connection closed in the middle of the headers")
            key, sep, value = line.decode("latin-1").partition(":")
            if not sep or len(headers) >= MAX_HEADERS:
                raise ProtocolError(f"bad header line: {line[:80]!r}")
            headers.append((key.strip(), value.strip()))

    @staticmethod
    def _length(value: str) -> int:
        if not value.strip().isdigit():
            raise ProtocolError(f"bad Content-Length: {value[:40]!r}")
        return int(value)

    def _exactly(self, size: int) -> bytes:
        body = self._reader.read(size)
        if len(body) < size:
            raise http.client.IncompleteRead(body, size - len(body))
        return body

    def _chunked(self) -> bytes:
        parts = []
        while True:
            size_line = self._line().split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise ProtocolError(f"bad chunk size: {size_line[:40]!r}") from None
            if size == 0:
                while self._line() not in (b"\r\n", b"\n", b""):  # trailers, if any, then the blank line
                    pass
                return b"".join(parts)
            parts.append(self._exactly(size))
            self._line()  # the CRLF after each chunk
