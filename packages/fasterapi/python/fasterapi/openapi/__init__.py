# SPDX-License-Identifier: MIT
"""OpenAPI document generation and the docs pages."""
