# SPDX-License-Identifier: MIT
"""AsyncConnection on the default loop and on uvloop: queries, errors, cancellation, faults."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

import fasterapi_pg

Run = Callable[[Coroutine[Any, Any, Any]], Any]


@pytest.mark.pg
def test_queries_and_records(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            assert await conn.execute("CREATE TEMP TABLE t (id int PRIMARY KEY, name text)") == (
                "CREATE TABLE"
            )
            assert await conn.execute(
                "INSERT INTO t VALUES ($1, $2), ($3, $4)", 1, "a", 2, "b"
            ) == ("INSERT 0 2")
            rows = await conn.fetch("SELECT id, name FROM t ORDER BY id")
            assert [dict(r) for r in rows] == [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]
            assert await conn.fetchrow("SELECT * FROM t WHERE id = $1", 3) is None
            assert await conn.fetchval("SELECT id, name FROM t WHERE id = $1", 2, column=1) == "b"
            assert await conn.execute("SELECT 1; SELECT 2") == "SELECT 1"
            assert await conn.execute(";") == ""
            assert conn.transaction_status == "idle"
        assert conn.is_closed()

    run(main())


@pytest.mark.pg
def test_values_match_the_sync_connection(run: Run, pg_dsn: str) -> None:
    query = """SELECT 1::int2, 2::int8, 1.5::float8, 12.34::numeric, 'x'::text, '\\x00ff'::bytea,
                      '2024-02-29'::date, '2024-02-29 12:00+00'::timestamptz, true,
                      '{"a": [1, 2]}'::jsonb, gen_random_uuid() IS NOT NULL, NULL::int"""
    with fasterapi_pg.connect(pg_dsn) as sync_conn:
        expected = sync_conn.fetchrow(query)

    async def main() -> Any:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            return await conn.fetchrow(query)

    assert run(main()) == expected


@pytest.mark.pg
def test_executemany_is_pipelined_and_atomic(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE m (id int PRIMARY KEY)")
            await conn.executemany("INSERT INTO m VALUES ($1)", ((i,) for i in range(2500)))
            assert await conn.fetchval("SELECT count(*) FROM m") == 2500
            with pytest.raises(fasterapi_pg.UniqueViolationError):
                await conn.executemany("INSERT INTO m VALUES ($1)", [(5000,), (1,)])
            assert await conn.fetchval("SELECT count(*) FROM m") == 2500  # all or nothing
            assert conn.transaction_status == "idle"

    run(main())


@pytest.mark.pg
@pytest.mark.parametrize("failing_row", [10, 2_500])  # in the first batch; in a later one
def test_executemany_raises_the_first_error_of_its_batches(
    run: Run, pg_dsn: str, failing_row: int
) -> None:
    # Batches go out without waiting for each other: a duplicate in one batch and a second
    # error two batches later still give the first error, and nothing is kept.
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE m (id int PRIMARY KEY, note text NOT NULL)")
            rows: list[tuple[int, str | None]] = [(i, "x") for i in range(3_500)]
            rows[failing_row] = (0, "x")  # duplicates row 0
            rows[3_400] = (3_400, None)  # a later, different error
            with pytest.raises(fasterapi_pg.UniqueViolationError):
                await conn.executemany("INSERT INTO m VALUES ($1, $2)", rows)
            assert await conn.fetchval("SELECT count(*) FROM m") == 0
            assert conn.transaction_status == "idle"

    run(main())


@pytest.mark.pg
def test_executemany_larger_than_the_socket_buffers(run: Run, pg_dsn: str) -> None:
    # ~24 MB of rows: libpq's send buffer fills, so batches wait for it to drain while the
    # reader takes the results the server sends back meanwhile.
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE big (id int, note text)")
            note = "n" * 2_000
            await conn.executemany(
                "INSERT INTO big VALUES ($1, $2)", ((i, note) for i in range(12_000))
            )
            assert await conn.fetchval("SELECT count(*) FROM big") == 12_000
            assert await conn.fetchval("SELECT sum(length(note)) FROM big") == 24_000_000

    run(main())


@pytest.mark.pg
def test_a_cancelled_executemany_keeps_nothing(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE big (id int, note text)")
            note = "n" * 2_000
            task = asyncio.ensure_future(
                conn.executemany(
                    "INSERT INTO big VALUES ($1, $2)", ((i, note) for i in range(50_000))
                )
            )
            await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await conn.fetchval("SELECT count(*) FROM big") == 0
            assert conn.transaction_status == "idle"
            assert await conn.fetchval("SELECT 1") == 1

    run(main())


@pytest.mark.pg
def test_executemany_lets_other_tasks_run_between_batches(run: Run, pg_dsn: str) -> None:
    # Small rows never fill the socket, so nothing waits between batches: the call must still
    # give the loop back after each, or other tasks (and a cancel) wait for the whole input.
    async def main() -> list[int]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        seen: list[int] = []

        def rows() -> Iterator[tuple[int]]:
            for i in range(5000):
                if i % 1000 == 0:
                    seen.append(ticks)
                yield (i,)

        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            ticking = asyncio.ensure_future(ticker())
            await conn.execute("CREATE TEMP TABLE many (id int)")
            await conn.executemany("INSERT INTO many VALUES ($1)", rows())
            ticking.cancel()
            assert await conn.fetchval("SELECT count(*) FROM many") == 5000
        return seen

    seen = run(main())
    assert seen[1] < seen[2] < seen[3] < seen[4]  # rows 0 and 1000 are read together


@pytest.mark.pg
@pytest.mark.parametrize("delay", [0.0, 0.0005, 0.002])
def test_a_cancelled_single_batch_keeps_all_or_nothing(run: Run, pg_dsn: str, delay: float) -> None:
    # One batch runs as the pipeline's implicit transaction, without BEGIN: a cancel that
    # comes too late finds it committed whole, never in part.
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE one (id int)")
            task = asyncio.ensure_future(
                conn.executemany("INSERT INTO one VALUES ($1)", [(i,) for i in range(1000)])
            )
            await asyncio.sleep(delay)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            assert await conn.fetchval("SELECT count(*) FROM one") in (0, 1000)
            assert conn.transaction_status == "idle"

    run(main())


@pytest.mark.pg
def test_errors_leave_the_connection_usable(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            with pytest.raises(fasterapi_pg.PostgresSyntaxError) as caught:
                await conn.fetch("SELEC 1")
            assert caught.value.sqlstate == "42601"
            with pytest.raises(fasterapi_pg.InterfaceError, match=r"parameter \$1 as int4"):
                await conn.fetchval("SELECT $1::int", "nope")
            with pytest.raises(fasterapi_pg.InterfaceError, match=r"takes 1 parameter"):
                await conn.fetchval("SELECT $1::int")
            assert await conn.fetchval("SELECT $1::int", 7) == 7

    run(main())


@pytest.mark.pg
def test_one_operation_at_a_time(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            slow = asyncio.ensure_future(conn.fetchval("SELECT pg_sleep(0.2)"))
            await asyncio.sleep(0.05)
            with pytest.raises(fasterapi_pg.InterfaceError, match="another operation"):
                await conn.fetchval("SELECT 1")
            await slow
            assert await conn.fetchval("SELECT 1") == 1

    run(main())


@pytest.mark.pg
def test_transactions_commit_roll_back_and_nest(run: Run, pg_dsn: str) -> None:
    async def insert_then_fail(conn: fasterapi_pg.AsyncConnection, **options: Any) -> None:
        async with conn.transaction(**options):
            await conn.execute("INSERT INTO x VALUES ($1)", 2)
            raise ZeroDivisionError

    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE x (v int)")
            async with conn.transaction():
                await conn.execute("INSERT INTO x VALUES ($1)", 1)
                with pytest.raises(ZeroDivisionError):
                    await insert_then_fail(conn)  # a savepoint: only the inner block undone
            with pytest.raises(ZeroDivisionError):
                await insert_then_fail(conn, isolation="serializable")
            assert [r[0] for r in await conn.fetch("SELECT v FROM x")] == [1]
            assert conn.transaction_status == "idle"

    run(main())


@pytest.mark.pg
def test_stale_and_vanished_statements_are_prepared_again(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE s (a int)")
            await conn.execute("INSERT INTO s VALUES ($1)", 1)
            assert await conn.fetchrow("SELECT * FROM s") == (1,)
            await conn.execute("ALTER TABLE s ADD COLUMN b int")
            assert await conn.fetchrow("SELECT * FROM s") == (1, None)
            await conn.execute("DEALLOCATE ALL")
            assert await conn.fetchrow("SELECT * FROM s") == (1, None)

    run(main())


@pytest.mark.pg
def test_statement_cache_eviction_and_size_zero(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn, statement_cache_size=2) as small:
            for i in range(5):
                assert await small.fetchval(f"SELECT {i} + $1::int", 1) == i + 1
            assert await small.fetchval("SELECT count(*) FROM pg_prepared_statements") == 2
        async with await fasterapi_pg.connect_async(pg_dsn, statement_cache_size=0) as none:
            for i in range(3):
                assert await none.fetchval("SELECT $1::int * 2", i) == i * 2
            assert await none.fetchval("SELECT count(*) FROM pg_prepared_statements") == 0

    run(main())


@pytest.mark.pg
def test_timeout_cancels_on_the_server(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            start = time.monotonic()
            with pytest.raises(fasterapi_pg.QueryTimeoutError, match=r"past its 0\.2 s timeout"):
                await conn.fetch("SELECT pg_sleep(10)", timeout=0.2)
            assert time.monotonic() - start < 2
            assert await conn.fetchval("SELECT 1") == 1
            await conn.execute("BEGIN")
            with pytest.raises(fasterapi_pg.QueryTimeoutError):
                await conn.execute("SELECT pg_sleep(10)", timeout=0.1)
            assert conn.transaction_status == "inerror"
            await conn.execute("ROLLBACK")
            assert await conn.fetchval("SELECT $1::int", 3, timeout=5) == 3

    run(main())


@pytest.mark.pg
def test_a_cancel_sent_as_its_query_ends_never_stops_the_next_one(run: Run, pg_dsn: str) -> None:
    # As test_connection's: timeouts about as long as the query, whose cancel often goes out
    # as it finishes by itself; the next command must not be the one it stops. Task
    # cancellations send cancels too.
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            for i in range(40):
                with contextlib.suppress(fasterapi_pg.QueryTimeoutError):
                    await conn.fetchval(
                        "SELECT pg_sleep(0.01)", timeout=(0.008, 0.01, 0.012)[i % 3]
                    )
                assert await conn.fetchval("SELECT $1::int", i) == i
            for i in range(20):
                task = asyncio.ensure_future(conn.fetchval("SELECT pg_sleep(0.01)"))
                await asyncio.sleep((0.008, 0.01, 0.012)[i % 3])
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                assert await conn.fetchval("SELECT $1::int", i) == i

    run(main())


@pytest.mark.pg
def test_cancelling_the_task_cancels_the_query(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            task = asyncio.ensure_future(conn.fetchval("SELECT pg_sleep(10)"))
            await asyncio.sleep(0.1)
            start = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await conn.fetchval("SELECT 2") == 2  # waits for the cancel, not 10 s
            assert time.monotonic() - start < 2
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.1):
                    await conn.execute("SELECT pg_sleep(10)")
            assert await conn.fetchval("SELECT 3") == 3
            assert conn.transaction_status == "idle"

    run(main())


@pytest.mark.pg
def test_terminated_backend_idle_and_mid_query(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        admin = await fasterapi_pg.connect_async(pg_dsn)
        idle = await fasterapi_pg.connect_async(pg_dsn)
        await admin.fetch("SELECT pg_terminate_backend($1)", idle.backend_pid)
        for _ in range(50):  # the loop notices the socket closing by itself
            if idle.is_closed():
                break
            await asyncio.sleep(0.01)
        assert idle.is_closed()
        with pytest.raises(fasterapi_pg.ConnectionFailureError, match="connection lost"):
            await idle.fetchval("SELECT 1")

        busy = await fasterapi_pg.connect_async(pg_dsn)
        query = asyncio.ensure_future(busy.fetchval("SELECT pg_sleep(10)"))
        await asyncio.sleep(0.1)
        await admin.fetch("SELECT pg_terminate_backend($1)", busy.backend_pid)
        with pytest.raises(fasterapi_pg.ConnectionFailureError, match="pg_sleep"):
            await query
        assert busy.is_closed()
        await admin.close()

    run(main())


class _AnsweredBeforeAsked:
    """A connection core whose pipelined batches are answered before the driver asks: it
    blocks after sending, so the driver takes every result at once, without the reader."""

    def __init__(self, core: Any) -> None:
        self._core = core

    def __getattr__(self, name: str) -> Any:
        return getattr(self._core, name)

    def send_pipelined(self, *args: Any) -> Any:
        state = self._core.send_pipelined(*args)
        time.sleep(0.2)
        return state


@pytest.mark.pg
def test_a_batch_answered_at_once_leaves_nothing_in_flight(run: Run, pg_dsn: str) -> None:
    # The connection's own record of a command in flight must end with the call: left set,
    # the next event on the idle connection (a notification, the server ending it) would be
    # taken for that command's end instead of being handled as what it is.
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE one (id int)")
            conn._core = _AnsweredBeforeAsked(conn._core)
            await conn.executemany("INSERT INTO one VALUES ($1)", [(1,), (2,)])
            assert not conn._in_flight
            assert await conn.fetchval("SELECT count(*) FROM one") == 2

    run(main())


@pytest.mark.pg
def test_listen_notify(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with (
            await fasterapi_pg.connect_async(pg_dsn) as listener,
            await fasterapi_pg.connect_async(pg_dsn) as sender,
        ):
            received: asyncio.Queue[tuple[int, str, str]] = asyncio.Queue()

            def on_note(conn: Any, pid: int, channel: str, payload: str) -> None:
                assert conn is listener
                received.put_nowait((pid, channel, payload))

            await listener.add_listener("jobs", on_note)
            await sender.execute("SELECT pg_notify('jobs', 'one')")
            note = await asyncio.wait_for(received.get(), 5)  # arrives while idle
            assert note == (sender.backend_pid, "jobs", "one")
            await listener.remove_listener("jobs", on_note)
            await sender.execute("SELECT pg_notify('jobs', 'two')")
            assert await listener.fetchval("SELECT 1") == 1
            await asyncio.sleep(0.05)
            assert received.empty()

    run(main())


@pytest.mark.pg
def test_connect_failures_say_why(run: Run) -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    port = silent.getsockname()[1]

    async def main() -> None:
        with pytest.raises(fasterapi_pg.ConnectionFailureError, match="cannot connect"):
            await fasterapi_pg.connect_async("postgresql://nobody@127.0.0.1:1/none")
        start = time.monotonic()
        with pytest.raises(fasterapi_pg.ConnectionFailureError, match=r"within the 0\.3 s timeout"):
            await fasterapi_pg.connect_async(f"postgresql://x@127.0.0.1:{port}/x", timeout=0.3)
        assert time.monotonic() - start < 2

    try:
        run(main())
    finally:
        silent.close()


@pytest.mark.pg
def test_no_helper_threads(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        before = threading.active_count()
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.fetch("SELECT pg_sleep(0.05)")
            assert threading.active_count() == before

    run(main())


@pytest.mark.pg
def test_a_closed_connection_leaves_a_reused_socket_number_alone(run: Run, pg_dsn: str) -> None:
    # After closing, the socket's number can belong to another socket of the loop at once;
    # closing (or losing) the connection again must not unregister that one.
    async def main() -> None:
        loop = asyncio.get_running_loop()
        conn = await fasterapi_pg.connect_async(pg_dsn)
        fd = conn._fd
        conn.terminate()
        first, second = socket.socketpair()
        try:
            reused = first if first.fileno() == fd else second
            if reused.fileno() != fd:
                pytest.skip("the socket number was not reused")
            other = second if reused is first else first
            heard = asyncio.Event()
            loop.add_reader(fd, heard.set)
            conn.terminate()
            await conn.close()
            other.send(b"x")
            await asyncio.wait_for(heard.wait(), 2)  # still watched: ours, untouched
            loop.remove_reader(fd)
        finally:
            first.close()
            second.close()

    run(main())
