# SPDX-License-Identifier: MIT
"""Dependency analysis: endpoint signatures into dependency trees."""
