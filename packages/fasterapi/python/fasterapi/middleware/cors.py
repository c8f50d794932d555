# SPDX-License-Identifier: MIT
"""Starlette's CORSMiddleware."""

from starlette.middleware.cors import CORSMiddleware as CORSMiddleware
