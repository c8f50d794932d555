# SPDX-License-Identifier: MIT
# fasterapi_pg/__init__.py: the public API of fasterapi-pg
"""A PostgreSQL driver on libpq with a C++ core: binary protocol, prepared-statement cache."""

from . import errors
from ._cursor import AsyncCursor, AsyncCursorFactory, Cursor
from ._pg import Record, libpq_version, streams_rows
from ._pool_common import PoolStats, PoolTimeout, TooManyRequests
from ._prepared import AsyncPreparedStatement, PreparedStatement
from ._retry import run_transaction, run_transaction_async
from ._version import __version__
from .async_connection import AsyncConnection, connect_async
from .async_pool import AsyncPool
from .connection import Connection, connect
from .errors import *  # noqa: F403
from .pool import Pool

__all__ = [
    "AsyncConnection",
    "AsyncCursor",
    "AsyncCursorFactory",
    "AsyncPool",
    "AsyncPreparedStatement",
    "Connection",
    "Cursor",
    "Pool",
    "PoolStats",
    "PoolTimeout",
    "PreparedStatement",
    "Record",
    "TooManyRequests",
    "__version__",
    "connect",
    "connect_async",
    "errors",
    "libpq_version",
    "run_transaction",
    "run_transaction_async",
    "streams_rows",
    *errors.__all__,
]
