# SPDX-License-Identifier: MIT
# fasterapi/cli.py: the `fastapi` command (`python -m fasterapi`), through fastapi-cli
"""``python -m fasterapi dev app.py`` / ``run``: FastAPI's command line (the fastapi-cli
package, which serves any ASGI app with uvicorn), when it is installed."""

from __future__ import annotations

import importlib
from collections.abc import Callable

cli_main: Callable[[], None] | None
try:
    cli_main = importlib.import_module("fastapi_cli.cli").main
except ImportError:  # the command line is optional
    cli_main = None


def main() -> None:
    """Run the command line, or say what to install for it."""
    if cli_main is None:
        message = (
            "To use the fastapi command, please install fastapi-cli:\n\n\tpip install fastapi-cli\n"
        )
        print(message)
        raise RuntimeError(message)
    cli_main()
