# SPDX-License-Identifier: MIT
# fasterapi_futures/errors.py: the package's exceptions, under one base
"""Exceptions raised by fasterapi_futures.

Everything the package itself raises derives from :class:`FuturesError`. A timeout is a
:class:`DeadlineExceeded`, which is also a built-in ``TimeoutError``, so it is told apart from
an outside cancellation (``asyncio.CancelledError``) and still caught by ``except TimeoutError``.
"""

from __future__ import annotations


class FuturesError(Exception):
    """Base class of every fasterapi_futures error."""


class DeadlineExceeded(FuturesError, TimeoutError):
    """The deadline of ``with_timeout`` or ``timeout`` passed before the work finished."""


class RetriesExhausted(FuturesError):
    """``retry`` gave up; ``__cause__`` is the last failure, ``attempts`` how many were made."""

    def __init__(self, attempts: int, last: BaseException) -> None:
        super().__init__(f"gave up after {attempts} attempts; last error: {last!r}")
        self.attempts = attempts
