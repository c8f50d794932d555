# SPDX-License-Identifier: MIT
# fasterapi_testing/__init__.py: test utilities shared by the FasterAPI packages
"""Test utilities shared by the FasterAPI packages: a throw-away PostgreSQL cluster, a TCP
fault proxy, a scripted fake server, a leak check and a libpq that streams rows."""

from .fake_backend import FakeBackend, Hangup
from .fault_proxy import FaultProxy
from .leaks import allocated_after, leaks
from .newer_libpq import libpq_that_streams
from .pg_cluster import ClusterError, TempCluster, find_server_binaries

__all__ = [
    "ClusterError",
    "FakeBackend",
    "FaultProxy",
    "Hangup",
    "TempCluster",
    "allocated_after",
    "find_server_binaries",
    "leaks",
    "libpq_that_streams",
]
