# SPDX-License-Identifier: MIT
# fasterapi_futures/__init__.py: the public API of fasterapi-futures
"""Native futures that any asyncio code can await, and combinators over awaitables.

Example::

    >>> import asyncio, threading
    >>> import fasterapi_futures as ff
    >>> async def main():
    ...     promise = ff.Promise()
    ...     threading.Thread(target=promise.set_result, args=(42,)).start()
    ...     return await ff.with_timeout(promise.future, 5.0)
    >>> asyncio.run(main())
    42
"""

from ._futures import Future, Promise
from ._version import __version__
from .combinators import (
    map_concurrent,
    race,
    retry,
    sleep,
    timeout,
    when_all,
    when_any,
    with_timeout,
)
from .errors import DeadlineExceeded, FuturesError, RetriesExhausted
from .loop import EventLoop, EventLoopPolicy, install, new_event_loop, run

Future.__module__ = "fasterapi_futures"
Promise.__module__ = "fasterapi_futures"

__all__ = [
    "DeadlineExceeded",
    "EventLoop",
    "EventLoopPolicy",
    "Future",
    "FuturesError",
    "Promise",
    "RetriesExhausted",
    "__version__",
    "install",
    "map_concurrent",
    "new_event_loop",
    "race",
    "retry",
    "run",
    "sleep",
    "timeout",
    "when_all",
    "when_any",
    "with_timeout",
]
