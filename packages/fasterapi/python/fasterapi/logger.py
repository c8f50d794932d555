# SPDX-License-Identifier: MIT
# fasterapi/logger.py: the package's logger (``fastapi.logger`` under FastAPI's name)
"""``logger``: where fasterapi reports what it cannot raise (for example a telemetry
exporter that failed to start or to flush). It is the ``fastapi`` logger, so logging set up
for a FastAPI application keeps working after the switch."""

import logging

logger = logging.getLogger("fastapi")
