# SPDX-License-Identifier: MIT
"""Starlette's StaticFiles application."""

from starlette.staticfiles import StaticFiles as StaticFiles
