# SPDX-License-Identifier: MIT
# fasterapi_pg/pool.py: a thread-safe pool of sync connections, for scripts and worker threads
"""The synchronous connection pool."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ._errors_base import ConnectionFailureError, InterfaceError
from ._pool_common import Backoff, PoolSettings, PoolStats, PoolTimeout, pool_log
from .connection import Connection, IsolationLevel

__all__ = ["Pool", "PoolStats", "PoolTimeout"]


# Connection._release_state(): what a released connection needs.
_CLEAN, _NEEDS_ROLLBACK, _CLOSED = 0, 1, 2

# An idle connection: (connection, when it was made, when it was released).
_Idle = tuple[Connection, float, float]


class Pool:
    """A pool of connections shared by threads.

    Example::

        pool = fasterapi_pg.Pool(dsn, min_size=2, max_size=10)
        with pool.connection() as conn:
            conn.execute("INSERT INTO log VALUES ($1)", "hello")
        total = pool.fetchval("SELECT count(*) FROM log")
        pool.close()

    A released connection is reset locally: an open transaction is rolled back (one round
    trip, only then); a broken one is dropped and replaced on demand. A connection idle for
    *ping_after* seconds or more is pinged before it is handed out, so one the server closed
    meanwhile (a restart, an idle timeout, ``pg_terminate_backend``) is replaced instead.
    Connections older than *max_lifetime* or idle longer than *max_idle* seconds are closed
    when next seen. When
    connecting fails (the server is down), acquire retries with jittered exponential backoff
    until its timeout, so the pool recovers by itself when the server returns. On a network
    that stops answering, the ping gives up after *ping_timeout*, a connect within what is
    left of the acquire timeout, and the rollback on release after *reset_timeout* (the
    connection is then dropped and a warning logged).

    With *max_waiting* (0: no limit), an acquire that would wait behind that many callers
    raises :class:`~fasterapi_pg.TooManyRequests` at once (a :class:`~fasterapi_pg.PoolTimeout`)
    instead of queueing. *reset*, when given, is called as ``reset(conn)`` on each released
    connection that goes back to the pool (after the rollback), to undo session state the
    application sets (``SET``, ``LISTEN``, temporary tables); if it raises or leaves a
    transaction open, the connection is closed instead and a warning logged.
    *statement_cache_size* and *json_as_text* go to each connection
    (:func:`~fasterapi_pg.connect`).
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
        reset: Callable[[Connection], object] | None = None,
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
        self._lock = threading.Lock()
        self._available = threading.Condition(self._lock)
        self._idle: deque[_Idle] = deque()
        self._created: dict[int, float] = {}  # id(connection) -> creation time, in use or idle
        self._size = 0
        self._waiting = 0
        self._closed = False
        self._acquired = 0
        self._wait_total = 0.0
        self._made = 0
        self._lost = 0
        self._refilling = False  # a thread is bringing the pool back to min_size
        # For acquire's fast path: how long an idle connection is handed out without a ping.
        self._fresh_for = min(ping_after, max_idle)
        self._max_lifetime = max_lifetime
        for _ in range(min_size):
            self._release_new(self._connect())

    # -- acquiring and releasing ---------------------------------------------------------

    def acquire(self, timeout: float | None = None) -> Connection:
        """Take a connection (wait up to *timeout*, default the pool's acquire_timeout).

        Raises :class:`PoolTimeout` when none is free in time.
        """
        return self.connection(timeout).__enter__()

    def _acquire_slowly(self, timeout: float | None) -> Connection:
        start = time.monotonic()
        deadline = start + (self._settings.acquire_timeout if timeout is None else timeout)
        backoff = Backoff()
        while True:
            with self._available:
                taken = self._take_idle_or_reserve(deadline)
            if taken is not None:
                connection, released = taken
                # Idle a while: the server may have closed it (restart, idle timeout,
                # pg_terminate_backend). One round trip now spares the caller that error.
                if time.monotonic() - released >= self._settings.ping_after and not self._alive(
                    connection, deadline
                ):
                    with self._available:
                        self._drop(connection)
                    continue
                with self._available:
                    self._acquired += 1
                    self._wait_total += time.monotonic() - start
                return connection
            try:
                connection = self._connect(deadline)
            except ConnectionFailureError as error:
                with self._available:
                    self._size -= 1
                    self._available.notify()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PoolTimeout(
                        "cannot acquire a connection: connecting failed until the timeout "
                        f"({error})"
                    ) from error
                time.sleep(backoff.next_delay(remaining))
                continue
            with self._available:
                self._acquired += 1
                self._wait_total += time.monotonic() - start
            return connection

    def _take_idle_or_reserve(self, deadline: float) -> tuple[Connection, float] | None:
        # With the lock held: an idle connection and when it was released, or None after
        # reserving a slot to connect.
        while True:
            if self._closed:
                raise InterfaceError("cannot acquire a connection: the pool is closed")
            now = time.monotonic()
            while self._idle:
                entry = self._idle.pop()  # the most recently used: warm caches, fewer expiries
                if self._usable(entry, now):
                    return entry[0], entry[2]
                self._drop(entry[0])
            if self._size < self._settings.max_size:
                self._size += 1
                return None
            remaining = deadline - now
            if remaining <= 0:
                raise PoolTimeout(
                    f"cannot acquire a connection within the timeout: all {self._size} "
                    f"are in use and {self._waiting} caller(s) are waiting"
                )
            self._settings.check_queue(self._waiting, self._size)
            self._waiting += 1
            try:
                self._available.wait(remaining)
            finally:
                self._waiting -= 1

    def _usable(self, entry: _Idle, now: float) -> bool:
        connection, created, released = entry
        return self._settings.reusable(created, released, now) and not connection.is_closed()

    def _reset_by_hook(self, connection: Connection) -> bool:
        # The user's reset hook; one that raises (or leaves a transaction open) costs the
        # connection, not the caller, whose work is done.
        assert self._reset is not None
        try:
            self._reset(connection)
            if connection.transaction_status == "idle":
                return True
            pool_log.warning("dropped a connection the reset hook left inside a transaction")
        except Exception as error:
            pool_log.warning("dropped a connection whose reset hook failed: %r", error)
        connection.close()
        return False

    def _alive(self, connection: Connection, deadline: float) -> bool:
        # One round trip, bounded: a server that stopped answering (a dead network) fails
        # the ping at ping_timeout and the connection is closed, not waited on.
        timeout = self._settings.ping_timeout_by(deadline, time.monotonic())
        return connection._run_or_close("", timeout)

    def release(self, connection: Connection) -> None:
        """Give a connection back. An open transaction is rolled back; a broken connection is
        dropped (a new one is made when needed)."""
        lease = self.connection()
        lease._connection = connection
        lease.__exit__(None, None, None)

    def _reset_for_reuse(self, connection: Connection, state: int) -> int:
        """Roll back an open transaction and run the reset hook of a released, open
        connection; its state after that (closed when either failed)."""
        # The rollback is bounded: on a dead network the connection is closed (and dropped)
        # after reset_timeout instead of holding the caller, whose work is done.
        if state == _NEEDS_ROLLBACK:
            if not connection._run_or_close("ROLLBACK", self._settings.reset_timeout):
                pool_log.warning("dropped a connection whose rollback failed or timed out")
                return _CLOSED
            state = _CLEAN
        if self._reset is not None and not self._reset_by_hook(connection):
            return _CLOSED
        return state

    def _drop(self, connection: Connection) -> None:
        # With the lock held.
        connection.close()
        self._created.pop(id(connection), None)
        self._size -= 1
        self._lost += 1
        if not self._closed and not self._refilling and self._size < self._settings.min_size:
            # Back to min_size in the background after losing connections (a restart,
            # killed backends), so the next burst finds them ready instead of connecting.
            self._refilling = True
            threading.Thread(target=self._refill, name="fasterapi-pg refill", daemon=True).start()

    def _refill(self) -> None:
        backoff = Backoff()
        try:
            while True:
                with self._available:
                    if self._closed or self._size >= self._settings.min_size:
                        self._refilling = False  # under the lock: a drop now starts anew
                        return
                    self._size += 1
                try:
                    connection = self._connect()
                except ConnectionFailureError:
                    with self._available:
                        self._size -= 1
                    time.sleep(backoff.next_delay(5.0))
                    continue
                with self._available:
                    if self._closed:  # closed while connecting: nobody will take it
                        self._drop(connection)
                        continue
                    now = time.monotonic()
                    self._idle.append((connection, now, now))
                    if self._waiting:
                        self._available.notify()
        except BaseException:
            with self._available:
                self._refilling = False
            raise

    def _connect(self, deadline: float | None = None) -> Connection:
        settings = self._settings
        now = time.monotonic()
        connection = Connection(
            settings.dsn,
            timeout=settings.connect_timeout
            if deadline is None
            else settings.connect_timeout_by(deadline, now),
            statement_cache_size=settings.statement_cache_size,
            json_as_text=settings.json_as_text,
        )
        with self._lock:
            self._created[id(connection)] = time.monotonic()
            self._made += 1
        return connection

    def _release_new(self, connection: Connection) -> None:
        with self._available:
            self._size += 1
            now = time.monotonic()
            self._idle.append((connection, now, now))

    def connection(self, timeout: float | None = None) -> _Lease:
        """``with pool.connection() as conn:`` acquire, and release however the block ends."""
        # Built without calling __init__ (a Python frame): this runs for every `with`.
        lease = _new_lease(_Lease)
        lease._pool, lease._timeout, lease._connection = self, timeout, None
        return lease

    @contextlib.contextmanager
    def transaction(
        self, *, isolation: IsolationLevel | None = None, readonly: bool = False
    ) -> Iterator[Connection]:
        """A connection inside a transaction, committed when the block succeeds."""
        with (
            self.connection() as connection,
            connection.transaction(isolation=isolation, readonly=readonly),
        ):
            yield connection

    # -- shortcuts -----------------------------------------------------------------------

    def execute(self, query: str, *args: Any) -> str:
        with self.connection() as connection:
            return connection.execute(query, *args)

    def executemany(self, query: str, args: Iterable[Sequence[Any]]) -> None:
        with self.connection() as connection:
            connection.executemany(query, args)

    def fetch(self, query: str, *args: Any) -> list[Any]:
        with self.connection() as connection:
            return connection.fetch(query, *args)

    def fetchmany(self, query: str, args: Iterable[Sequence[Any]]) -> list[Any]:
        with self.connection() as connection:
            return connection.fetchmany(query, args)

    def fetchrow(self, query: str, *args: Any) -> Any:
        with self.connection() as connection:
            return connection.fetchrow(query, *args)

    def fetchval(self, query: str, *args: Any, column: int = 0) -> Any:
        with self.connection() as connection:
            return connection.fetchval(query, *args, column=column)

    # -- state ---------------------------------------------------------------------------

    def stats(self) -> PoolStats:
        with self._lock:
            return PoolStats(
                size=self._size,
                idle=len(self._idle),
                in_use=self._size - len(self._idle),
                waiting=self._waiting,
                acquired=self._acquired,
                acquire_wait_avg=self._wait_total / self._acquired if self._acquired else 0.0,
                connections_made=self._made,
                connections_lost=self._lost,
            )

    def close(self) -> None:
        """Close idle connections now and the others as they are released; wake waiters."""
        with self._available:
            self._closed = True
            while self._idle:
                self._drop(self._idle.pop()[0])
            self._available.notify_all()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_new_lease = object.__new__


class _Lease:
    """What :meth:`Pool.connection` returns: takes a connection on entering, gives it back on
    leaving (:meth:`Pool.acquire` and :meth:`Pool.release` go through one too). A plain class,
    cheaper than a generator, and the pool's common cases are written out here instead of
    being calls (a Python frame each): every ``with pool.connection()`` and shortcut runs them.
    """

    __slots__ = ("_connection", "_pool", "_timeout")
    _connection: Connection | None
    _pool: Pool
    _timeout: float | None

    def __enter__(self) -> Connection:
        pool = self._pool
        with pool._lock:  # the common case: a recently used idle connection, no waiting
            if pool._idle and not pool._closed:
                connection, created, released = pool._idle[-1]
                now = time.monotonic()
                if (  # PoolSettings.reusable(), inlined
                    now - released < pool._fresh_for
                    and now - created < pool._max_lifetime
                    and not connection.is_closed()
                ):
                    pool._idle.pop()
                    pool._acquired += 1
                    self._connection = connection
                    return connection
        self._connection = connection = pool._acquire_slowly(self._timeout)
        return connection

    def __exit__(self, *exc_info: object) -> None:
        connection = self._connection
        if connection is None:
            return
        self._connection = None
        pool = self._pool
        state = connection._release_state()  # clean, needs a rollback, or closed: one call
        if state == _NEEDS_ROLLBACK or (state == _CLEAN and pool._reset is not None):
            state = pool._reset_for_reuse(connection, state)
        with pool._lock:  # the condition's lock; entering it directly skips a Python call
            if pool._closed or state == _CLOSED:
                pool._drop(connection)
            else:
                now = time.monotonic()
                pool._idle.append((connection, pool._created.get(id(connection), now), now))
            if pool._waiting:  # notify() costs a lock probe even with nobody to wake
                pool._available.notify()
