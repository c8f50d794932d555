# SPDX-License-Identifier: MIT
# fasterapi_pg/_retry.py: rerun a transaction that lost to a concurrent one
"""``run_transaction`` / ``run_transaction_async``: run a function in a transaction and run
it again, from the start, when PostgreSQL aborts the transaction with a serialization
failure (SQLSTATE 40001) or a deadlock (40P01) — the failures that mean "retry me", which
serializable isolation produces by design.

Example::

    def transfer(conn):
        conn.execute("UPDATE accounts SET balance = balance - 10 WHERE id = $1", 1)
        conn.execute("UPDATE accounts SET balance = balance + 10 WHERE id = $1", 2)

    fasterapi_pg.run_transaction(pool, transfer, isolation="serializable")

The function may run several times: keep side effects outside the database (sending mail,
charging a card) out of it.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ._transaction import IsolationLevel
from .async_connection import AsyncConnection
from .async_pool import AsyncPool
from .connection import Connection
from .errors import DeadlockDetectedError, InterfaceError, SerializationError
from .pool import Pool

T = TypeVar("T")

RETRYABLE = (SerializationError, DeadlockDetectedError)


def _delays(attempts: int, first_delay: float, max_delay: float) -> list[float]:
    """Jittered exponential delays between attempts, so competing transactions that keep
    colliding spread out."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")
    if first_delay < 0 or max_delay < 0:
        raise ValueError("first_delay and max_delay must not be negative")
    return [
        min(max_delay, first_delay * 2**attempt) * random.uniform(0.5, 1.5)
        for attempt in range(attempts - 1)
    ]


def _outside_transaction(connection: Any) -> None:
    if connection.transaction_status != "idle":
        raise InterfaceError(
            "run_transaction needs a connection outside a transaction: a retry reruns the "
            "whole transaction, which a savepoint inside another one cannot do"
        )


def run_transaction(
    target: Connection | Pool,
    work: Callable[[Connection], T],
    *,
    isolation: IsolationLevel | None = "serializable",
    readonly: bool = False,
    deferrable: bool = False,
    attempts: int = 5,
    first_delay: float = 0.01,
    max_delay: float = 1.0,
) -> T:
    """Run ``work(connection)`` in a transaction on *target* (a connection, or a pool to
    take one from per attempt); rerun it after a serialization failure or deadlock, up to
    *attempts* times in all, then let the last error through."""
    delays = _delays(attempts, first_delay, max_delay)
    for delay in [*delays, None]:
        try:
            if isinstance(target, Pool):
                with target.connection() as connection:
                    return _attempt(connection, work, isolation, readonly, deferrable)
            return _attempt(target, work, isolation, readonly, deferrable)
        except RETRYABLE:
            if delay is None:
                raise
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _attempt(
    connection: Connection,
    work: Callable[[Connection], T],
    isolation: IsolationLevel | None,
    readonly: bool,
    deferrable: bool,
) -> T:
    _outside_transaction(connection)
    with connection.transaction(isolation=isolation, readonly=readonly, deferrable=deferrable):
        return work(connection)


async def run_transaction_async(
    target: AsyncConnection | AsyncPool,
    work: Callable[[AsyncConnection], Awaitable[T]],
    *,
    isolation: IsolationLevel | None = "serializable",
    readonly: bool = False,
    deferrable: bool = False,
    attempts: int = 5,
    first_delay: float = 0.01,
    max_delay: float = 1.0,
) -> T:
    """The async form of :func:`run_transaction`: ``await work(connection)`` per attempt."""
    delays = _delays(attempts, first_delay, max_delay)
    for delay in [*delays, None]:
        try:
            if isinstance(target, AsyncPool):
                async with target.acquire() as connection:
                    return await _attempt_async(connection, work, isolation, readonly, deferrable)
            return await _attempt_async(target, work, isolation, readonly, deferrable)
        except RETRYABLE:
            if delay is None:
                raise
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


async def _attempt_async(
    connection: AsyncConnection,
    work: Callable[[AsyncConnection], Awaitable[T]],
    isolation: IsolationLevel | None,
    readonly: bool,
    deferrable: bool,
) -> T:
    _outside_transaction(connection)
    async with connection.transaction(
        isolation=isolation, readonly=readonly, deferrable=deferrable
    ):
        return await work(connection)
