# SPDX-License-Identifier: MIT
# fasterapi_futures/_queues.py: one completion queue per event loop, registered as a reader
"""The registry of completion queues (see Promise).

Each event loop gets one CompletionQueue the first time a Promise is made for it; the loop
watches the queue's eventfd with ``add_reader``, so completions from other threads reach it
on any loop that supports readers (asyncio's, uvloop, fasterapi_futures').
"""

from __future__ import annotations

import asyncio
import threading
import weakref

from ._futures import CompletionQueue

# Both sides weak: an open loop keeps its queue alive through the reader it registered, and
# Promises keep theirs; nothing here keeps a closed loop (or its undelivered completions) alive.
_queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, weakref.ref[CompletionQueue]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def _attach(loop: asyncio.AbstractEventLoop, queue: CompletionQueue) -> None:
    """On the loop's thread: watch the queue and let Promises made here complete directly."""
    queue.bind_to_current_thread()
    loop.add_reader(queue.fileno(), queue.drain)


def queue_for(loop: asyncio.AbstractEventLoop) -> CompletionQueue:
    """The completion queue of ``loop``, created and registered with it on first use."""
    with _lock:
        known = _queues.get(loop)
        queue = known() if known is not None else None
        if queue is None:
            queue = CompletionQueue()
            _queues[loop] = weakref.ref(queue)
            if asyncio._get_running_loop() is loop:
                _attach(loop, queue)
            else:
                # add_reader is not thread-safe; completions queued meanwhile keep the eventfd
                # readable, so the reader sees them as soon as it is registered.
                loop.call_soon_threadsafe(_attach, loop, queue)
        return queue
