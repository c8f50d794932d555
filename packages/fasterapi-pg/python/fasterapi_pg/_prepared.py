# SPDX-License-Identifier: MIT
# fasterapi_pg/_prepared.py: PreparedStatement and AsyncPreparedStatement (conn.prepare())
"""A statement prepared once and run many times, as asyncpg's ``conn.prepare()``.

Every query is prepared and cached by its text anyway; a prepared statement makes that
explicit, fails early on bad SQL, and tells what the statement takes and returns. Running it
goes through the connection's cache: if the statement was pushed out of the cache or went
stale after a schema change, it is prepared again transparently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._cursor import AsyncCursorFactory, Cursor

__all__ = ["AsyncPreparedStatement", "PreparedStatement"]

Description = tuple[tuple[int, ...], tuple[tuple[str, int], ...]]


class _Described:
    def __init__(self, query: str, description: Description) -> None:
        self._query = query
        self._parameters, self._attributes = description

    def get_query(self) -> str:
        """The statement's text."""
        return self._query

    def get_parameters(self) -> tuple[int, ...]:
        """The type oid of each parameter ($1, $2, ...)."""
        return self._parameters

    def get_attributes(self) -> tuple[tuple[str, int], ...]:
        """``(name, type oid)`` of each result column."""
        return self._attributes

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._query!r}>"


class PreparedStatement(_Described):
    """From :meth:`Connection.prepare <fasterapi_pg.Connection.prepare>`.

    Example::

        by_id = conn.prepare("SELECT name FROM users WHERE id = $1")
        names = [by_id.fetchval(n) for n in (1, 2, 3)]
    """

    def __init__(self, conn: Any, query: str, description: Description) -> None:
        super().__init__(query, description)
        self._conn = conn

    def execute(self, *args: Any, timeout: float = 0.0) -> str:
        """Run it; returns the status tag."""
        return self._conn.execute(self._query, *args, timeout=timeout)  # type: ignore[no-any-return]

    def fetch(self, *args: Any, timeout: float = 0.0) -> list[Any]:
        return self._conn.fetch(self._query, *args, timeout=timeout)  # type: ignore[no-any-return]

    def fetchrow(self, *args: Any, timeout: float = 0.0) -> Any:
        return self._conn.fetchrow(self._query, *args, timeout=timeout)

    def fetchval(self, *args: Any, column: int = 0, timeout: float = 0.0) -> Any:
        return self._conn.fetchval(self._query, *args, column=column, timeout=timeout)

    def executemany(self, args: Iterable[Sequence[Any]], *, timeout: float = 0.0) -> None:
        """Run it once per row of ``args``, pipelined (see ``Connection.executemany``)."""
        self._conn.executemany(self._query, args, timeout=timeout)

    def fetchmany(self, args: Iterable[Sequence[Any]], *, timeout: float = 0.0) -> list[Any]:
        """Run it once per row of ``args``, pipelined; all their rows (see
        ``Connection.fetchmany``)."""
        return self._conn.fetchmany(self._query, args, timeout=timeout)  # type: ignore[no-any-return]

    def cursor(self, *args: Any, prefetch: int = 100) -> Cursor:
        """A server-side cursor over its rows (see ``Connection.cursor``)."""
        return Cursor(self._conn, self._query, args, prefetch)


class AsyncPreparedStatement(_Described):
    """From :meth:`AsyncConnection.prepare <fasterapi_pg.AsyncConnection.prepare>`; the same
    methods, awaited."""

    def __init__(self, conn: Any, query: str, description: Description) -> None:
        super().__init__(query, description)
        self._conn = conn

    async def execute(self, *args: Any, timeout: float | None = None) -> str:
        return await self._conn.execute(self._query, *args, timeout=timeout)  # type: ignore[no-any-return]

    async def fetch(self, *args: Any, timeout: float | None = None) -> list[Any]:
        return await self._conn.fetch(self._query, *args, timeout=timeout)  # type: ignore[no-any-return]

    async def fetchrow(self, *args: Any, timeout: float | None = None) -> Any:
        return await self._conn.fetchrow(self._query, *args, timeout=timeout)

    async def fetchval(self, *args: Any, column: int = 0, timeout: float | None = None) -> Any:
        return await self._conn.fetchval(self._query, *args, column=column, timeout=timeout)

    async def executemany(
        self, args: Iterable[Sequence[Any]], *, timeout: float | None = None
    ) -> None:
        await self._conn.executemany(self._query, args, timeout=timeout)

    async def fetchmany(
        self, args: Iterable[Sequence[Any]], *, timeout: float | None = None
    ) -> list[Any]:
        records: list[Any] = await self._conn.fetchmany(self._query, args, timeout=timeout)
        return records

    def cursor(self, *args: Any, prefetch: int = 100) -> AsyncCursorFactory:
        return AsyncCursorFactory(self._conn, self._query, args, prefetch)
