# SPDX-License-Identifier: MIT
# fasterapi_testing/fault_proxy.py: a TCP proxy that tests switch into network faults
"""A proxy between a client and a server on loopback, for the network faults of the PG fault
plan: ``deaf()`` (new connections are held open and never answered), ``blackhole()``
(nothing is forwarded either way; sockets stay open), ``reset()`` (every connection closed
with a TCP reset) and ``restore()``.

Example::

    with FaultProxy(("127.0.0.1", server_port)) as proxy:
        dsn = f"postgresql://postgres@127.0.0.1:{proxy.port}/postgres"
        proxy.deaf()
        ...
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from types import TracebackType

__all__ = ["FaultProxy"]


class FaultProxy:
    def __init__(self, target: tuple[str, int]) -> None:
        self._target = target
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self._accepting = threading.Event()
        self._forwarding = threading.Event()
        self._accepting.set()
        self._forwarding.set()
        self._closed = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept_loop, daemon=True).start()

    # -- faults ----------------------------------------------------------------------------

    def deaf(self) -> None:
        """New connections are taken and then hear nothing (never forwarded)."""
        self._accepting.clear()

    def blackhole(self) -> None:
        """Stop forwarding in both directions; every socket stays open."""
        self._forwarding.clear()

    def reset(self) -> None:
        """Close every proxied connection with a TCP reset (SO_LINGER 0)."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for each in sockets:
            self._abort(each)

    def restore(self) -> None:
        """Back to forwarding and accepting."""
        self._accepting.set()
        self._forwarding.set()

    # -- plumbing --------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            if not self._accepting.is_set():  # deaf: hold it open, answer nothing
                with self._lock:
                    self._sockets.append(client)
                continue
            try:
                server = socket.create_connection(self._target)
            except OSError:
                client.close()
                continue
            # Short timeouts: a pump blocked in recv() keeps its socket alive even after
            # close(), which would delay the reset until the peer sends something.
            client.settimeout(0.1)
            server.settimeout(0.1)
            with self._lock:
                self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while not self._closed:
                try:
                    data = source.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    sink.shutdown(socket.SHUT_WR)
                    return
                while not self._forwarding.wait(0.1):  # a blackhole holds what it read
                    if self._closed:
                        return
                sink.sendall(data)
        except OSError:
            # One side failed (a reset, a closed socket): fail the other side too, as a
            # real connection would, instead of leaving it open and silent forever.
            self._abort(sink)

    @staticmethod
    def _abort(each: socket.socket) -> None:
        with contextlib.suppress(OSError):
            each.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            each.close()

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        self.reset()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
