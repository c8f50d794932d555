# SPDX-License-Identifier: MIT
# fasterapi_testing/callgrind.py: instructions per unit of work, counted by callgrind
"""What the packages' ``benchmarks/instructions.py`` scripts share: run a Python child
process under ``valgrind --tool=callgrind`` and read how many instructions it executed.

Instruction counts do not care how busy the machine is, which makes them the steady
complement of timings on a shared machine; they leave out the kernel, cache misses and
branch mispredictions.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Sequence


def require_valgrind() -> None:
    """Exit with a clear message when valgrind is not installed."""
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed (apt-get install valgrind)")


def instructions(arguments: Sequence[str]) -> int:
    """Instructions executed by ``python ARGUMENTS...`` under callgrind."""
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count from callgrind:\n{run.stderr}")
    return int(found.group(1))


def instructions_per_unit(arguments: Sequence[str], steps: int, units_per_step: int = 1) -> float:
    """Instructions per unit of work of the child ``python ARGUMENTS... K``, which does K
    steps of UNITS_PER_STEP units each: it runs with K = STEPS and K = 3 x STEPS, and the
    difference is divided by the units between them, so start-up, imports and set-up cancel
    out."""
    few = instructions([*arguments, str(steps)])
    many = instructions([*arguments, str(3 * steps)])
    return (many - few) / (2 * steps * units_per_step)
