# SPDX-License-Identifier: MIT
"""Starlette's TestClient (needs ``httpx``)."""

from starlette.testclient import TestClient as TestClient
