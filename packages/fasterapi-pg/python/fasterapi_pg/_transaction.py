# SPDX-License-Identifier: MIT
# fasterapi_pg/_transaction.py: the SQL of transactions, shared by the sync and async forms
"""How a transaction block starts and ends, whichever API runs it."""

from __future__ import annotations

from typing import Literal

from ._errors_base import InterfaceError

IsolationLevel = Literal["read_committed", "repeatable_read", "serializable"]


def begin_sql(isolation: IsolationLevel | None, readonly: bool, deferrable: bool) -> str:
    """The BEGIN that opens an outermost transaction with these options."""
    begin = "BEGIN"
    if isolation:
        begin += " ISOLATION LEVEL " + isolation.replace("_", " ").upper()
    if readonly:
        begin += " READ ONLY"
    if deferrable:
        begin += " DEFERRABLE"
    return begin


def check_nested_options(
    isolation: IsolationLevel | None, readonly: bool, deferrable: bool
) -> None:
    """A nested block is a savepoint: it inherits the outer transaction's options."""
    if isolation or readonly or deferrable:
        raise InterfaceError("cannot set isolation, readonly or deferrable on a nested transaction")


def quote_ident(name: str) -> str:
    """NAME as an SQL identifier (channel names for LISTEN, savepoints)."""
    return '"' + name.replace('"', '""') + '"'
