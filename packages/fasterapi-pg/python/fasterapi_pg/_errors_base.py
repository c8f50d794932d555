# SPDX-License-Identifier: MIT
# fasterapi_pg/_errors_base.py: the DB-API exception hierarchy under one base, Error
"""The hand-written part of the exception hierarchy; the per-SQLSTATE classes are generated
into ``_sqlstate.py`` on top of it."""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConnectionFailureError",
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "PostgresError",
    "ProgrammingError",
    "QueryTimeoutError",
]


class Error(Exception):
    """Base class of every error fasterapi_pg raises."""

    __module__ = "fasterapi_pg"


class InterfaceError(Error):
    """The driver was used wrongly: a wrong parameter count, a value that cannot be encoded
    for its parameter's type (raised before anything is sent), a closed connection."""

    __module__ = "fasterapi_pg"


class DatabaseError(Error):
    """An error related to the database."""

    __module__ = "fasterapi_pg"


class DataError(DatabaseError):
    __module__ = "fasterapi_pg"


class OperationalError(DatabaseError):
    __module__ = "fasterapi_pg"


class IntegrityError(DatabaseError):
    __module__ = "fasterapi_pg"


class InternalError(DatabaseError):
    __module__ = "fasterapi_pg"


class ProgrammingError(DatabaseError):
    __module__ = "fasterapi_pg"


class NotSupportedError(DatabaseError):
    __module__ = "fasterapi_pg"


class ConnectionFailureError(OperationalError):
    """The connection could not be made, or was lost; the message says which, and which query
    was running. A lost connection is closed for good."""

    __module__ = "fasterapi_pg"


class QueryTimeoutError(OperationalError, TimeoutError):
    """A call ran past its ``timeout``: the server cancelled the query, and the connection is
    usable again (a transaction in progress is aborted, as after any error)."""

    __module__ = "fasterapi_pg"


class PostgresError(DatabaseError):
    """An error the server reported. Its class is chosen by SQLSTATE (``UniqueViolationError``
    for ``23505``...), and it carries the server's fields."""

    __module__ = "fasterapi_pg"
    sqlstate: str = ""

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.severity: str = fields.get("severity", "")
        self.detail: str = fields.get("detail", "")
        self.hint: str = fields.get("hint", "")
        self.position: str = fields.get("position", "")
        self.schema_name: str = fields.get("schema_name", "")
        self.table_name: str = fields.get("table_name", "")
        self.column_name: str = fields.get("column_name", "")
        self.data_type_name: str = fields.get("data_type_name", "")
        self.constraint_name: str = fields.get("constraint_name", "")
        if "sqlstate" in fields:
            self.sqlstate = fields["sqlstate"]

    def __str__(self) -> str:
        text = self.message
        if self.detail:
            text += f"\nDETAIL: {self.detail}"
        if self.hint:
            text += f"\nHINT: {self.hint}"
        return text
