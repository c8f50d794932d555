# SPDX-License-Identifier: MIT
"""json and jsonb values decode to exactly what json.loads makes of the server's text."""

from __future__ import annotations

import json
import math
import random

import pytest

import fasterapi_pg

DOCUMENTS = [
    "null",
    "true",
    "false",
    "0",
    "-0",
    "123456789012345678",  # the largest int the fast path makes
    "1234567890123456789",  # one digit more: through PyLong_FromString
    "-99999999999999999999999999999999",
    "1.5",
    "-0.0",
    "1e3",
    "2.5E-3",
    "1e400",  # json: out of double's range -> inf, as float() does
    "-1e400",
    "1e-400",
    "0.1",
    "3.141592653589793238462643383279",
    '""',
    '"plain"',
    '"quote \\" backslash \\\\ slash \\/ controls \\b\\f\\n\\r\\t"',
    '"\\u00e9\\u2713 and a pair \\ud83d\\ude00"',
    '"é✓ raw 😀"',
    "[]",
    "{}",
    '[1, "a", null, true, [[], {}], {"k": [1.5]}]',
    '{"a": 1, "a": 2}',  # json: a repeated key, the last wins
    '{"key with \\"escape\\"": 1, "k": {"k": {"k": "deep"}}}',
    ' \n\t{ "spaced" : [ 1 , 2 ] } \r\n',  # json keeps the text's whitespace
    '{"a_key_longer_than_the_cache_width_of_twenty_four": 1}',
]


def json_literal(document: str) -> str:
    return "'" + document.replace("'", "''") + "'"


@pytest.mark.pg
@pytest.mark.parametrize("type_name", ["json", "jsonb"])
def test_documents_decode_as_json_loads(conn: fasterapi_pg.Connection, type_name: str) -> None:
    for document in DOCUMENTS:
        row = conn.fetchrow(
            f"SELECT {json_literal(document)}::{type_name} AS v, "
            f"{json_literal(document)}::{type_name}::text AS t"
        )
        assert row is not None
        expected = json.loads(row["t"])
        assert same_json(row["v"], expected), (type_name, document, row["v"], expected)


@pytest.mark.pg
def test_escapes_only_json_keeps_decode_as_json_loads(conn: fasterapi_pg.Connection) -> None:
    # json (not jsonb) keeps its text as written: a lone surrogate goes to json.loads, and
    # \u0000 (which jsonb refuses) decodes to NUL.
    assert conn.fetchval("SELECT '\"\\ud800 alone\"'::json") == json.loads('"\\ud800 alone"')
    assert conn.fetchval("SELECT '\"\\u0000 nul\"'::json") == "\x00 nul"


@pytest.mark.pg
def test_deep_nesting_decodes(conn: fasterapi_pg.Connection) -> None:
    document = "[" * 300 + "1" + "]" * 300  # deeper than the fast parser goes
    value = conn.fetchval(f"SELECT '{document}'::jsonb")
    for _ in range(300):
        assert isinstance(value, list)
        assert len(value) == 1
        value = value[0]
    assert value == 1


@pytest.mark.pg
def test_random_documents_decode_as_json_loads(conn: fasterapi_pg.Connection) -> None:
    rng = random.Random(7)
    documents = [json.dumps(random_document(rng, 4)) for _ in range(300)]
    rows = conn.fetch(
        "SELECT d::jsonb AS b, d::json AS j, d::jsonb::text AS t FROM unnest($1::text[]) AS d",
        documents,
    )
    for document, row in zip(documents, rows, strict=True):
        assert same_json(row["j"], json.loads(document)), document
        assert same_json(row["b"], json.loads(row["t"])), document


@pytest.mark.pg
def test_repeated_keys_share_one_str(conn: fasterapi_pg.Connection) -> None:
    rows = conn.fetch("""SELECT ('{"name": ' || g || '}')::jsonb FROM generate_series(1, 3) g""")
    keys = [next(iter(row[0])) for row in rows]
    assert keys == ["name"] * 3
    assert keys[0] is keys[1] is keys[2]


def random_document(rng: random.Random, depth: int) -> object:
    kind = rng.randrange(8 if depth > 0 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randint(-(10**25), 10**25)
    if kind == 3:
        return rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-20, 20)
    if kind in (4, 5):
        alphabet = 'ab"\\/\n\t\x01é✓😀 '
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
    if kind == 6:
        return [random_document(rng, depth - 1) for _ in range(rng.randrange(5))]
    return {
        str(random_document(rng, 0)): random_document(rng, depth - 1)
        for _ in range(rng.randrange(5))
    }


def same_json(ours: object, theirs: object) -> bool:
    """Equal values of equal types (1 and 1.0 and True differ), NaN-free as JSON is."""
    if type(ours) is not type(theirs):
        return False
    if isinstance(ours, float):
        assert isinstance(theirs, float)
        return ours == theirs and math.copysign(1, ours) == math.copysign(1, theirs)
    if isinstance(ours, list):
        assert isinstance(theirs, list)
        return len(ours) == len(theirs) and all(map(same_json, ours, theirs))
    if isinstance(ours, dict):
        assert isinstance(theirs, dict)
        return list(ours) == list(theirs) and all(same_json(ours[k], theirs[k]) for k in ours)
    return ours == theirs
