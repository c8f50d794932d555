# SPDX-License-Identifier: MIT
# fasterapi_testing/__init__.py: test utilities shared by the FasterAPI packages
"""Test utilities shared by the FasterAPI packages: a throw-away PostgreSQL cluster, a TCP
fault proxy and a leak check."""

from .fault_proxy import FaultProxy
from .leaks import allocated_after, leaks
from .pg_cluster import ClusterError, TempCluster, find_server_binaries

__all__ = [
    "ClusterError",
    "FaultProxy",
    "TempCluster",
    "allocated_after",
    "find_server_binaries",
    "leaks",
]
