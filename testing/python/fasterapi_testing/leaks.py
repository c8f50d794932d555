# SPDX-License-Identifier: MIT
# fasterapi_testing/leaks.py: does repeated work leave Python objects behind?
"""The leak check the packages' tests share: run some work many times and see whether the
allocator ends where it began.

A leak of even one object per call grows with the rounds; what Python's own caches (error
paths, interned strings, free lists) add meanwhile does not, so a tenth of a block per round
is allowed.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable


def allocated_after(work: Callable[[], None], rounds: int) -> int:
    """Blocks still allocated after ROUNDS calls of WORK, counted after a warm-up of as many
    calls (caches inside Python fill up during the warm-up; a leak grows with every call)."""
    for _ in range(rounds):
        work()
    gc.collect()
    before = sys.getallocatedblocks()
    for _ in range(rounds):
        work()
    gc.collect()
    return sys.getallocatedblocks() - before


def leaks(work: Callable[[], None], rounds: int) -> bool:
    """True when ROUNDS more calls of WORK leave a tenth of a block per call or more behind,
    in two measurements running: a leak grows every time; a one-off (a cache that filled
    late, a collection that ran at the wrong moment) does not come back."""
    threshold = rounds // 10
    return allocated_after(work, rounds) >= threshold and allocated_after(work, rounds) >= threshold
