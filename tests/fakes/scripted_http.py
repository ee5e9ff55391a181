"""A loopback HTTP server that answers each request with the next scripted bytes: exact responses (chunked
bodies, closes, 1xx, rate limits, garbage) for the HTTP/1.1 reader and the clients built on it."""

from __future__ import annotations

import socket
import threading


class Scripted:
    """Accepts connections and answers each request with the next scripted bytes (then closes, if told)."""

    def __init__(self, answers: list[tuple[bytes, bool]]):
        self.answers, self.requests = list(answers), []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/api/"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while self.answers:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                reader = conn.makefile("rb")
                while self.answers:
                    head = b""
                    while not head.endswith(b"\r\n\r\n"):
                        byte = reader.read(1)
                        if not byte:
                            break
                        head += byte
                    if not head:
                        break
                    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), 0)
                    self.requests.append(head + reader.read(length))
                    answer, close = self.answers.pop(0)
                    conn.sendall(answer)
                    if close:
                        conn.shutdown(socket.SHUT_WR)  # the reader still holds the socket: end it for the peer now
                        break

    def close(self) -> None:
        self.sock.close()


def answer(status: str, headers: list[str], body: bytes) -> bytes:
    return (f"HTTP/1.1 {status}\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n").encode() + body
