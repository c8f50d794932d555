# SPDX-License-Identifier: MIT
# fasterapi_pg/connection.py: connect(), Connection and transactions (sync)
"""The synchronous connection."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any

from . import _pg
from ._codecs import TYPE_OID_SQL, check_format, type_not_found
from ._copy import (
    COLUMN_COUNT_SQL,
    TYPE_NAME_SQL,
    CopySink,
    CopySource,
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
from ._cursor import Cursor
from ._prepared import PreparedStatement
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

    def _with_literals(self, query: str, args: tuple[Any, ...]) -> str:
        parameter_types, _ = self._describe(query)
        check_argument_count(query, len(parameter_types), len(args))
        names = [self.fetchval(TYPE_NAME_SQL, oid) for oid in parameter_types]
        literals = self.fetchrow(literals_sql(names), *args)
        assert literals is not None  # a SELECT without FROM has its one row
        return with_literals(query, [str(literal) for literal in literals])

    def set_type_codec(
        self,
        typename: str,
        *,
        schema: str = "public",
        encoder: Callable[[Any], str],
        decoder: Callable[[str], Any],
        format: str = "text",
    ) -> None:
        """Send and read values of type ``schema.typename`` through your functions: ``encoder``
        turns a value into PostgreSQL's text form, ``decoder`` turns that text back (as
        asyncpg's; ``format='text'`` only). Applies to this connection from now on.

        Example::

            conn.set_type_codec("complex_pair", encoder=lambda c: f"({c.real},{c.imag})",
                                decoder=parse_pair)
        """
        check_format(format)
        oid = self.fetchval(TYPE_OID_SQL, typename, schema)
        if oid is None:
            raise type_not_found(typename, schema)
        self._set_codec(oid, encoder, decoder)

    def prepare(self, query: str) -> PreparedStatement:
        """Prepare ``query`` now (bad SQL fails here) and return it as a
        :class:`~fasterapi_pg.PreparedStatement`: run it with the connection's methods, and
        ask it for its parameter and column types."""
        return PreparedStatement(self, query, self._describe(query))

    def cursor(self, query: str, *args: Any, prefetch: int = 100) -> Cursor:
        """A server-side cursor over ``query``, read ``prefetch`` rows at a time, so a large
        result is streamed instead of held in memory. Needs an open transaction.

        Example::

            with conn.transaction(), conn.cursor("SELECT * FROM events") as events:
                for event in events:
                    process(event)
        """
        return Cursor(self, query, args, prefetch)

    # -- COPY ------------------------------------------------------------------------------

    def copy_to_table(
        self,
        table_name: str,
        *,
        source: CopySource,
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
        """``COPY table FROM STDIN`` from ``source``: bytes, a path, a binary file or an
        iterable of byte chunks, streamed as read. Returns the status tag ("COPY 3").

        Example::

            conn.copy_to_table("users", source=open("users.tsv", "rb"))
            conn.copy_to_table("users", source="users.csv", format="csv", header=True)
        """
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
        with open_source(source) as chunks:
            return self._copy_in(sql, chunks)

    def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[Any]],
        columns: Sequence[str] | None = None,
        schema_name: str | None = None,
    ) -> str:
        """``COPY table FROM STDIN`` in PostgreSQL's binary format, each record (a sequence
        of values in column order) encoded by the same codecs as query parameters. The
        fastest way to load many rows. Returns the status tag.

        Example::

            conn.copy_records_to_table("users", records=[(1, "ada"), (2, "bob")])
        """
        target = table_target(table_name, columns, schema_name)
        if columns:
            width = len(columns)
        else:
            width = self.fetchval(
                COLUMN_COUNT_SQL,
                table_target(table_name, None, schema_name),
            )
        sql, probe = records_copy(target, width)
        return self._copy_records(sql, probe, records)

    def copy_from_table(
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
        """``COPY table TO STDOUT`` into ``output`` (a path, a binary file or a callable per
        chunk), streamed as it arrives. Returns the status tag."""
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
            return self._copy_out(sql, sink)

    def copy_from_query(
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
        """``COPY (query) TO STDOUT`` into ``output``, streamed. COPY itself takes no
        parameters: ``args`` are written into the query as literals, each formatted by the
        server for the type the query gives its ``$n`` (as asyncpg does).

        Example::

            with open("report.csv", "wb") as out:
                conn.copy_from_query("SELECT * FROM sales", output=out, format="csv")
        """
        if args:
            query = self._with_literals(query, args)
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
            return self._copy_out(sql, sink)

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def connect(
    dsn: str = "",
    *,
    timeout: float = 60.0,
    statement_cache_size: int = 100,
    json_as_text: bool = False,
) -> Connection:
    """Open a connection. *dsn* is a libpq URL or ``key=value`` string; libpq's ``PG*``
    environment variables and TLS options apply as in libpq. *timeout* bounds connecting, in
    seconds. With *json_as_text*, ``json`` and ``jsonb`` values come back as their text, and a
    ``str`` parameter for one is sent as the document's text (other values are still
    serialized with ``json.dumps``). Raises :class:`~fasterapi_pg.ConnectionFailureError`
    saying why it failed."""
    return Connection(
        dsn, timeout=timeout, statement_cache_size=statement_cache_size, json_as_text=json_as_text
    )
