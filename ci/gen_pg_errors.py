# SPDX-License-Identifier: MIT
# ci/gen_pg_errors.py: generate fasterapi_pg/_sqlstate.py from PostgreSQL's errcodes.txt
"""One exception class per SQLSTATE, generated from PostgreSQL's own list.

    python ci/gen_pg_errors.py [/usr/share/postgresql/15/errcodes.txt]

Each SQLSTATE class (``23000`` ...) becomes a subclass of PostgresError and of the DB-API
class it belongs to; each code below it subclasses its class. Names are the condition names
in CamelCase with a trailing Failure/Error folded into one ``Error``:
``unique_violation`` -> ``UniqueViolationError``, ``serialization_failure`` ->
``SerializationError``; a name a builtin has gets a ``Postgres`` prefix
(``PostgresSyntaxError``).
"""

from __future__ import annotations

import builtins
import glob
import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).parent.parent / "packages/fasterapi-pg/python/fasterapi_pg/_sqlstate.py"

DBAPI_BASE = {
    "0A": "NotSupportedError",
    "08": "OperationalError",
    "22": "DataError",
    "23": "IntegrityError",
    "40": "OperationalError",
    "42": "ProgrammingError",
    "53": "OperationalError",
    "54": "OperationalError",
    "55": "OperationalError",
    "57": "OperationalError",
    "58": "OperationalError",
    "XX": "InternalError",
}


def class_name(condition: str) -> str:
    name = "".join(part.capitalize() for part in condition.split("_"))
    for suffix in ("Failure", "Error"):
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
    name += "Error"
    # Never shadow a builtin or a DB-API class (syntax_error, internal_error).
    taken = hasattr(builtins, name) or name in DBAPI_BASE.values() or name == "InternalError"
    return "Postgres" + name if taken else name


def main() -> None:
    source = (
        sys.argv[1]
        if len(sys.argv) > 1
        else sorted(glob.glob("/usr/share/postgresql/*/errcodes.txt"))[-1]
    )
    entries: list[tuple[str, str]] = []
    for line in Path(source).read_text().splitlines():
        match = re.match(r"^([0-9A-Z]{5})\s+E\s+ERRCODE_\S+\s+(\S+)", line)
        if match:
            entries.append((match.group(1), match.group(2)))
    seen: set[str] = set()
    lines = [
        "# SPDX-License-Identifier: MIT",
        "# GENERATED FROM PostgreSQL's errcodes.txt. DO NOT MODIFY, use ci/gen_pg_errors.py",
        '"""One exception class per SQLSTATE (generated)."""',
        "",
        "from ._errors_base import (",
        "    DataError,",
        "    IntegrityError,",
        "    InternalError,",
        "    NotSupportedError,",
        "    OperationalError,",
        "    PostgresError,",
        "    ProgrammingError,",
        ")",
        "",
        "__all__ = [",
    ]
    classes: list[str] = []
    table: list[str] = []
    class_of: dict[str, str] = {}
    for state, condition in entries:
        name = class_name(condition)
        if name in seen:  # a few conditions share a name across codes
            name = class_name(condition + "_" + state.lower())
        seen.add(name)
        if state.endswith("000"):
            dbapi = DBAPI_BASE.get(state[:2])
            bases = f"PostgresError, {dbapi}" if dbapi else "PostgresError"
            class_of[state[:2]] = name
        else:
            bases = class_of.get(state[:2], "PostgresError")
        classes += [
            "",
            "",
            f"class {name}({bases}):",
            f'    """SQLSTATE {state}: {condition}."""',
            "",
            f'    sqlstate = "{state}"',
            '    __module__ = "fasterapi_pg"',
        ]
        table.append(f'    "{state}": {name},')
    lines += [f'    "{name}",' for name in sorted(seen)] + ["]"] + classes
    lines += ["", "", "BY_SQLSTATE: dict[str, type[PostgresError]] = {", *table, "}", ""]
    OUTPUT.write_text("\n".join(lines))
    print(f"wrote {OUTPUT} ({len(entries)} SQLSTATEs)")


if __name__ == "__main__":
    main()
