# SPDX-License-Identifier: MIT
# fasterapi_pg/_async_copy.py: COPY on the asyncio connection
"""COPY for :class:`~fasterapi_pg.AsyncConnection`, on the event loop: the data moves in
chunks as the socket allows (libpq's non-blocking COPY calls), no helper threads.

A mixin of AsyncConnection: it drives the connection's own machinery (one operation at a
time, the reader that completes commands, the socket waits).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import itertools
import os
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from . import _pg
from ._copy import (
    COLUMN_COUNT_SQL,
    TYPE_NAME_SQL,
    CopySink,
    check_argument_count,
    copy_query_sql,
    copy_table_sql,
    literals_sql,
    open_sink,
    open_source,
    records_copy,
    table_target,
    with_literals,
)
from ._errors_base import InterfaceError

if TYPE_CHECKING:
    from ._prepared import AsyncPreparedStatement

# What send_* reports (see async_connection.py) and what finish() shapes.
_SENT, _SENDING, _STATUS = 1, 2, 0
_COPY_IN, _COPY_OUT = 1, 2
# Records encoded per chunk of binary COPY data.
_RECORDS_PER_CHUNK = 2000

AsyncCopySource = (
    bytes
    | bytearray
    | memoryview
    | str
    | os.PathLike[str]
    | Any  # a binary file, an iterable or an async iterable of byte chunks
)


class AsyncCopyMixin:
    """copy_to_table, copy_records_to_table, copy_from_table, copy_from_query (awaited)."""

    if TYPE_CHECKING:  # provided by AsyncConnection
        _core: _pg.AsyncCore
        _loop: asyncio.AbstractEventLoop
        _fd: int
        _draining: asyncio.Future[None] | None
        _cancel_sent: bool

        def _claim(self, what: str) -> None: ...
        async def _settled(self) -> None: ...
        def _release(self) -> None: ...
        async def _complete(self, state: int, timeout: float | None) -> float: ...
        async def _prepare(self, query: str, timeout: float | None = None) -> None: ...
        async def fetchval(
            self, query: str, *args: Any, column: int = 0, timeout: float | None = None
        ) -> Any: ...
        async def fetchrow(self, query: str, *args: Any, timeout: float | None = None) -> Any: ...
        async def prepare(self, query: str) -> AsyncPreparedStatement: ...

    async def copy_to_table(
        self,
        table_name: str,
        *,
        source: AsyncCopySource,
        columns: Sequence[str] | None = None,
        schema_name: str | None = None,
        format: str | None = None,
        delimiter: str | None = None,
        null: str | None = None,
        header: bool | None = None,
        quote: str | None = None,
        escape: str | None = None,
        encoding: str | None = None,
    ) -> str:
        """``COPY table FROM STDIN`` from ``source``: bytes, a path, a binary file, or an
        iterable or async iterable of byte chunks. Returns the status tag ("COPY 3")."""
        sql = copy_table_sql(
            "FROM STDIN",
            table_name,
            columns,
            schema_name,
            format=format,
            delimiter=delimiter,
            null=null,
            header=header,
            quote=quote,
            escape=escape,
            encoding=encoding,
        )
        if isinstance(source, AsyncIterable):
            return await self._copy_in(sql, source.__aiter__())
        with open_source(source) as chunks:
            return await self._copy_in(sql, _as_async(chunks))

    async def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[Any]] | AsyncIterable[Sequence[Any]],
        columns: Sequence[str] | None = None,
        schema_name: str | None = None,
    ) -> str:
        """``COPY table FROM STDIN`` in PostgreSQL's binary format, each record encoded by
        the query-parameter codecs. Returns the status tag."""
        target = table_target(table_name, columns, schema_name)
        if columns:
            width = len(columns)
        else:
            width = await self.fetchval(
                COLUMN_COUNT_SQL,
                table_target(table_name, None, schema_name),
            )
        sql, probe = records_copy(target, width)
        await self._prepare_for_copy(probe)
        return await self._copy_in(sql, self._encoded(probe, records))

    async def copy_from_table(
        self,
        table_name: str,
        *,
        output: CopySink,
        columns: Sequence[str] | None = None,
        schema_name: str | None = None,
        format: str | None = None,
        delimiter: str | None = None,
        null: str | None = None,
        header: bool | None = None,
        quote: str | None = None,
        escape: str | None = None,
        encoding: str | None = None,
    ) -> str:
        """``COPY table TO STDOUT`` into ``output``: a path, a binary file, or a callable
        (or coroutine function) per chunk. Returns the status tag."""
        sql = copy_table_sql(
            "TO STDOUT",
            table_name,
            columns,
            schema_name,
            format=format,
            delimiter=delimiter,
            null=null,
            header=header,
            quote=quote,
            escape=escape,
            encoding=encoding,
        )
        with open_sink(output) as sink:
            return await self._copy_out(sql, sink)

    async def copy_from_query(
        self,
        query: str,
        *args: Any,
        output: CopySink,
        format: str | None = None,
        delimiter: str | None = None,
        null: str | None = None,
        header: bool | None = None,
        quote: str | None = None,
        escape: str | None = None,
        encoding: str | None = None,
    ) -> str:
        """``COPY (query) TO STDOUT`` into ``output``; ``args`` are written into the query as
        literals formatted by the server (COPY itself takes no parameters)."""
        if args:
            query = await self._with_literals(query, args)
        sql = copy_query_sql(
            query,
            format=format,
            delimiter=delimiter,
            null=null,
            header=header,
            quote=quote,
            escape=escape,
            encoding=encoding,
        )
        with open_sink(output) as sink:
            return await self._copy_out(sql, sink)

    async def _with_literals(self, query: str, args: tuple[Any, ...]) -> str:
        statement = await self.prepare(query)
        parameter_types = statement.get_parameters()
        check_argument_count(query, len(parameter_types), len(args))
        names = [await self.fetchval(TYPE_NAME_SQL, oid) for oid in parameter_types]
        literals = await self.fetchrow(literals_sql(names), *args)
        return with_literals(query, [str(literal) for literal in literals])

    # -- moving the data ---------------------------------------------------------------------

    async def _start_copy(self, sql: str, expected: int) -> None:
        if self._draining is not None or self._cancel_sent:
            await self._settled()
        await self._complete(self._core.send_simple(sql), None)
        if self._core.take_copy_start(sql) != expected:
            raise InterfaceError(f"{sql!r} is not the COPY direction this method moves")

    async def _until(self, attempt: Callable[[], bool]) -> None:
        """Retry a libpq send that refused (its buffer full) as the socket drains."""
        from .async_connection import _socket_ready

        while not attempt():
            if not self._core.flush():
                await _socket_ready(self._loop, self._fd, True)

    async def _command_result(self, sql: str) -> str:
        state = _SENT if self._core.flush() else _SENDING
        if state == _SENDING or not self._core.consume():
            await self._complete(state, None)
        return self._core.finish(sql, _STATUS, 0, 0.0, False)  # type: ignore[no-any-return]

    async def _copy_in(self, sql: str, chunks: AsyncIterator[Any]) -> str:
        self._claim(sql)
        try:
            await self._start_copy(sql, _COPY_IN)
            try:
                async for chunk in chunks:
                    await self._until(functools.partial(self._core.copy_put, chunk))
            except BaseException:
                # Abort: the server rolls the COPY back; its error is ours to swallow.
                await self._until(lambda: self._core.copy_end("the COPY data failed"))
                with contextlib.suppress(Exception):
                    await self._command_result(sql)
                raise
            await self._until(lambda: self._core.copy_end(""))
            return await self._command_result(sql)
        finally:
            self._release()

    async def _copy_out(self, sql: str, sink: Callable[[bytes], object]) -> str:
        self._claim(sql)
        try:
            await self._start_copy(sql, _COPY_OUT)
            failure: BaseException | None = None
            while (chunk := self._core.copy_get()) != b"":
                if chunk is None:
                    await self._complete(_SENT, None)  # until more has arrived
                    continue
                if failure is None:
                    try:
                        written = sink(chunk)
                        if inspect.isawaitable(written):
                            await written
                    except Exception as error:  # finish the COPY, then raise it
                        failure = error
            status = await self._command_result(sql)
            if failure is not None:
                raise failure
            return status
        finally:
            self._release()

    async def _prepare_for_copy(self, probe: str) -> None:
        self._claim(probe)
        try:
            if self._core.encode_copy_rows(probe, [], 1) is None:
                await self._prepare(probe)
        finally:
            self._release()

    async def _encoded(
        self, probe: str, records: Iterable[Sequence[Any]] | AsyncIterable[Sequence[Any]]
    ) -> AsyncIterator[bytes]:
        rows = records.__aiter__() if isinstance(records, AsyncIterable) else None
        plain = iter(records) if rows is None else None  # type: ignore[arg-type]
        done = 0
        while True:
            if plain is not None:
                batch = list(itertools.islice(plain, _RECORDS_PER_CHUNK))
            else:
                batch = []
                async for record in _take(rows, _RECORDS_PER_CHUNK):  # type: ignore[arg-type]
                    batch.append(record)
            encoded = self._core.encode_copy_rows(probe, batch, done)
            if encoded is None:
                raise InterfaceError(
                    "copy_records_to_table: the column types are no longer known (with "
                    "statement_cache_size=0 each statement serves once); use a cache"
                )
            if encoded:
                yield encoded
            done += len(batch)
            if len(batch) < _RECORDS_PER_CHUNK:
                break
        yield self._core.COPY_TRAILER


async def _as_async(chunks: Iterable[Any]) -> AsyncIterator[Any]:
    for chunk in chunks:
        yield chunk


async def _take(rows: AsyncIterator[Any], count: int) -> AsyncIterator[Any]:
    for _ in range(count):
        try:
            yield await rows.__anext__()
        except StopAsyncIteration:
            return
