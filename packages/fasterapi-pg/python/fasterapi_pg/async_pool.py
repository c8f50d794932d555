# SPDX-License-Identifier: MIT
# fasterapi_pg/async_pool.py: a pool of async connections for one event loop
"""The asyncio connection pool."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Sequence
from typing import Any

from ._errors_base import ConnectionFailureError, InterfaceError
from ._pool_common import Backoff, PoolSettings, PoolStats, PoolTimeout, pool_log
from ._transaction import IsolationLevel
from .async_connection import _FIRST_RECORD, _RECORDS, _VALUE, AsyncConnection, connect_async

__all__ = ["AsyncPool"]

# An idle connection: (connection, when it was made, when it was released).
_Idle = tuple[AsyncConnection, float, float]


class AsyncPool:
    """A pool of connections for the tasks of one event loop (one pool per loop: with one
    loop per core, one pool per core). Nothing is locked: everything runs on the loop.

    Example::

        async with fasterapi_pg.AsyncPool(dsn, min_size=2, max_size=10) as pool:
            async with pool.acquire() as conn:
                await conn.execute("INSERT INTO log VALUES ($1)", "hello")
            total = await pool.fetchval("SELECT count(*) FROM log")

    ``await pool.open()`` (or ``async with``) makes *min_size* connections. A released
    connection is reset without a round trip when it is clean; an open transaction is rolled
    back, a query its task abandoned (cancelled) is finished first, a broken connection is
    dropped and replaced on demand. A connection idle for *ping_after* seconds or more is
    pinged before it is handed out; older than *max_lifetime* or idle longer than *max_idle*
    seconds, it is closed when next seen. While the server is down, acquire retries connecting
    with jittered exponential backoff until its timeout, then raises
    :class:`~fasterapi_pg.PoolTimeout`; the pool recovers by itself when the server returns.
    On a network that stops answering, the ping gives up after *ping_timeout*, a connect
    within what is left of the acquire timeout, and the reset on release after
    *reset_timeout* (the connection is then dropped and a warning logged).

    With *max_waiting* (0: no limit), an acquire that would wait behind that many callers
    raises :class:`~fasterapi_pg.TooManyRequests` at once (a :class:`~fasterapi_pg.PoolTimeout`)
    instead of queueing. *reset*, when given, is called as ``await reset(conn)`` on each released
    connection that goes back to the pool (after the rollback), to undo session state the
    application sets (``SET``, ``LISTEN``, temporary tables); if it raises or leaves a
    transaction open, the connection is closed instead and a warning logged.
    *statement_cache_size* and *json_as_text* go to each connection
    (:func:`~fasterapi_pg.connect_async`).
    """

    def __init__(
        self,
        dsn: str = "",
        *,
        min_size: int = 1,
        max_size: int = 10,
        max_lifetime: float = 3600.0,
        max_idle: float = 600.0,
        acquire_timeout: float = 30.0,
        connect_timeout: float = 10.0,
        statement_cache_size: int = 100,
        json_as_text: bool = False,
        ping_after: float = 1.0,
        ping_timeout: float = 2.0,
        reset_timeout: float = 5.0,
        max_waiting: int = 0,
        reset: Callable[[AsyncConnection], Awaitable[object]] | None = None,
    ) -> None:
        self._settings = PoolSettings(
            dsn,
            min_size,
            max_size,
            max_lifetime,
            max_idle,
            acquire_timeout,
            connect_timeout,
            statement_cache_size,
            json_as_text,
            ping_after,
            ping_timeout,
            reset_timeout,
            max_waiting,
        )
        self._reset = reset
        self._idle: collections.deque[_Idle] = collections.deque()
        self._waiters: collections.deque[asyncio.Future[_Idle | None]] = collections.deque()
        self._created: dict[int, float] = {}  # id(connection) -> creation time
        self._size = 0  # open connections plus connects in progress
        self._closed = False
        self._acquired = 0
        self._wait_total = 0.0
        self._made = 0
        self._lost = 0
        self._refilling: asyncio.Task[None] | None = None

    async def open(self) -> AsyncPool:
        """Make *min_size* connections (concurrently); if any fails, none is kept."""
        missing = self._settings.min_size - self._size
        self._size += missing
        outcomes = await asyncio.gather(
            *(self._connect() for _ in range(missing)), return_exceptions=True
        )
        made = [outcome for outcome in outcomes if isinstance(outcome, AsyncConnection)]
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        if failures:
            self._size -= missing
            for connection in made:
                connection.terminate()
            raise failures[0]
        now = time.monotonic()
        self._idle.extend((connection, now, now) for connection in made)
        return self

    # -- acquiring and releasing ---------------------------------------------------------

    def acquire(self, timeout: float | None = None) -> _AsyncLease:
        """``async with pool.acquire() as conn:``, or ``conn = await pool.acquire()`` and
        later ``await pool.release(conn)``. Waits up to *timeout* (default: the pool's
        acquire_timeout), then raises :class:`~fasterapi_pg.PoolTimeout`."""
        return _AsyncLease(self, timeout)

    async def _acquire(self, timeout: float | None) -> AsyncConnection:
        return self._take_warm() or await self._acquire_slowly(timeout)

    def _take_warm(self) -> AsyncConnection | None:
        """The common case, without awaiting: a warm idle connection, else None."""
        idle = self._idle
        if idle and not self._closed:
            connection, created, released = idle[-1]
            now = time.monotonic()
            if now - released < self._settings.ping_after and self._settings.reusable(
                created, released, now
            ):
                # Not checked for being closed: one the server ends while idle leaves the idle
                # set at once (_lost_while_idle), and nothing else closes an idle connection.
                idle.pop()
                self._acquired += 1
                return connection
        return None

    async def _acquire_slowly(self, timeout: float | None) -> AsyncConnection:
        start = time.monotonic()
        deadline = start + (self._settings.acquire_timeout if timeout is None else timeout)
        backoff = Backoff()
        while True:
            entry = await self._take_idle_or_reserve(deadline)
            if entry is not None:
                connection, _, released = entry
                # Idle a while: the server may have closed it (a restart, an idle timeout,
                # pg_terminate_backend). One round trip now spares the caller that error.
                if time.monotonic() - released >= self._settings.ping_after and not (
                    await self._alive(connection, deadline)
                ):
                    self._drop(connection)
                    continue
            else:
                try:
                    connection = await self._connect(deadline)
                except ConnectionFailureError as error:
                    self._size -= 1
                    self._wake_waiter()
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise PoolTimeout(
                            "cannot acquire a connection: connecting failed until the timeout "
                            f"({error})"
                        ) from error
                    await asyncio.sleep(backoff.next_delay(remaining))
                    continue
            self._acquired += 1
            self._wait_total += time.monotonic() - start
            return connection

    async def _take_idle_or_reserve(self, deadline: float) -> _Idle | None:
        # An idle connection, or None after reserving a slot to connect in.
        while True:
            if self._closed:
                raise InterfaceError("cannot acquire a connection: the pool is closed")
            now = time.monotonic()
            while self._idle:
                entry = self._idle.pop()  # the most recently used: warm caches, fewer expiries
                if self._reusable(entry, now):
                    return entry
                self._drop(entry[0])
            if self._size < self._settings.max_size:
                self._size += 1
                return None
            remaining = deadline - now
            if remaining <= 0:
                raise PoolTimeout(
                    f"cannot acquire a connection within the timeout: all {self._size} are in "
                    f"use and {len(self._waiters)} other caller(s) are waiting"
                )
            self._settings.check_queue(len(self._waiters), self._size)
            waiter: asyncio.Future[_Idle | None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                async with asyncio.timeout(remaining):
                    handed = await waiter
            except BaseException as error:
                # A connection may have been handed over just as the timeout or a cancel came.
                handed = waiter.result() if waiter.done() and not waiter.cancelled() else None
                if not isinstance(error, TimeoutError):
                    if handed is not None:
                        self._give(handed)
                    raise
                # On a timeout, the loop above raises PoolTimeout with the figures.
            finally:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            if handed is not None:
                return handed

    def _reusable(self, entry: _Idle, now: float) -> bool:
        connection, created, released = entry
        return self._settings.reusable(created, released, now) and not connection.is_closed()

    async def _alive(self, connection: AsyncConnection, deadline: float) -> bool:
        # One round trip (an empty query), bounded: a server that stopped answering (a dead
        # network) fails the ping at ping_timeout; the caller drops the connection.
        try:
            async with asyncio.timeout(self._settings.ping_timeout_by(deadline, time.monotonic())):
                await connection.execute(";")
        except (ConnectionFailureError, TimeoutError):
            return False
        return True

    async def release(self, connection: AsyncConnection) -> None:
        """Give a connection back (see the class's description of the reset)."""
        if not self._give_back_clean(connection):
            await self._release_slowly(connection)

    def _give_back_clean(self, connection: AsyncConnection) -> bool:
        """The common case, without awaiting: an open connection with nothing to undo goes
        back to the idle set (or a waiter). False when release must do more."""
        if self._closed or self._reset is not None or not connection._reusable_as_is():
            return False
        now = time.monotonic()
        entry = (connection, self._created.get(id(connection), now), now)
        if self._waiters:
            self._give(entry)
        else:
            self._idle.append(entry)
        return True

    async def _release_slowly(self, connection: AsyncConnection) -> None:
        if not connection.is_closed() and connection._needs_reset():
            try:
                # Bounded: on a dead network the connection is dropped after reset_timeout
                # instead of holding the caller, whose work is done.
                async with asyncio.timeout(self._settings.reset_timeout):
                    await connection._reset()
            except TimeoutError:
                pool_log.warning("dropped a connection whose reset timed out")
                connection.terminate()
        if self._reset is not None and not connection.is_closed():
            await self._reset_by_hook(connection)
        if self._closed or connection.is_closed():
            self._drop(connection)
            self._wake_waiter()
            return
        now = time.monotonic()
        self._give((connection, self._created.get(id(connection), now), now))

    async def _reset_by_hook(self, connection: AsyncConnection) -> None:
        # The user's reset hook, bounded by reset_timeout; one that raises, times out or
        # leaves a transaction open costs the connection, not the caller.
        assert self._reset is not None
        try:
            async with asyncio.timeout(self._settings.reset_timeout):
                await self._reset(connection)
            if connection.transaction_status == "idle":
                return
            pool_log.warning("dropped a connection the reset hook left inside a transaction")
        except Exception as error:
            pool_log.warning("dropped a connection whose reset hook failed: %r", error)
        connection.terminate()

    def _give(self, entry: _Idle) -> None:
        while self._waiters:  # hand it straight to the longest waiting caller
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(entry)
                return
        self._idle.append(entry)

    def _wake_waiter(self) -> None:
        # A slot opened (a connection dropped, a connect failed): let a waiter connect in it.
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _drop(self, connection: AsyncConnection) -> None:
        connection.terminate()
        self._created.pop(id(connection), None)
        self._size -= 1
        self._lost += 1
        self._refill_soon()

    def _refill_soon(self) -> None:
        # Back to min_size in the background after losing connections (a restart, killed
        # backends), so the next burst finds them ready instead of connecting.
        if self._closed or self._refilling is not None or self._size >= self._settings.min_size:
            return
        self._refilling = asyncio.get_running_loop().create_task(self._refill())

    async def _refill(self) -> None:
        backoff = Backoff()
        try:
            while not self._closed and self._size < self._settings.min_size:
                self._size += 1
                try:
                    connection = await self._connect()
                except ConnectionFailureError:
                    self._size -= 1
                    await asyncio.sleep(backoff.next_delay(5.0))
                    continue
                if self._closed:  # closed while connecting: nobody will take it
                    self._drop(connection)
                    break
                now = time.monotonic()
                self._give((connection, now, now))
        finally:
            self._refilling = None

    async def _connect(self, deadline: float | None = None) -> AsyncConnection:
        settings = self._settings
        connection = await connect_async(
            settings.dsn,
            timeout=settings.connect_timeout
            if deadline is None
            else settings.connect_timeout_by(deadline, time.monotonic()),
            statement_cache_size=settings.statement_cache_size,
            json_as_text=settings.json_as_text,
        )
        self._created[id(connection)] = time.monotonic()
        self._made += 1
        connection._on_lost_while_idle = self._lost_while_idle
        return connection

    def _lost_while_idle(self, connection: AsyncConnection) -> None:
        # The server ended an idle connection (a restart, an idle-session timeout, a killed
        # backend): out of the idle set and replaced now, so stats() and min_size stay true.
        # One lent out is dropped by its release instead.
        for entry in self._idle:
            if entry[0] is connection:
                self._idle.remove(entry)
                self._drop(connection)
                self._wake_waiter()
                return

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, isolation: IsolationLevel | None = None, readonly: bool = False
    ) -> AsyncIterator[AsyncConnection]:
        """A connection inside a transaction, committed when the block succeeds."""
        async with (
            self.acquire() as connection,
            connection.transaction(isolation=isolation, readonly=readonly),
        ):
            yield connection

    # -- shortcuts -----------------------------------------------------------------------

    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:
        async with self.acquire() as connection:
            return await connection.execute(query, *args, timeout=timeout)

    async def executemany(
        self, query: str, args: Iterable[Sequence[Any]], *, timeout: float | None = None
    ) -> None:
        async with self.acquire() as connection:
            await connection.executemany(query, args, timeout=timeout)

    async def fetchmany(
        self, query: str, args: Iterable[Sequence[Any]], *, timeout: float | None = None
    ) -> list[Any]:
        async with self.acquire() as connection:
            return await connection.fetchmany(query, args, timeout=timeout)

    # fetch, fetchrow and fetchval hold a connection for one query, and with many tasks
    # sharing a pool the Python run per query is what bounds the throughput: each does its
    # whole lease itself (no lease object, no __aenter__/__aexit__, no shared coroutine that
    # it would await: one coroutine level less is 3-6 % more queries per second).

    async def fetch(self, query: str, *args: Any, timeout: float | None = None) -> list[Any]:
        connection = self._take_warm() or await self._acquire_slowly(None)
        try:
            return await connection._query(query, args, _RECORDS, 0, timeout)  # type: ignore[no-any-return]
        finally:
            if not self._give_back_clean(connection):
                await self._release_slowly(connection)

    async def fetchrow(self, query: str, *args: Any, timeout: float | None = None) -> Any:
        connection = self._take_warm() or await self._acquire_slowly(None)
        try:
            return await connection._query(query, args, _FIRST_RECORD, 0, timeout)
        finally:
            if not self._give_back_clean(connection):
                await self._release_slowly(connection)

    async def fetchval(
        self, query: str, *args: Any, column: int = 0, timeout: float | None = None
    ) -> Any:
        connection = self._take_warm() or await self._acquire_slowly(None)
        try:
            return await connection._query(query, args, _VALUE, column, timeout)
        finally:
            if not self._give_back_clean(connection):
                await self._release_slowly(connection)

    # -- state ---------------------------------------------------------------------------

    def stats(self) -> PoolStats:
        return PoolStats(
            size=self._size,
            idle=len(self._idle),
            in_use=self._size - len(self._idle),
            waiting=sum(1 for waiter in self._waiters if not waiter.done()),
            acquired=self._acquired,
            acquire_wait_avg=self._wait_total / self._acquired if self._acquired else 0.0,
            connections_made=self._made,
            connections_lost=self._lost,
        )

    async def close(self) -> None:
        """Close idle connections now and the others as they are released; waiters get an
        error saying the pool is closed."""
        self._closed = True
        if self._refilling is not None:
            self._refilling.cancel()
        while self._idle:
            self._drop(self._idle.pop()[0])
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # wakes it to see the pool closed

    async def __aenter__(self) -> AsyncPool:
        return await self.open()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class _AsyncLease:
    """What :meth:`AsyncPool.acquire` returns: an async context manager, or an awaitable."""

    __slots__ = ("_connection", "_pool", "_timeout")

    def __init__(self, pool: AsyncPool, timeout: float | None) -> None:
        self._pool, self._timeout = pool, timeout
        self._connection: AsyncConnection | None = None

    def __await__(self) -> Generator[Any, None, AsyncConnection]:
        return self._pool._acquire(self._timeout).__await__()

    async def __aenter__(self) -> AsyncConnection:
        # The pool's fast paths are called here directly: each coroutine level costs about
        # as much as the work of a warm acquire.
        pool = self._pool
        connection = pool._take_warm() or await pool._acquire_slowly(self._timeout)
        self._connection = connection
        return connection

    async def __aexit__(self, *exc_info: object) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            pool = self._pool
            if not pool._give_back_clean(connection):
                await pool._release_slowly(connection)
