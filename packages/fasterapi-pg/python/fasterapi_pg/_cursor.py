# SPDX-License-Identifier: MIT
# fasterapi_pg/_cursor.py: server-side cursors that stream a result in chunks (sync and async)
"""Cursors: ``DECLARE ... NO SCROLL CURSOR`` on the server, read ``prefetch`` rows at a time
with ``FETCH``, so a large result never sits whole in memory (the server keeps the rest).

PostgreSQL keeps a cursor only inside a transaction, so a cursor needs one open (as asyncpg's
does). Cursor names are the smallest free ``fasterapi_cursor_N`` of the connection: nested
cursors get distinct names, and successive ones reuse the same statement texts, so
``DECLARE``/``FETCH`` hit the prepared-statement cache.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from types import TracebackType
from typing import Any

from ._errors_base import InterfaceError

__all__ = ["AsyncCursor", "AsyncCursorFactory", "Cursor"]


def _claim_name(owner: Any) -> str:
    """The smallest cursor name not in use on this connection, now marked used."""
    used: set[int] = owner.__dict__.setdefault("_cursor_numbers", set())
    number = 1
    while number in used:
        number += 1
    used.add(number)
    return f"fasterapi_cursor_{number}"


def _release_name(owner: Any, name: str) -> None:
    owner.__dict__.get("_cursor_numbers", set()).discard(int(name.rsplit("_", 1)[1]))


def _check_transaction(status: str) -> None:
    if status == "idle":
        raise InterfaceError(
            "cursor() needs an open transaction (PostgreSQL keeps cursors only inside one): "
            "use it within `with conn.transaction():` / `async with conn.transaction():`"
        )


def _check_count(what: str, count: int) -> int:
    if not isinstance(count, int) or count < 0:
        raise ValueError(f"{what} must be a non-negative int, got {count!r}")
    return count


def _declare_sql(name: str, query: str) -> str:
    return f"DECLARE {name} NO SCROLL CURSOR FOR {query.strip().rstrip(';')}"


def _moved(status: str) -> int:
    return int(status.rsplit(" ", 1)[1])  # "MOVE 5"


class Cursor:
    """A server-side cursor on a :class:`~fasterapi_pg.Connection` (from ``conn.cursor()``).

    Iterating yields every remaining row, fetching ``prefetch`` at a time; ``fetch(n)``,
    ``fetchrow()`` and ``forward(n)`` move by hand. Close it (or use ``with``) to free it on
    the server before the transaction ends.

    Example::

        with conn.transaction(), conn.cursor("SELECT * FROM big WHERE kind = $1", "x") as cur:
            for row in cur:
                handle(row)
    """

    def __init__(self, conn: Any, query: str, args: tuple[Any, ...], prefetch: int) -> None:
        _check_transaction(conn.transaction_status)
        self._prefetch = max(1, _check_count("prefetch", prefetch))
        self._conn = conn
        self._name = _claim_name(conn)
        try:
            conn.execute(_declare_sql(self._name, query), *args)
        except BaseException:
            _release_name(conn, self._name)
            raise
        self._open = True

    def fetch(self, count: int) -> list[Any]:
        """The next ``count`` rows (fewer at the end)."""
        self._check_open()
        return list(
            self._conn.fetch(f"FETCH FORWARD {_check_count('count', count)} FROM {self._name}")
        )

    def fetchrow(self) -> Any:
        """The next row, or None at the end."""
        rows = self.fetch(1)
        return rows[0] if rows else None

    def forward(self, count: int) -> int:
        """Skip ``count`` rows; returns how many were skipped."""
        self._check_open()
        return _moved(
            self._conn.execute(f"MOVE FORWARD {_check_count('count', count)} FROM {self._name}")
        )

    def __iter__(self) -> Iterator[Any]:
        while True:
            rows = self.fetch(self._prefetch)
            yield from rows
            if len(rows) < self._prefetch:
                return

    def close(self) -> None:
        """Free the cursor on the server (a no-op when closed, or when its transaction ended)."""
        if not self._open:
            return
        self._open = False
        _release_name(self._conn, self._name)
        if not self._conn.is_closed() and self._conn.transaction_status == "intrans":
            self._conn.execute(f"CLOSE {self._name}")

    def _check_open(self) -> None:
        if not self._open:
            raise InterfaceError(f"cursor {self._name} is closed")

    def __enter__(self) -> Cursor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncCursor:
    """A server-side cursor on an :class:`~fasterapi_pg.AsyncConnection`; ``await`` its
    ``fetch(n)``, ``fetchrow()``, ``forward(n)`` and ``close()``."""

    def __init__(self, conn: Any, name: str) -> None:
        self._conn = conn
        self._name = name
        self._open = True

    @classmethod
    async def _declare(cls, conn: Any, query: str, args: tuple[Any, ...]) -> AsyncCursor:
        _check_transaction(conn.transaction_status)
        name = _claim_name(conn)
        try:
            await conn.execute(_declare_sql(name, query), *args)
        except BaseException:
            _release_name(conn, name)
            raise
        return cls(conn, name)

    async def fetch(self, count: int) -> list[Any]:
        """The next ``count`` rows (fewer at the end)."""
        self._check_open()
        sql = f"FETCH FORWARD {_check_count('count', count)} FROM {self._name}"
        return list(await self._conn.fetch(sql))

    async def fetchrow(self) -> Any:
        """The next row, or None at the end."""
        rows = await self.fetch(1)
        return rows[0] if rows else None

    async def forward(self, count: int) -> int:
        """Skip ``count`` rows; returns how many were skipped."""
        self._check_open()
        sql = f"MOVE FORWARD {_check_count('count', count)} FROM {self._name}"
        return _moved(await self._conn.execute(sql))

    async def close(self) -> None:
        """Free the cursor on the server (a no-op when closed, or when its transaction ended)."""
        if not self._open:
            return
        self._open = False
        _release_name(self._conn, self._name)
        if not self._conn.is_closed() and self._conn.transaction_status == "intrans":
            await self._conn.execute(f"CLOSE {self._name}")

    def _check_open(self) -> None:
        if not self._open:
            raise InterfaceError(f"cursor {self._name} is closed")

    async def __aenter__(self) -> AsyncCursor:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class AsyncCursorFactory:
    """What ``AsyncConnection.cursor()`` returns: ``async for row in conn.cursor(...)`` streams
    every row (``prefetch`` at a time, closing the cursor after), and
    ``cur = await conn.cursor(...)`` gives an :class:`AsyncCursor` to move by hand."""

    def __init__(self, conn: Any, query: str, args: tuple[Any, ...], prefetch: int) -> None:
        self._conn = conn
        self._query = query
        self._args = args
        self._prefetch = max(1, _check_count("prefetch", prefetch))

    def __await__(self) -> Generator[Any, None, AsyncCursor]:
        return AsyncCursor._declare(self._conn, self._query, self._args).__await__()

    async def __aiter__(self) -> AsyncIterator[Any]:
        cursor = await AsyncCursor._declare(self._conn, self._query, self._args)
        try:
            while True:
                rows = await cursor.fetch(self._prefetch)
                for row in rows:
                    yield row
                if len(rows) < self._prefetch:
                    return
        finally:
            await cursor.close()
