# SPDX-License-Identifier: MIT
# fasterapi_pg/_copy.py: building COPY statements, adapting sources and sinks
"""What the COPY methods share: the statement text (table, columns, options, all quoted) and
the adapters from what users pass (bytes, files, paths, iterables, callables) to what the
native core moves (an iterable of byte chunks in, a callable per chunk out)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any, TypeAlias

from ._errors_base import InterfaceError
from ._transaction import quote_ident

# Bytes, a binary file, a path, or an iterable of byte chunks.
CopySource: TypeAlias = (
    bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes] | Iterable[Any]
)
# A binary file, a path, or a callable taking each chunk.
CopySink: TypeAlias = str | os.PathLike[str] | IO[bytes] | Callable[[bytes], object]

_CHUNK = 256 * 1024
_FORMATS = ("text", "csv", "binary")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def table_target(table_name: str, columns: Sequence[str] | None, schema_name: str | None) -> str:
    """``"schema"."table" ("a", "b")``, every name quoted."""
    target = quote_ident(table_name)
    if schema_name is not None:
        target = f"{quote_ident(schema_name)}.{target}"
    if columns:
        target += " (" + ", ".join(quote_ident(column) for column in columns) + ")"
    return target


def copy_options(
    format: str | None = None,
    delimiter: str | None = None,
    null: str | None = None,
    header: bool | None = None,
    quote: str | None = None,
    escape: str | None = None,
    encoding: str | None = None,
) -> str:
    """`` WITH (FORMAT csv, ...)`` for the options given, or ""."""
    options = []
    if format is not None:
        if format not in _FORMATS:
            raise InterfaceError(f"COPY format must be one of {_FORMATS}, not {format!r}")
        options.append(f"FORMAT {format}")
    for name, value in (
        ("DELIMITER", delimiter),
        ("NULL", null),
        ("QUOTE", quote),
        ("ESCAPE", escape),
        ("ENCODING", encoding),
    ):
        if value is not None:
            options.append(f"{name} {_literal(value)}")
    if header is not None:
        options.append(f"HEADER {'true' if header else 'false'}")
    return f" WITH ({', '.join(options)})" if options else ""


# The number of (live) columns of a table, for copy_records_to_table without ``columns``.
COLUMN_COUNT_SQL = (
    "SELECT count(*) FROM pg_attribute WHERE attrelid = $1::text::regclass "
    "AND attnum > 0 AND NOT attisdropped"
)


def copy_table_sql(
    direction: str,
    table_name: str,
    columns: Sequence[str] | None,
    schema_name: str | None,
    **options: Any,
) -> str:
    """``COPY "table" (cols) FROM STDIN`` / ``TO STDOUT`` (DIRECTION) with its options."""
    return f"COPY {table_target(table_name, columns, schema_name)} {direction}" + copy_options(
        **options
    )


def copy_query_sql(query: str, **options: Any) -> str:
    """``COPY (query) TO STDOUT`` with its options."""
    return f"COPY ({query.strip().rstrip(';')}) TO STDOUT" + copy_options(**options)


def records_copy(target: str, width: int) -> tuple[str, str]:
    """(the binary COPY of TARGET, an INSERT of its WIDTH columns that is only prepared, to
    learn the column types the records are encoded for)."""
    placeholders = ", ".join(f"${n}" for n in range(1, width + 1))
    return (
        f"COPY {target} FROM STDIN WITH (FORMAT binary)",
        f"INSERT INTO {target} VALUES ({placeholders})",
    )


def open_source(source: CopySource) -> AbstractContextManager[Iterable[Any]]:
    """The source as an iterable of byte chunks (a path is opened, and closed after)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return nullcontext([source])
    if isinstance(source, (str, os.PathLike)):
        return _file_chunks(open(source, "rb"))
    if hasattr(source, "read"):
        return nullcontext(_read_chunks(source))
    if isinstance(source, Iterable):
        return nullcontext(source)
    raise InterfaceError(
        "COPY source must be bytes, a path, a binary file or an iterable of bytes, "
        f"not {type(source).__name__}"
    )


class _file_chunks(AbstractContextManager[Iterable[Any]]):
    def __init__(self, file: IO[bytes]) -> None:
        self._file = file

    def __enter__(self) -> Iterable[Any]:
        return _read_chunks(self._file)

    def __exit__(self, *exc_info: object) -> None:
        self._file.close()


def _read_chunks(file: Any) -> Iterator[bytes]:
    while chunk := file.read(_CHUNK):
        yield chunk


def open_sink(output: CopySink) -> AbstractContextManager[Callable[[bytes], object]]:
    """The sink as a callable per chunk (a path is opened for writing, and closed after)."""
    if isinstance(output, (str, os.PathLike)):
        return _file_writer(open(output, "wb"))
    if hasattr(output, "write"):
        return nullcontext(output.write)
    if callable(output):
        return nullcontext(output)
    raise InterfaceError(
        f"COPY output must be a path, a binary file or a callable, not {type(output).__name__}"
    )


class _file_writer(AbstractContextManager[Callable[[bytes], object]]):
    def __init__(self, file: IO[bytes]) -> None:
        self._file = file

    def __enter__(self) -> Callable[[bytes], object]:
        return self._file.write

    def __exit__(self, *exc_info: object) -> None:
        self._file.close()


# COPY takes no parameters, so copy_from_query() writes its arguments into the query as
# literals, formatted by the server: each one is sent with the type the query gives its $n and
# turned into a quoted literal there (quote_nullable), as asyncpg does.
TYPE_NAME_SQL = "SELECT format_type($1::int8::oid, NULL)"
_PLACEHOLDER = re.compile(r"\$(\d+)\b")


def literals_sql(type_names: Sequence[str]) -> str:
    """``SELECT quote_nullable($1::int4::text), ...``: the arguments as SQL literals."""
    return "SELECT " + ", ".join(
        f"quote_nullable(${n}::{name}::text)" for n, name in enumerate(type_names, start=1)
    )


def check_argument_count(query: str, expected: int, given: int) -> None:
    if expected != given:
        raise InterfaceError(
            f"copy_from_query(): the query takes {expected} argument(s) ($1..${expected}), "
            f"got {given}"
        )


def with_literals(query: str, literals: Sequence[str]) -> str:
    """QUERY with each ``$n`` replaced by the n-th literal."""
    return _PLACEHOLDER.sub(lambda match: literals[int(match.group(1)) - 1], query)
