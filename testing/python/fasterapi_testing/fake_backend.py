# SPDX-License-Identifier: MIT
# fasterapi_testing/fake_backend.py: a scripted PostgreSQL server for protocol anomalies
"""A stand-in PostgreSQL server that speaks just enough of the v3 wire protocol for a libpq
client to connect (no TLS, trust authentication) and run queries, and answers each query
with replies the test scripts: well-formed ones, or the anomalies a real server or a broken
network can produce (a FATAL after the command completed, an error between rows, a
notification nobody asked for, a row longer than its message, the connection cut mid-way).

Every query returns one ``int4`` column named ``n`` and takes its ``$n`` parameters as
``int4``; the script decides which rows and what
follows them, or raises :class:`Hangup` to send some bytes and close the connection.
Example::

    def script(query: str) -> bytes:
        raise Hangup(rows(1, 2) + command_complete("SELECT 2") + error("FATAL", "57P01", "bye"))

    with FakeBackend(script) as backend:
        conn = fasterapi_pg.connect(backend.dsn)
        ...
"""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import threading
from collections.abc import Callable
from types import TracebackType

__all__ = [
    "FakeBackend",
    "Hangup",
    "command_complete",
    "error",
    "message",
    "notification",
    "ready",
    "rows",
]

INT4_OID = 23
_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104
_CANCEL_REQUEST = 80877102

# One query's replies after its rows are described: what the script returns ends the
# exchange unless it is cut off (then the client sees exactly those bytes).
Script = Callable[[str], bytes]


class Hangup(Exception):
    """Raised by a script: send DATA, then close the connection."""

    def __init__(self, data: bytes = b"") -> None:
        super().__init__("the fake server hangs up")
        self.data = data


def message(kind: bytes, body: bytes = b"") -> bytes:
    """One backend message: type byte, length (itself included), body."""
    return kind + struct.pack("!i", len(body) + 4) + body


def rows(*values: int | None, binary: bool = True) -> bytes:
    """DataRow messages, one int4 column each (None is NULL)."""
    out = b""
    for value in values:
        if value is None:
            field = struct.pack("!i", -1)
        else:
            data = struct.pack("!i", value) if binary else str(value).encode()
            field = struct.pack("!i", len(data)) + data
        out += message(b"D", struct.pack("!h", 1) + field)
    return out


def command_complete(tag: str) -> bytes:
    return message(b"C", tag.encode() + b"\0")


def ready(status: bytes = b"I") -> bytes:
    """ReadyForQuery (I idle, T in a transaction, E in a failed one)."""
    return message(b"Z", status)


def error(severity: str, sqlstate: str, text: str) -> bytes:
    """An ErrorResponse."""
    fields = b"".join(
        code + value.encode() + b"\0"
        for code, value in ((b"S", severity), (b"V", severity), (b"C", sqlstate), (b"M", text))
    )
    return message(b"E", fields + b"\0")


def notification(channel: str, payload: str, pid: int = 4242) -> bytes:
    return message(
        b"A", struct.pack("!i", pid) + channel.encode() + b"\0" + payload.encode() + b"\0"
    )


def _parameter_description(query: str) -> bytes:
    """Every $n of QUERY is an int4."""
    count = max((int(n) for n in re.findall(r"\$(\d+)", query)), default=0)
    return message(b"t", struct.pack("!h", count) + struct.pack("!i", INT4_OID) * count)


def _row_description(binary: bool) -> bytes:
    column = b"n\0" + struct.pack("!ihihih", 0, 0, INT4_OID, 4, -1, 1 if binary else 0)
    return message(b"T", struct.pack("!h", 1) + column)


class FakeBackend:
    """Listens on a loopback port; each connection is served by a thread running SCRIPT
    for every query (simple or extended protocol)."""

    def __init__(self, script: Script) -> None:
        self._script = script
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=16)
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.dsn = (
            f"postgresql://fake@127.0.0.1:{self.port}/fake?sslmode=disable&gssencmode=disable"
        )
        self._closed = False
        self._lock = threading.Lock()
        self._clients: list[socket.socket] = []
        # The client sockets, for a test that pushes something unsolicited.
        self.connected = threading.Event()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def push(self, data: bytes) -> None:
        """Send DATA to every connected client now (e.g. an unsolicited notification)."""
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            with contextlib.suppress(OSError):
                client.sendall(data)

    # -- plumbing --------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            client.settimeout(None)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with contextlib.suppress(OSError, ConnectionError), client:
            if not self._start(client):
                return
            with self._lock:
                self._clients.append(client)
            self.connected.set()
            try:
                self._answer_queries(client)
            except Hangup as hangup:
                client.sendall(hangup.data)

    def _start(self, client: socket.socket) -> bool:
        """The startup exchange; False for a cancel request or a client that left."""
        while True:
            length = struct.unpack("!i", _read_exactly(client, 4))[0]
            body = _read_exactly(client, length - 4)
            code = struct.unpack("!i", body[:4])[0]
            if code in (_SSL_REQUEST, _GSSENC_REQUEST):
                client.sendall(b"N")  # no encryption: plain startup follows
                continue
            if code == _CANCEL_REQUEST:
                return False
            break
        client.sendall(
            message(b"R", struct.pack("!i", 0))  # AuthenticationOk
            + b"".join(
                message(b"S", name.encode() + b"\0" + value.encode() + b"\0")
                for name, value in (
                    ("server_version", "15.0"),
                    ("client_encoding", "UTF8"),
                    ("server_encoding", "UTF8"),
                    ("integer_datetimes", "on"),
                    ("standard_conforming_strings", "on"),
                    ("DateStyle", "ISO, MDY"),
                    ("TimeZone", "UTC"),
                )
            )
            + message(b"K", struct.pack("!ii", 4242, 7))
            + ready()
        )
        return True

    def _answer_queries(self, client: socket.socket) -> None:
        statements: dict[bytes, str] = {}
        portal_query = ""
        portal_binary = False
        failed = False  # after an error, the extended protocol skips to the next Sync
        while True:
            kind = _read_exactly(client, 1)
            length = struct.unpack("!i", _read_exactly(client, 4))[0]
            body = _read_exactly(client, length - 4)
            if kind == b"X":
                return
            if kind == b"S":
                failed = False
                client.sendall(ready())
            elif failed:
                continue
            elif kind == b"Q":
                query = body.rstrip(b"\0").decode()
                client.sendall(_row_description(binary=False) + self._script(query) + ready())
            elif kind == b"P":
                name, rest = body.split(b"\0", 1)
                statements[name] = rest.split(b"\0", 1)[0].decode()
                client.sendall(message(b"1"))  # ParseComplete
            elif kind == b"B":
                portal_query, portal_binary = _bind(body, statements)
                client.sendall(message(b"2"))  # BindComplete
            elif kind == b"D":
                if body[:1] == b"S":
                    query = statements.get(body[1:].split(b"\0", 1)[0], "")
                    client.sendall(_parameter_description(query) + _row_description(binary=False))
                else:
                    client.sendall(_row_description(binary=portal_binary))
            elif kind == b"E":
                replies = self._script(portal_query)
                client.sendall(replies)
                if b"E" in _kinds(replies):
                    failed = True

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            with contextlib.suppress(OSError):
                client.close()

    def __enter__(self) -> FakeBackend:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _bind(body: bytes, statements: dict[bytes, str]) -> tuple[str, bool]:
    """The query a Bind refers to, and whether it asks for binary results."""
    _portal, rest = body.split(b"\0", 1)
    statement, rest = rest.split(b"\0", 1)
    offset = 0
    (formats,) = struct.unpack_from("!h", rest, offset)
    offset += 2 + 2 * formats
    (parameters,) = struct.unpack_from("!h", rest, offset)
    offset += 2
    for _ in range(parameters):
        (size,) = struct.unpack_from("!i", rest, offset)
        offset += 4 + max(size, 0)
    (result_formats,) = struct.unpack_from("!h", rest, offset)
    binary = result_formats > 0 and struct.unpack_from("!h", rest, offset + 2)[0] == 1
    return statements.get(statement, ""), binary


def _kinds(replies: bytes) -> list[bytes]:
    """The message types in REPLIES (as far as they are whole)."""
    kinds, offset = [], 0
    while offset + 5 <= len(replies):
        kinds.append(replies[offset : offset + 1])
        offset += 1 + struct.unpack_from("!i", replies, offset + 1)[0]
    return kinds


def _read_exactly(client: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = client.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client closed the connection")
        data += chunk
    return data
