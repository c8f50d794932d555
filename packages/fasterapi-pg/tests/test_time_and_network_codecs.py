# SPDX-License-Identifier: MIT
"""time, timetz, interval, inet and cidr in binary, both directions."""

import datetime
import ipaddress
from typing import Any

import pytest

import fasterapi_pg

pytestmark = pytest.mark.pg

UTC_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))


@pytest.fixture
def conn(pg_dsn: str):
    connection = fasterapi_pg.connect(pg_dsn)
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("type_name", "value"),
    [
        ("time", datetime.time(13, 14, 15, 161718)),
        ("time", datetime.time(0, 0)),
        ("timetz", datetime.time(13, 14, 15, tzinfo=UTC_PLUS_2)),
        (
            "timetz",
            datetime.time(1, 2, tzinfo=datetime.timezone(-datetime.timedelta(hours=5, minutes=30))),
        ),
        ("interval", datetime.timedelta(days=3, seconds=7, microseconds=11)),
        ("interval", datetime.timedelta(days=-1, seconds=5)),
        ("interval", datetime.timedelta(0)),
        ("inet", ipaddress.ip_address("192.168.0.1")),
        ("inet", ipaddress.ip_interface("10.1.2.3/8")),
        ("inet", ipaddress.ip_address("2001:db8::1")),
        ("cidr", ipaddress.ip_network("10.0.0.0/8")),
        ("cidr", ipaddress.ip_network("2001:db8::/32")),
        ("interval[]", [datetime.timedelta(hours=1), None]),
        ("inet[]", [ipaddress.ip_address("127.0.0.1")]),
    ],
)
def test_round_trip(conn: fasterapi_pg.Connection, type_name: str, value: Any) -> None:
    assert conn.fetchval(f"SELECT $1::{type_name}", value) == value


def test_values_from_sql(conn: fasterapi_pg.Connection) -> None:
    row = conn.fetchrow(
        "SELECT '24:00'::time AS midnight, '1 day 02:03:04.5'::interval AS span, "
        "'::1/128'::inet AS host, '192.168.1.0/24'::cidr AS net, "
        "'12:00:00-08'::timetz AS pacific"
    )
    assert row["midnight"] == datetime.time(23, 59, 59, 999999)
    assert row["span"] == datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5)
    assert row["host"] == ipaddress.ip_address("::1")
    assert row["net"] == ipaddress.ip_network("192.168.1.0/24")
    assert row["pacific"].utcoffset() == datetime.timedelta(hours=-8)


def test_inet_accepts_text(conn: fasterapi_pg.Connection) -> None:
    assert conn.fetchval("SELECT $1::inet", "10.0.0.1/16") == ipaddress.ip_interface("10.0.0.1/16")


def test_an_interval_with_months_says_why_it_cannot_be_a_timedelta(
    conn: fasterapi_pg.Connection,
) -> None:
    with pytest.raises(ValueError, match="months or years has no timedelta"):
        conn.fetchval("SELECT '1 month'::interval")
    assert conn.fetchval("SELECT '1 month'::interval::text") == "1 mon"


def test_wrong_python_types_are_refused(conn: fasterapi_pg.Connection) -> None:
    with pytest.raises(fasterapi_pg.InterfaceError, match=r"\$1 as interval"):
        conn.fetchval("SELECT $1::interval", 5)
    with pytest.raises(fasterapi_pg.InterfaceError, match=r"\$1 as time"):
        conn.fetchval("SELECT $1::time", "noon")
