# SPDX-License-Identifier: MIT
# fasterapi_futures/loop.py: EventLoop, an asyncio event loop on the native reactor
"""``EventLoop``: an implementation of ``asyncio.AbstractEventLoop`` on fasterapi_futures'
reactor, as uvloop is on libuv.

The scheduling core is native (``LoopCore``): the ready queue, timers (a tree, cancelled
eagerly), fd readiness on epoll and the lock-free cross-thread queue; one turn of the loop is
one call into C++, which releases the GIL while it waits. The rest is asyncio's own Unix
selector loop, whose methods run on that core unchanged: tasks and futures, TCP and Unix
streams and servers (asyncio's transports), UDP, pipes, subprocesses, signals, executors,
``getaddrinfo``, ``sock_*``, TLS, async generators, the exception handler and debug mode.

Example::

    import asyncio
    import fasterapi_futures

    async def main():
        await asyncio.sleep(0.1)
        return "done"

    fasterapi_futures.run(main())                      # or:
    with asyncio.Runner(loop_factory=fasterapi_futures.new_event_loop) as runner:
        runner.run(main())
"""

from __future__ import annotations

import asyncio
import selectors
import socket
import ssl
import sys
from asyncio import base_events, futures, sslproto, trsock, unix_events
from collections.abc import Callable, Coroutine
from contextvars import Context
from typing import IO, Any, TypeVar, cast

from ._futures import Handle, LoopCore, SocketTransport, TimerHandle

T = TypeVar("T")

# The methods whose native versions the loop installs on itself when not in debug mode (an
# instance attribute is found before the class's method: no Python frame on the hot path).
_FAST_PATHS = ("call_soon", "call_soon_threadsafe", "call_at", "call_later", "time")


class _WatcherView:
    """What asyncio's transports read through ``loop._selector``: which fds are watched (for
    their repr). The watching itself is the native core's."""

    def __init__(self, core: LoopCore) -> None:
        self._core = core

    def get_key(self, fd: Any) -> selectors.SelectorKey:
        number = fd if isinstance(fd, int) else fd.fileno()
        reader, writer = self._core.watchers(number)
        events = (selectors.EVENT_READ if reader else 0) | (selectors.EVENT_WRITE if writer else 0)
        if not events:
            raise KeyError(f"{fd!r} is not registered")
        return selectors.SelectorKey(fd, number, events, (reader, writer))

    def close(self) -> None:
        """The core closes with the loop."""


# asyncio's Unix selector loop, typed as Any: the private helpers this class relies on
# (_check_closed, _stopping, _debug, ...) are not in the type stubs, and the handles it returns
# are asyncio.Handle-compatible (same methods), not subclasses.
_SelectorEventLoop: Any = unix_events.SelectorEventLoop

# asyncio's TLS protocol, typed as Any: its stubs want a waiter and int timeouts, where
# asyncio itself passes None and floats.
_SSLProtocol: Any = sslproto.SSLProtocol


class EventLoop(_SelectorEventLoop):  # type: ignore[misc]
    """An asyncio event loop whose scheduling and I/O readiness are native.

    Use it wherever asyncio takes a loop: ``asyncio.Runner(loop_factory=new_event_loop)``,
    ``asyncio.run(main(), loop_factory=new_event_loop)`` (3.12+), :func:`run`, or
    :func:`install` to make it the default.
    """

    def __init__(self) -> None:
        self._core = LoopCore(self)
        self._native = LoopCore.fast_methods(self._core)
        super().__init__(selector=_WatcherView(self._core))

    # -- scheduling ----------------------------------------------------------------------

    def call_soon(
        self, callback: Callable[..., object], *args: Any, context: Context | None = None
    ) -> Handle:
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, "call_soon")
        return cast(Handle, self._native["call_soon"](callback, *args, context=context))

    def _call_soon(
        self, callback: Callable[..., object], args: tuple[Any, ...], context: Context | None
    ) -> Handle:
        return cast(Handle, self._native["call_soon"](callback, *args, context=context))

    def call_soon_threadsafe(
        self, callback: Callable[..., object], *args: Any, context: Context | None = None
    ) -> Handle:
        self._check_closed()
        if self._debug:
            self._check_callback(callback, "call_soon_threadsafe")
        return cast(Handle, self._native["call_soon_threadsafe"](callback, *args, context=context))

    def call_at(
        self,
        when: float,
        callback: Callable[..., object],
        *args: Any,
        context: Context | None = None,
    ) -> TimerHandle:
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, "call_at")
        return cast(TimerHandle, self._native["call_at"](when, callback, *args, context=context))

    def call_later(
        self,
        delay: float,
        callback: Callable[..., object],
        *args: Any,
        context: Context | None = None,
    ) -> TimerHandle:
        return self.call_at(self.time() + delay, callback, *args, context=context)

    def time(self) -> float:
        return float(self._native["time"]())

    def _add_callback(self, handle: asyncio.Handle) -> None:
        # asyncio.Handle objects scheduled by asyncio's own code (signals).
        if not handle.cancelled():
            self._native["call_soon"](_run_asyncio_handle, handle)

    def _timer_handle_cancelled(self, handle: asyncio.TimerHandle) -> None:
        """Native timers leave the schedule when cancelled: nothing to count."""

    # -- fd readiness ---------------------------------------------------------------------

    def _add_reader(self, fd: int, callback: Callable[..., object], *args: Any) -> Handle:
        self._check_closed()
        return self._core.add_reader(fd, callback, *args)

    def _remove_reader(self, fd: int) -> bool:
        return bool(self._core.remove_reader(fd))

    def _add_writer(self, fd: int, callback: Callable[..., object], *args: Any) -> Handle:
        self._check_closed()
        return self._core.add_writer(fd, callback, *args)

    def _remove_writer(self, fd: int) -> bool:
        return bool(self._core.remove_writer(fd))

    # asyncio's public add_reader & co. check the fd against transports, then call these.

    # -- transports -----------------------------------------------------------------------

    def _make_socket_transport(
        self,
        sock: socket.socket,
        protocol: asyncio.BaseProtocol,
        waiter: asyncio.Future[None] | None = None,
        *,
        extra: dict[str, Any] | None = None,
        server: asyncio.Server | None = None,
    ) -> SocketTransport:
        # Stream sockets (TCP and Unix; TLS layers its protocol on one of these) get the
        # native transport; the steps around it are asyncio's _SelectorSocketTransport's.
        extra = dict(extra or {})
        extra["socket"] = trsock.TransportSocket(sock)
        try:
            extra["sockname"] = sock.getsockname()
        except OSError:
            extra["sockname"] = None
        if "peername" not in extra:
            try:
                extra["peername"] = sock.getpeername()
            except OSError:
                extra["peername"] = None
        base_events._set_nodelay(sock)  # type: ignore[attr-defined]
        transport = SocketTransport(self._core, self, sock, protocol, extra, server)
        self._transports[sock.fileno()] = transport
        if server is not None:
            server._attach()  # type: ignore[attr-defined]
        self.call_soon(protocol.connection_made, transport)
        self.call_soon(transport._start_reading)
        if waiter is not None:
            self.call_soon(futures._set_result_unless_cancelled, waiter, None)  # type: ignore[attr-defined]
        return transport

    def _make_ssl_transport(
        self,
        rawsock: socket.socket,
        protocol: asyncio.BaseProtocol,
        sslcontext: ssl.SSLContext,
        waiter: asyncio.Future[None] | None = None,
        *,
        server_side: bool = False,
        server_hostname: str | None = None,
        extra: dict[str, Any] | None = None,
        server: asyncio.Server | None = None,
        ssl_handshake_timeout: float | None = None,
        ssl_shutdown_timeout: float | None = None,
    ) -> asyncio.Transport:
        # asyncio's TLS layer (a BufferedProtocol) over the native transport, as asyncio
        # layers it over its own.
        ssl_protocol = _SSLProtocol(
            self,
            protocol,
            sslcontext,
            waiter,
            server_side,
            server_hostname,
            ssl_handshake_timeout=ssl_handshake_timeout,
            ssl_shutdown_timeout=ssl_shutdown_timeout,
        )
        self._make_socket_transport(rawsock, ssl_protocol, extra=extra, server=server)
        return cast(asyncio.Transport, ssl_protocol._app_transport)

    async def sendfile(
        self,
        transport: asyncio.WriteTransport,
        file: IO[bytes],
        offset: int = 0,
        count: int | None = None,
        *,
        fallback: bool = True,
    ) -> int:
        """asyncio's ``loop.sendfile``; on the native transport the file is read in blocks
        (in the default executor) and written with the transport's flow control, as asyncio
        does where ``os.sendfile`` cannot serve (``fallback=False`` raises instead)."""
        if not isinstance(transport, SocketTransport):
            return cast(
                int, await super().sendfile(transport, file, offset, count, fallback=fallback)
            )
        if transport.is_closing():
            raise RuntimeError("Transport is closing")
        if not fallback:
            raise asyncio.SendfileNotAvailableError(
                "sendfile with fallback=False: the native transport has no zero-copy path"
            )
        self._check_sendfile_params(transport.get_extra_info("socket"), file, offset, count)
        return await _send_file_in_blocks(self, transport, file, offset, count)

    # -- running --------------------------------------------------------------------------

    def _run_once(self) -> None:
        # asyncio's run_forever calls this until stop(); the core turns the loop itself until
        # then, sparing a Python call per turn.
        self._core.run_until_stopped()

    def stop(self) -> None:
        super().stop()
        self._core.request_stop()

    def close(self) -> None:
        if self.is_running():
            raise RuntimeError("Cannot close a running event loop")
        if self.is_closed():
            return
        super().close()
        self._core.close()

    def set_debug(self, enabled: bool) -> None:
        super().set_debug(enabled)
        # Debug mode takes the checking Python methods; otherwise the native ones directly.
        if enabled:
            for name in _FAST_PATHS:
                self.__dict__.pop(name, None)
        else:
            self.__dict__.update((name, self._native[name]) for name in _FAST_PATHS)
        # Futures completing on this loop queue their callbacks straight into the core when
        # call_soon is the native method (what debug mode's checks would be skipped by).
        self._core.set_direct_scheduling(not enabled)


class _WriteGate(asyncio.Protocol):
    """Stands in for a transport's protocol while sendfile writes: it learns when the
    transport's buffer passes its high-water mark and when it drains (pause_writing and
    resume_writing), and refuses data the peer sends meanwhile, as asyncio's own does."""

    def __init__(self, loop: EventLoop, transport: SocketTransport) -> None:
        self._loop = loop
        self._transport = transport
        self._protocol = transport.get_protocol()
        self._was_reading = transport.is_reading()
        _, high = transport.get_write_buffer_limits()
        self._was_paused = transport.get_write_buffer_size() > high
        self._ready: asyncio.Future[None] | None = None
        transport.pause_reading()
        transport.set_protocol(self)
        if self._was_paused:
            self.pause_writing()

    async def drain(self) -> None:
        if self._transport.is_closing():
            raise ConnectionError("Connection closed by peer")
        if self._ready is not None:
            await self._ready

    def pause_writing(self) -> None:
        if self._ready is None:
            self._ready = self._loop.create_future()

    def resume_writing(self) -> None:
        ready, self._ready = self._ready, None
        if ready is not None and not ready.done():
            ready.set_result(None)

    def data_received(self, data: bytes) -> None:
        raise RuntimeError("Invalid state: reading should be paused")

    def eof_received(self) -> bool:
        raise RuntimeError("Invalid state: reading should be paused")

    def connection_lost(self, exc: Exception | None) -> None:
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(exc or ConnectionError("Connection is closed by peer"))
        self._protocol.connection_lost(exc)

    def restore(self) -> None:
        self._transport.set_protocol(self._protocol)
        if self._was_reading:
            self._transport.resume_reading()
        if self._ready is not None:
            self._ready.cancel()
        if self._was_paused:
            cast(asyncio.Protocol, self._protocol).resume_writing()


async def _send_file_in_blocks(
    loop: EventLoop, transport: SocketTransport, file: IO[bytes], offset: int, count: int | None
) -> int:
    block = min(count, 256 * 1024) if count else 256 * 1024
    buffer = bytearray(block)
    total = 0
    gate = _WriteGate(loop, transport)
    try:
        if offset:
            file.seek(offset)
        while count is None or total < count:
            size = block if count is None else min(block, count - total)
            view = memoryview(buffer)[:size]
            read = await loop.run_in_executor(None, file.readinto, view)  # type: ignore[attr-defined]
            if not read:
                break
            await gate.drain()
            transport.write(view[:read])  # copied or sent before write() returns
            total += read
        await gate.drain()
        return total
    finally:
        if total:
            file.seek(offset + total)
        gate.restore()


def _run_asyncio_handle(handle: asyncio.Handle) -> None:
    if not handle.cancelled():
        handle._run()


def new_event_loop() -> EventLoop:
    """A new :class:`EventLoop` (for ``asyncio.Runner(loop_factory=...)``)."""
    return EventLoop()


class EventLoopPolicy(asyncio.DefaultEventLoopPolicy):
    """The default policy, making :class:`EventLoop` loops."""

    def new_event_loop(self) -> EventLoop:
        return EventLoop()


def install() -> None:
    """Make :class:`EventLoop` the default: ``asyncio.run`` and ``new_event_loop`` use it."""
    asyncio.set_event_loop_policy(EventLoopPolicy())


def run(main: Coroutine[Any, Any, T], *, debug: bool | None = None) -> T:
    """``asyncio.run(main)`` on a new :class:`EventLoop`."""
    if sys.version_info >= (3, 11):
        with asyncio.Runner(loop_factory=new_event_loop, debug=debug) as runner:
            return runner.run(main)
    loop = new_event_loop()  # pragma: no cover (Python 3.10)
    try:
        if debug is not None:
            loop.set_debug(debug)
        return loop.run_until_complete(main)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
