# SPDX-License-Identifier: MIT
# fasterapi_pg/async_connection.py: connect_async() and AsyncConnection, on the running loop
"""The asyncio connection.

The socket is watched by the running event loop (asyncio's or uvloop's): a reader stays
registered for the connection's whole life, so results, notifications and a server that goes
away are all noticed as they happen, and a writer is added only while libpq has bytes it
could not send yet. No helper threads: the native core never blocks (a cancel request goes
out from a short-lived native thread, as libpq before 17 can only send it blocking).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable, Iterable, Sequence
from types import TracebackType
from typing import Any

from . import _pg
from ._async_copy import AsyncCopyMixin
from ._codecs import TYPE_OID_SQL, check_format, type_not_found
from ._cursor import AsyncCursorFactory
from ._errors_base import ConnectionFailureError, InterfaceError, QueryTimeoutError
from ._prepared import AsyncPreparedStatement
from ._sqlstate import QueryCanceledError
from ._transaction import IsolationLevel, begin_sql, check_nested_options, quote_ident

__all__ = ["AsyncConnection", "Listener", "connect_async"]

# What a send_* call of the native core reports.
_NEEDS_PREPARE, _SENT, _SENDING = 0, 1, 2
# What the caller wants from a result (the core's result_shape).
_STATUS, _RECORDS, _FIRST_RECORD, _VALUE = 0, 1, 2, 3
# What connect_poll() asks to wait for.
_CONNECTED, _READABLE, _WRITABLE = 0, 1, 2
# Seconds a cancelled query gets to stop before the connection is given up on.
_CANCEL_GRACE = 5.0
# Seconds between looks at a cancel request on its way to the server (see _settled).
_CANCEL_POLL = 0.001
# Rows per pipelined batch in executemany (results are read after each batch).
_PIPELINE_BATCH = 1000

Listener = Callable[["AsyncConnection", int, str, str], Awaitable[None] | None]


class AsyncConnection(AsyncCopyMixin):
    """One PostgreSQL connection for asyncio code (open it with :func:`connect_async`).

    The query API is the sync :class:`~fasterapi_pg.Connection`'s, awaited. One operation at
    a time: a second one started while the first is running raises
    :class:`~fasterapi_pg.InterfaceError` (use a pool to share connections between tasks).
    Cancelling a task that awaits a query cancels the query on the server; the connection
    stays usable. A ``timeout=`` does the same and raises
    :class:`~fasterapi_pg.QueryTimeoutError`.

    Example::

        conn = await fasterapi_pg.connect_async(dsn)
        await conn.execute("CREATE TEMP TABLE t (id int, name text)")
        await conn.executemany("INSERT INTO t VALUES ($1, $2)", [(1, "one"), (2, "two")])
        async with conn.transaction():
            row = await conn.fetchrow("SELECT * FROM t WHERE id = $1", 1)
        await conn.close()
    """

    def __init__(self, core: _pg.AsyncCore, loop: asyncio.AbstractEventLoop) -> None:
        """Not for direct use: :func:`connect_async` makes connections."""
        self._core = core
        self._loop = loop
        self._fd = core.socket
        self._busy: str | None = None  # the operation running, for the error a second one gets
        self._in_flight = False  # a command is sent and its results have not all arrived
        self._waiter: asyncio.Future[None] | None = None
        self._timed_out = 0.0  # the timeout that fired for the command in flight
        self._grace: asyncio.TimerHandle | None = None
        self._draining: asyncio.Future[None] | None = None  # a cancelled command finishing
        self._cancel_sent = False  # a cancel request may still be on its way (see _settled)
        self._lost: ConnectionFailureError | None = None  # why it closed by itself
        self._listeners: dict[str, list[Listener]] = {}
        self._savepoints = itertools.count(1)
        # Called with this connection when the server ends it while no command runs (a pool
        # drops it from its idle set at once instead of counting it until the next acquire).
        self._on_lost_while_idle: Callable[[AsyncConnection], None] | None = None
        loop.add_reader(self._fd, self._on_readable)
        self._attached = True  # the loop watches self._fd (see _detach)

    # -- queries -------------------------------------------------------------------------

    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:
        """Run a command; returns its status tag ("INSERT 0 1"). Without arguments the simple
        protocol is used, so a script of several statements works too."""
        if not args and not timeout:
            self._claim(query)
            try:
                return await self._simple(query)
            finally:
                self._release()
        return await self._query(query, args, _STATUS, 0, timeout)  # type: ignore[no-any-return]

    async def fetch(self, query: str, *args: Any, timeout: float | None = None) -> list[Any]:
        """All rows, as a list of :class:`~fasterapi_pg.Record`."""
        return await self._query(query, args, _RECORDS, 0, timeout)  # type: ignore[no-any-return]

    async def fetchrow(self, query: str, *args: Any, timeout: float | None = None) -> Any:
        """The first row as a :class:`~fasterapi_pg.Record`, or None."""
        return await self._query(query, args, _FIRST_RECORD, 0, timeout)

    async def fetchval(
        self, query: str, *args: Any, column: int = 0, timeout: float | None = None
    ) -> Any:
        """One value of the first row (None when there is no row)."""
        return await self._query(query, args, _VALUE, column, timeout)

    async def executemany(
        self, query: str, args: Iterable[Sequence[Any]], *, timeout: float | None = None
    ) -> None:
        """Run QUERY once per row of ARGS, pipelined: batches of 1,000 rows go out one after
        another without waiting for each other's results, so the server runs one batch while
        the next is encoded. *timeout* bounds each wait: for the send buffer to drain before
        a batch, and for the results after the last one.

        Atomic: all rows run in one transaction unless one is open already. Up to 1,000 rows
        go as one batch, which PostgreSQL runs as one implicit transaction (a pipeline up to
        its sync), so no BEGIN and COMMIT round trips are needed; more rows are wrapped in
        them. Cancelled, the call keeps all of its rows or none: those of one batch are kept
        when the server had committed them before the cancel request arrived."""
        await self._pipelined(query, args, timeout, returning=False)

    async def fetchmany(
        self, query: str, args: Iterable[Sequence[Any]], *, timeout: float | None = None
    ) -> list[Any]:
        """Run QUERY once per row of ARGS, pipelined and atomic as :meth:`executemany`, and
        return the rows of all the runs, in order, as one list of
        :class:`~fasterapi_pg.Record` (as asyncpg's ``fetchmany``).

        Example::

            ids = await conn.fetchmany(
                "INSERT INTO t (name) VALUES ($1) RETURNING id", [("one",), ("two",)]
            )
        """
        records = await self._pipelined(query, args, timeout, returning=True)
        assert records is not None  # with returning=True, always a list
        return records

    async def _pipelined(
        self, query: str, args: Iterable[Sequence[Any]], timeout: float | None, returning: bool
    ) -> list[Any] | None:
        self._claim(query)
        try:
            remaining = iter(args)
            first = list(itertools.islice(remaining, _PIPELINE_BATCH + 1))
            if not first:
                return [] if returning else None
            if len(first) <= _PIPELINE_BATCH:
                # One batch: a statement that vanished or went stale fails it before anything
                # of it has run (RETRY), so it is prepared again and the batch sent once more.
                result = await self._pipeline(query, first, timeout, returning, True)
                if result is _pg.RETRY:
                    result = await self._pipeline(query, first, timeout, returning, False)
                return result  # type: ignore[no-any-return]
            own_transaction = self._core.transaction_status == "idle"
            if own_transaction:
                await self._simple("BEGIN")
            try:
                records: list[Any] | None = await self._pipeline(
                    query, itertools.chain(first, remaining), timeout, returning, False
                )
            except BaseException:
                if own_transaction:
                    await self._roll_back_quietly()
                raise
            if own_transaction:
                await self._simple("COMMIT")
            return records
        finally:
            self._release()

    async def _pipeline(
        self,
        query: str,
        args: Iterable[Sequence[Any]],
        timeout: float | None,
        returning: bool,
        may_retry: bool,
    ) -> Any:
        # Each batch ends in a sync; the reader takes results as they arrive (the server
        # never blocks on writing them), and the core keeps the first error until the last
        # sync is in (and, RETURNING, every command's result). Only a send buffer that has not
        # drained holds the next batch back, so memory stays at about one batch.
        if self._draining is not None or self._cancel_sent:
            await self._settled()
        core = self._core
        remaining = iter(args)
        state = _SENT
        try:
            while batch := list(itertools.islice(remaining, _PIPELINE_BATCH)):
                if state == _SENDING:
                    await self._flushed(query, timeout)
                elif self._in_flight:
                    # The socket took the last batch at once: yield anyway, or a long input
                    # would hold the loop (and a cancel) off until all of it had been sent.
                    await asyncio.sleep(0)
                state = core.send_pipelined(query, batch, returning)
                if state == _NEEDS_PREPARE:  # the first batch only: nothing is in flight yet
                    await self._prepare(query)
                    state = core.send_pipelined(query, batch, returning)
                self._in_flight = True
        except asyncio.CancelledError:
            if self._in_flight:
                self._loop.add_writer(self._fd, self._on_writable)  # the server needs the sync
                self._start_draining()
            raise
        if state == _SENDING or not core.consume():
            timed_out = await self._complete(state, timeout)
        else:
            # Every result is in already (taken here or by the reader): nothing is in flight,
            # or a later event on an idle connection would be taken for this command's end.
            self._in_flight = False
            timed_out = 0.0
        return core.finish_pipelined(query, returning, timed_out, may_retry)

    async def _flushed(self, query: str, timeout: float | None) -> None:
        """Wait until libpq's send buffer has gone out (the results are read meanwhile)."""
        try:
            async with asyncio.timeout(timeout):
                while not self._core.flush():
                    await _socket_ready(self._loop, self._fd, True)
        except TimeoutError:
            self._loop.add_writer(self._fd, self._on_writable)
            self._start_draining()
            raise QueryTimeoutError(
                f"cannot send {query!r} (pipelined): the server took no data for {timeout:g} s"
            ) from None

    async def _query(
        self, query: str, args: tuple[Any, ...], shape: int, column: int, timeout: float | None
    ) -> Any:
        self._claim(query)
        try:
            if self._draining is not None or self._cancel_sent:
                await self._settled()
            core = self._core
            may_retry = True
            while True:
                state = core.send_execute(query, args, shape)
                if state == _NEEDS_PREPARE:
                    await self._prepare(query, timeout)  # the timeout covers it too
                    state = core.send_execute(query, args, shape)
                if state == _SENT and not timeout:
                    # The common case, awaited here rather than in _complete's frame: nothing
                    # waits to be flushed and no deadline needs a timer.
                    await self._expect_results(state)
                    self._waiter = None
                    timed_out = 0.0
                else:
                    timed_out = await self._complete(state, timeout)
                result = core.finish(query, shape, column, timed_out, may_retry)
                if result is not _pg.RETRY:
                    return result
                may_retry = False  # the statement went stale: prepared again, run once more
        except asyncio.CancelledError:
            self._abandon_if_cancelled()
            raise
        finally:
            self._release()

    async def _prepare(self, query: str, timeout: float | None = None) -> None:
        timed_out = await self._complete(self._core.send_prepare(query), timeout)
        try:
            evicted = self._core.finish_prepare(query)
        except QueryCanceledError as cancelled:
            if not timed_out:
                raise
            raise QueryTimeoutError(
                f"cannot prepare {query!r}: it ran past its {timed_out:g} s timeout and was "
                "cancelled on the server"
            ) from cancelled
        for name in evicted:
            await self._simple(f"DEALLOCATE {quote_ident(name)}")

    async def _simple(self, sql: str) -> str:
        if self._draining is not None or self._cancel_sent:
            await self._settled()
        timed_out = await self._complete(self._core.send_simple(sql), None)
        return self._core.finish(sql, _STATUS, 0, timed_out, False)  # type: ignore[no-any-return]

    async def _roll_back_quietly(self) -> None:
        # After a failed or cancelled batch: leave no transaction open (a closed connection
        # has none to leave).
        with contextlib.suppress(Exception):
            if self._draining is not None:
                await self._drained()
            if not self._core.is_closed() and self._core.transaction_status != "idle":
                await self._simple("ROLLBACK")

    def _reusable_as_is(self) -> bool:
        """Open, outside a transaction, no abandoned query: a pool may lend it out again."""
        return self._draining is None and self._core.is_clean()

    def _needs_reset(self) -> bool:
        """Is there anything to undo before another task may use it (for pools)?"""
        return self._draining is not None or self._core.transaction_status != "idle"

    async def _reset(self) -> None:
        """Finish an abandoned query and roll back an open transaction (for pools)."""
        await self._roll_back_quietly()

    # -- one operation at a time ---------------------------------------------------------

    def _claim(self, what: str) -> None:
        if self._busy is not None:
            raise InterfaceError(
                f"cannot run {what!r}: another operation ({self._busy!r}) is in progress on "
                "this connection; give each task its own connection, or use an AsyncPool"
            )
        if self._core.is_closed():
            if self._lost is not None:
                raise ConnectionFailureError(f"cannot run {what!r}: {self._lost}")
            raise ConnectionFailureError(f"cannot run {what!r}: the connection is closed")
        self._busy = what

    def _release(self) -> None:
        self._busy = None
        if self._core.is_closed():
            self._detach()

    # -- waiting on the socket -----------------------------------------------------------

    async def _complete(self, state: int, timeout: float | None) -> float:
        """Wait until the command just sent has all its results; returns the timeout that
        fired and made us cancel it (0.0: none), for finish() to word the error."""
        waiter = self._expect_results(state)
        timer = self._loop.call_later(timeout, self._on_deadline, timeout) if timeout else None
        try:
            await waiter
        except asyncio.CancelledError:
            self._abandon_if_cancelled()
            raise
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()
            if self._grace is not None and self._draining is None:
                self._grace.cancel()
                self._grace = None
        timed_out, self._timed_out = self._timed_out, 0.0
        return timed_out

    def _expect_results(self, state: int) -> asyncio.Future[None]:
        """The future that _on_readable completes once the command just sent has all its
        results in."""
        self._in_flight = True
        if state == _SENDING:
            self._loop.add_writer(self._fd, self._on_writable)
        waiter = self._waiter = self._loop.create_future()
        return waiter

    def _abandon_if_cancelled(self) -> None:
        waiter = self._waiter
        if waiter is not None and waiter.cancelled():  # our caller was cancelled, not the command
            self._waiter = None
            self._start_draining()

    def _on_readable(self) -> None:
        core = self._core
        done = core.consume()
        if self._listeners:
            self._dispatch_notifications()
        if not done:
            return
        if core.is_broken():
            self._detach()  # before the core closes the socket (finish() or below does)
        if not self._in_flight:
            if core.is_broken():
                self._note_lost_while_idle()
                if self._on_lost_while_idle is not None:
                    self._on_lost_while_idle(self)
            return
        self._in_flight = False
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        elif self._draining is not None:
            self._finish_draining()
        # else: the waiter was cancelled and its task has not resumed yet; it will see that
        # the command is over and discard its result.

    def _on_writable(self) -> None:
        if self._core.flush():
            self._loop.remove_writer(self._fd)

    def _on_deadline(self, timeout: float) -> None:
        if not self._in_flight:
            return
        self._timed_out = timeout
        self._core.request_cancel()
        self._cancel_sent = True
        self._grace = self._loop.call_later(_CANCEL_GRACE, self._give_up)

    def _start_draining(self) -> None:
        # The caller is gone but its command may still run: cancel it on the server and let
        # the reader swallow its result; the next operation waits for that.
        if not self._in_flight:
            with contextlib.suppress(Exception):  # a server error nobody asked for
                self._core.discard("a cancelled query")
            return
        self._core.request_cancel()
        self._cancel_sent = True
        self._draining = self._loop.create_future()
        self._grace = self._loop.call_later(_CANCEL_GRACE, self._give_up)

    def _finish_draining(self) -> None:
        draining, self._draining = self._draining, None
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None
        with contextlib.suppress(Exception):
            self._core.discard("a cancelled query")
        if self._core.is_closed():
            self._detach()
        if draining is not None and not draining.done():
            draining.set_result(None)

    async def _settled(self) -> None:
        """Before a command: wait for an abandoned one to finish, and for a cancel request to
        reach the server. Sent as its command was ending, it would otherwise land on the next
        one and stop that instead; the core does not send before then, but would block the
        loop while it waits."""
        if self._draining is not None:
            await self._drained()
        while self._core.cancel_pending():  # false after the grace period at the latest
            await asyncio.sleep(_CANCEL_POLL)
        self._cancel_sent = False

    async def _drained(self) -> None:
        assert self._draining is not None
        await asyncio.shield(self._draining)
        if self._core.is_closed():
            raise ConnectionFailureError(
                "cannot run the query: the connection was closed because a cancelled query "
                f"did not stop within {_CANCEL_GRACE:g} s"
            )

    def _give_up(self) -> None:
        # A cancel request went unanswered: the connection is unusable; close it.
        self._grace = None
        self._in_flight = False
        self._detach()
        self._core.close()
        error = ConnectionFailureError(
            f"cannot cancel the query: the server did not stop it within {_CANCEL_GRACE:g} s; "
            "the connection was closed"
        )
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(error)
        if self._draining is not None and not self._draining.done():
            self._draining.set_result(None)
        self._draining = None

    def _note_lost_while_idle(self) -> None:
        try:
            self._core.discard("no query (the connection was idle)")
        except ConnectionFailureError as error:
            self._lost = error

    def _detach(self) -> None:
        # Once only, and before libpq closes the socket: after that its number may belong to
        # another socket of the loop (uvloop refuses to touch a transport's socket; asyncio's
        # own loop would silently stop watching someone else's).
        if not self._attached:
            return
        self._attached = False
        with contextlib.suppress(OSError, ValueError):
            self._loop.remove_reader(self._fd)
            self._loop.remove_writer(self._fd)

    # -- LISTEN / NOTIFY -----------------------------------------------------------------

    async def add_listener(self, channel: str, callback: Listener) -> None:
        """Call ``callback(connection, sender_pid, channel, payload)`` for each NOTIFY on
        CHANNEL (a coroutine function's result runs as a task)."""
        if channel not in self._listeners:
            await self.execute(f"LISTEN {quote_ident(channel)}")
            self._listeners[channel] = []
        self._listeners[channel].append(callback)

    async def remove_listener(self, channel: str, callback: Listener) -> None:
        """Stop calling CALLBACK; the last one removed for a channel UNLISTENs it."""
        callbacks = self._listeners.get(channel, [])
        if callback in callbacks:
            callbacks.remove(callback)
        if channel in self._listeners and not callbacks:
            del self._listeners[channel]
            if not self.is_closed():
                await self.execute(f"UNLISTEN {quote_ident(channel)}")

    def _dispatch_notifications(self) -> None:
        for sender, channel, payload in self._core.take_notifications():
            for callback in list(self._listeners.get(channel, ())):
                self._loop.call_soon(self._notify, callback, sender, channel, payload)

    def _notify(self, callback: Listener, sender: int, channel: str, payload: str) -> None:
        outcome = callback(self, sender, channel, payload)
        if asyncio.iscoroutine(outcome):
            self._loop.create_task(outcome)

    # -- transactions --------------------------------------------------------------------

    async def set_type_codec(
        self,
        typename: str,
        *,
        schema: str = "public",
        encoder: Callable[[Any], str],
        decoder: Callable[[str], Any],
        format: str = "text",
    ) -> None:
        """As :meth:`Connection.set_type_codec <fasterapi_pg.Connection.set_type_codec>`."""
        check_format(format)
        oid = await self.fetchval(TYPE_OID_SQL, typename, schema)
        if oid is None:
            raise type_not_found(typename, schema)
        self._claim("set_type_codec")
        try:
            for name in self._core.set_codec(oid, encoder, decoder):
                await self._simple(f"DEALLOCATE {quote_ident(name)}")
        finally:
            self._release()

    async def prepare(self, query: str) -> AsyncPreparedStatement:
        """Prepare ``query`` now (bad SQL fails here) and return it as an
        :class:`~fasterapi_pg.AsyncPreparedStatement`."""
        self._claim(query)
        try:
            if self._draining is not None or self._cancel_sent:
                await self._settled()
            description = self._core.describe(query)
            if description is None:
                await self._prepare(query)
                description = self._core.describe(query)
            assert description is not None  # just prepared
            return AsyncPreparedStatement(self, query, description)
        finally:
            self._release()

    def cursor(self, query: str, *args: Any, prefetch: int = 100) -> AsyncCursorFactory:
        """A server-side cursor over ``query`` (needs an open transaction):
        ``async for row in conn.cursor(...)`` streams the rows ``prefetch`` at a time;
        ``cur = await conn.cursor(...)`` gives an :class:`~fasterapi_pg.AsyncCursor`.

        Example::

            async with conn.transaction():
                async for event in conn.cursor("SELECT * FROM events WHERE day = $1", day):
                    await process(event)
        """
        return AsyncCursorFactory(self, query, args, prefetch)

    def transaction(
        self,
        *,
        isolation: IsolationLevel | None = None,
        readonly: bool = False,
        deferrable: bool = False,
    ) -> _AsyncTransaction:
        """``async with conn.transaction():`` commit on success, roll back on an exception.

        Nested blocks use savepoints, so an inner failure rolls back only the inner block."""
        return _AsyncTransaction(self, isolation, readonly, deferrable)

    # -- state ---------------------------------------------------------------------------

    @property
    def transaction_status(self) -> str:
        """ "idle", "intrans" (in a transaction), "inerror" (in a failed one) or "unknown"."""
        return self._core.transaction_status

    @property
    def backend_pid(self) -> int:
        return self._core.backend_pid

    @property
    def server_version(self) -> int:
        return self._core.server_version

    def is_closed(self) -> bool:
        return self._core.is_closed()

    async def close(self) -> None:
        """Close the connection (a running operation's caller gets ConnectionFailureError)."""
        self.terminate()

    def terminate(self) -> None:
        """Close now, without waiting (what close() does: libpq says goodbye synchronously)."""
        self._detach()
        self._core.close()
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(ConnectionFailureError("the connection was closed"))

    async def __aenter__(self) -> AsyncConnection:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class _AsyncTransaction:
    """What :meth:`AsyncConnection.transaction` returns."""

    __slots__ = ("_connection", "_deferrable", "_isolation", "_readonly", "_savepoint")

    def __init__(
        self,
        connection: AsyncConnection,
        isolation: IsolationLevel | None,
        readonly: bool,
        deferrable: bool,
    ) -> None:
        self._connection = connection
        self._isolation, self._readonly, self._deferrable = isolation, readonly, deferrable
        self._savepoint: str | None = None

    async def __aenter__(self) -> None:
        connection = self._connection
        if connection.transaction_status != "idle":
            check_nested_options(self._isolation, self._readonly, self._deferrable)
            self._savepoint = f"fasterapi_savepoint_{next(connection._savepoints)}"
            await connection.execute(f"SAVEPOINT {self._savepoint}")
        else:
            await connection.execute(begin_sql(self._isolation, self._readonly, self._deferrable))

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection = self._connection
        if kind is None:
            await connection.execute(
                f"RELEASE SAVEPOINT {self._savepoint}" if self._savepoint else "COMMIT"
            )
        elif not connection.is_closed():
            await connection.execute(
                f"ROLLBACK TO SAVEPOINT {self._savepoint}" if self._savepoint else "ROLLBACK"
            )


async def connect_async(
    dsn: str = "",
    *,
    timeout: float = 60.0,
    statement_cache_size: int = 100,
    json_as_text: bool = False,
) -> AsyncConnection:
    """Open a connection on the running event loop, without blocking it.

    *dsn* is a libpq URL or ``key=value`` string; libpq's ``PG*`` environment variables and
    TLS options apply as in libpq. *timeout* bounds connecting, in seconds. *json_as_text* as
    for :func:`~fasterapi_pg.connect`. Raises :class:`~fasterapi_pg.ConnectionFailureError`
    saying why it failed."""
    loop = asyncio.get_running_loop()
    core = _pg.AsyncCore(dsn, statement_cache_size, json_as_text)
    try:
        async with asyncio.timeout(timeout):
            wait = _WRITABLE  # what libpq says to do first
            while wait != _CONNECTED:
                await _socket_ready(loop, core.socket, wait == _WRITABLE)
                wait = core.connect_poll()
    except TimeoutError:
        core.close()
        raise ConnectionFailureError(
            f"cannot connect to PostgreSQL: no answer within the {timeout:g} s timeout"
        ) from None
    except BaseException:
        core.close()
        raise
    return AsyncConnection(core, loop)


async def _socket_ready(loop: asyncio.AbstractEventLoop, fd: int, writable: bool) -> None:
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    watch, unwatch = (
        (loop.add_writer, loop.remove_writer) if writable else (loop.add_reader, loop.remove_reader)
    )
    watch(fd, wake)
    try:
        await ready
    finally:
        unwatch(fd)
