# SPDX-License-Identifier: MIT
"""A deliberately simple reference matcher: one regex per route, tried in order.

It states the semantics the tree must reproduce, in the most obvious way possible.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

KIND_REGEX = {
    "str": "[^/]+",
    "int": "[0-9]+",
    "float": r"[0-9]+(?:\.[0-9]+)?",
    "uuid": "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}",
    "path": ".*",
}
CONVERT = {"str": str, "int": int, "float": float, "uuid": uuid.UUID, "path": str}
PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-z]+))?}")


class ReferenceRouter:
    """First route (in insertion order) whose regex and method match wins (decoded paths)."""

    def __init__(self) -> None:
        self.routes: list[tuple[re.Pattern[str], dict[str, str], frozenset[str], Any]] = []

    def add(self, methods: list[str], pattern: str, value: Any) -> None:
        regex, kinds, last = "^", {}, 0
        for m in PARAM.finditer(pattern):
            kind = m.group(2) or "str"
            regex += re.escape(pattern[last : m.start()]) + f"(?P<{m.group(1)}>{KIND_REGEX[kind]})"
            kinds[m.group(1)] = kind
            last = m.end()
        regex += re.escape(pattern[last:]) + "$"
        self.routes.append((re.compile(regex, re.DOTALL), kinds, frozenset(methods), value))

    def candidates(self, method: str, path: str) -> list[tuple[Any, dict[str, Any]]]:
        """Every route matching path and method, in insertion order, with its params."""
        found = []
        for regex, kinds, methods, value in self.routes:
            m = regex.match(path)
            if m and (not methods or method in methods):
                params = {k: CONVERT[kinds[k]](v) for k, v in m.groupdict().items()}
                found.append((value, params))
        return found

    def allowed_methods(self, path: str) -> frozenset[str]:
        """The methods of every route matching PATH ("*" for a route taking any method)."""
        allowed: set[str] = set()
        for regex, _, methods, _ in self.routes:
            if regex.match(path):
                allowed |= methods or {"*"}
        return frozenset(allowed)
