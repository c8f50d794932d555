# SPDX-License-Identifier: MIT
# fasterapi_pg/_pool_common.py: what the thread pool and the asyncio pool share
"""Settings, statistics, errors and policies common to :class:`Pool` and :class:`AsyncPool`."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

from ._errors_base import OperationalError

__all__ = ["Backoff", "PoolSettings", "PoolStats", "PoolTimeout", "TooManyRequests", "pool_log"]

# What a pool reports but does not raise (the caller's work is done by then).
pool_log = logging.getLogger("fasterapi_pg.pool")


class PoolTimeout(OperationalError):
    """No connection became available within the acquire timeout."""

    __module__ = "fasterapi_pg"


class TooManyRequests(PoolTimeout):
    """An acquire refused at once: *max_waiting* callers were already waiting (a server
    sheds load with it, answering 503 instead of queueing work it cannot finish in time)."""

    __module__ = "fasterapi_pg"


@dataclass(frozen=True)
class PoolStats:
    """A snapshot of a pool (see ``stats()``)."""

    size: int  # open connections, idle and in use
    idle: int
    in_use: int
    waiting: int  # callers waiting in acquire()
    acquired: int  # acquires served so far
    acquire_wait_avg: float  # mean seconds an acquire waited
    connections_made: int
    connections_lost: int  # dropped because they broke, expired or sat idle too long


@dataclass(frozen=True)
class PoolSettings:
    """A pool's configuration, checked once (the pools' constructors document each field)."""

    dsn: str
    min_size: int
    max_size: int
    max_lifetime: float
    max_idle: float
    acquire_timeout: float
    connect_timeout: float
    statement_cache_size: int
    json_as_text: bool
    ping_after: float
    ping_timeout: float
    reset_timeout: float
    max_waiting: int

    def __post_init__(self) -> None:
        if not 0 <= self.min_size <= self.max_size or self.max_size < 1:
            raise ValueError(
                f"cannot create the pool: need 0 <= min_size <= max_size and max_size >= 1, "
                f"got min_size={self.min_size!r}, max_size={self.max_size!r}"
            )
        if self.max_waiting < 0:
            raise ValueError(
                "cannot create the pool: max_waiting must be 0 (no limit) or more, "
                f"got {self.max_waiting!r}"
            )

    def check_queue(self, waiting: int, size: int) -> None:
        """Raise TooManyRequests when another caller may not wait (WAITING already do)."""
        if self.max_waiting and waiting >= self.max_waiting:
            raise TooManyRequests(
                f"cannot acquire a connection: all {size} are in use and {waiting} caller(s) "
                f"are already waiting, as many as max_waiting={self.max_waiting} allows"
            )

    def connect_timeout_by(self, deadline: float, now: float) -> float:
        """How long a connect may take for an acquire due at DEADLINE: the connect timeout,
        or less when the acquire's time runs out first (a server that does not answer must
        not hold the caller past its acquire timeout)."""
        return max(0.001, min(self.connect_timeout, deadline - now))

    def ping_timeout_by(self, deadline: float, now: float) -> float:
        return max(0.001, min(self.ping_timeout, deadline - now))

    def reusable(self, created: float, released: float, now: float) -> bool:
        """May a connection made at CREATED and idle since RELEASED be handed out at NOW?"""
        return now - created < self.max_lifetime and now - released < self.max_idle


class Backoff:
    """Jittered exponential delays between connect attempts while the server is down: many
    callers retrying at once spread out instead of arriving together."""

    __slots__ = ("_delay",)

    def __init__(self) -> None:
        self._delay = 0.05

    def next_delay(self, remaining: float) -> float:
        delay = min(remaining, self._delay * random.uniform(0.5, 1.5))
        self._delay = min(self._delay * 2, 5.0)
        return delay
