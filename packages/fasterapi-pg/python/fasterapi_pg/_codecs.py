# SPDX-License-Identifier: MIT
# fasterapi_pg/_codecs.py: what set_type_codec shares between the sync and async connections
"""Custom codecs: a type found by name, its values sent and read in PostgreSQL's text form."""

from __future__ import annotations

from ._errors_base import InterfaceError

TYPE_OID_SQL = (
    "SELECT t.oid FROM pg_catalog.pg_type t "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    "WHERE t.typname = $1 AND n.nspname = $2"
)


def check_format(format: str) -> None:
    if format != "text":
        raise NotImplementedError(
            f"set_type_codec(format={format!r}): only format='text' is implemented (the encoder "
            "returns the value's PostgreSQL text form, the decoder receives it)"
        )


def type_not_found(typename: str, schema: str) -> InterfaceError:
    return InterfaceError(f"set_type_codec: no type {typename!r} in schema {schema!r}")
