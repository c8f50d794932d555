# SPDX-License-Identifier: MIT
# fasterapi_pg/connection.py: connect(), Connection and transactions (sync)
"""The synchronous connection."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import TracebackType
from typing import Any

from . import _pg
from ._cursor import Cursor
from ._transaction import IsolationLevel, begin_sql, check_nested_options

__all__ = ["Connection", "IsolationLevel", "connect"]


class Connection(_pg.Connection):
    """One PostgreSQL connection, for scripts and worker threads.

    Queries take ``$1..$n`` parameters, sent in PostgreSQL's binary format; each query text is
    prepared once and cached (``statement_cache_size`` statements, least recently used out;
    0 disables the cache, as PgBouncer's transaction mode needs). Calls block and release the
    GIL while they wait. A connection is for one thread at a time.

    Example::

        with fasterapi_pg.connect(dsn) as conn:
            conn.execute("CREATE TEMP TABLE t (id int, name text)")
            conn.execute("INSERT INTO t VALUES ($1, $2)", 1, "one")
            row = conn.fetchrow("SELECT * FROM t WHERE id = $1", 1)
            assert row["name"] == "one" and row[0] == 1
    """

    _savepoints = 0  # savepoints made so far, for unique names

    def transaction(
        self,
        *,
        isolation: IsolationLevel | None = None,
        readonly: bool = False,
        deferrable: bool = False,
    ) -> contextlib.AbstractContextManager[None]:
        """Run a block in a transaction: commit on success, roll back on an exception.

        Nested blocks use savepoints, so an inner failure rolls back only the inner block.
        """
        return self._transaction(isolation, readonly, deferrable)

    @contextlib.contextmanager
    def _transaction(
        self, isolation: IsolationLevel | None, readonly: bool, deferrable: bool
    ) -> Iterator[None]:
        nested = self.transaction_status != "idle"
        if nested:
            check_nested_options(isolation, readonly, deferrable)
            self._savepoints += 1
            name = f"fasterapi_savepoint_{self._savepoints}"
            self.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if not self.is_closed():
                    self.execute(f"ROLLBACK TO SAVEPOINT {name}")
                raise
            else:
                self.execute(f"RELEASE SAVEPOINT {name}")
            return
        self.execute(begin_sql(isolation, readonly, deferrable))
        try:
            yield
        except BaseException:
            if not self.is_closed():
                self.execute("ROLLBACK")
            raise
        else:
            self.execute("COMMIT")

    def cursor(self, query: str, *args: Any, prefetch: int = 100) -> Cursor:
        """A server-side cursor over ``query``, read ``prefetch`` rows at a time, so a large
        result is streamed instead of held in memory. Needs an open transaction.

        Example::

            with conn.transaction(), conn.cursor("SELECT * FROM events") as events:
                for event in events:
                    process(event)
        """
        return Cursor(self, query, args, prefetch)

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def connect(dsn: str = "", *, timeout: float = 60.0, statement_cache_size: int = 100) -> Connection:
    """Open a connection. *dsn* is a libpq URL or ``key=value`` string; libpq's ``PG*``
    environment variables and TLS options apply as in libpq. *timeout* bounds connecting, in
    seconds. Raises :class:`~fasterapi_pg.ConnectionFailureError` saying why it failed."""
    return Connection(dsn, timeout=timeout, statement_cache_size=statement_cache_size)
