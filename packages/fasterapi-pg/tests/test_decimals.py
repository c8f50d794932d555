# SPDX-License-Identifier: MIT
"""numeric values decode to the Decimal that Decimal(the server's text) gives: the same digits
and exponent, not just an equal value, including where fasterapi_pg fills Decimals in place."""

from __future__ import annotations

import decimal
import pickle
import platform
import sys

import pytest

import fasterapi_pg
from fasterapi_pg import _pg

EDGES = [
    "0",
    "0.000",
    "1.50",
    "0.05",
    "-0.000001",
    "-12345.670",
    "9999999999999999999",  # 19 digits: one full word of the coefficient
    "10000000000000000000",  # 20: the second word starts
    "1e30",
    "1e-30",
    "123456789012345678901234567890.123456789",
    "9" * 74 + ".99",  # 76 digits: the most held inside the Decimal
    "9" * 75 + ".99",  # 77: more than that
    "1" * 200,
    "-" + "7" * 100 + "." + "3" * 100,
    "NaN",
    "Infinity",
    "-Infinity",
]

# 3,000 values of many widths, scales and signs, computed by the server.
GENERATED = """
    SELECT v, v::text FROM (
        SELECT round((g * 7919 % 1000003)::numeric * 10::numeric ^ (g % 61 - 30), g % 35)
               * CASE WHEN g % 3 = 0 THEN -1 ELSE 1 END AS v
        FROM generate_series(1, 3000) AS g
    ) AS generated
"""


def same_decimal(value: decimal.Decimal, text: str) -> bool:
    expected = decimal.Decimal(text)
    if expected.is_nan():
        return value.is_nan() and str(value) == str(expected)
    return (
        str(value) == str(expected)
        and value.as_tuple() == expected.as_tuple()
        and hash(value) == hash(expected)
        and value + 1 == expected + 1
        and value * 3 == expected * 3
        and pickle.loads(pickle.dumps(value)) == expected
    )


def test_decimals_are_filled_in_place_on_64_bit_cpython() -> None:
    # The layout check must pass where it was written for; elsewhere Decimal(text) is used.
    expected = platform.python_implementation() == "CPython" and sys.maxsize > 2**32
    assert _pg.decimals_built_directly() is expected


@pytest.mark.pg
@pytest.mark.parametrize("text", EDGES)
def test_edge_values_decode_as_their_text(conn: fasterapi_pg.Connection, text: str) -> None:
    row = conn.fetchrow("SELECT $1::text::numeric, $1::text::numeric::text", text)
    assert row is not None
    assert same_decimal(row[0], row[1])


@pytest.mark.pg
def test_generated_values_decode_as_their_text(conn: fasterapi_pg.Connection) -> None:
    rows = conn.fetch(GENERATED)
    assert len(rows) == 3000
    assert len({len(text) for _, text in rows}) > 30  # many widths were covered
    assert all(same_decimal(value, text) for value, text in rows)


@pytest.mark.pg
def test_numeric_arrays_decode_their_elements_the_same_way(conn: fasterapi_pg.Connection) -> None:
    values = conn.fetchval("SELECT ARRAY[1.50, -0.05, NULL, 1e40, 'NaN']::numeric[]")
    assert [str(v) for v in values if v is not None] == ["1.50", "-0.05", "1" + "0" * 40, "NaN"]
    assert values[2] is None
