# SPDX-License-Identifier: MIT
# fasterapi-futures/tests/test_transports.py: stream transports behave as asyncio's
"""Each body runs on asyncio's loop, uvloop and EventLoop (whose stream transports are
native): protocols see the same calls in the same order, flow control, closing, aborting,
half-closing, failing protocols, BufferedProtocol, Unix sockets and servers."""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import subprocess
import tempfile
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import fasterapi_futures

T = TypeVar("T")
Runner = Callable[[Callable[[], Coroutine[Any, Any, T]]], T]  # the `run` fixture (conftest)


class Recorder(asyncio.Protocol):
    """Records every call it gets; `lost` resolves at connection_lost."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.data = bytearray()
        self.transport: asyncio.Transport | None = None
        self.lost: asyncio.Future[BaseException | None] = asyncio.get_running_loop().create_future()
        self.keep_open_on_eof = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.calls.append("connection_made")
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if not self.calls or self.calls[-1] != "data_received":
            self.calls.append("data_received")
        self.data += data

    def eof_received(self) -> bool:
        self.calls.append("eof_received")
        return self.keep_open_on_eof

    def pause_writing(self) -> None:
        self.calls.append("pause_writing")

    def resume_writing(self) -> None:
        self.calls.append("resume_writing")

    def connection_lost(self, exc: BaseException | None) -> None:
        self.calls.append("connection_lost")
        if not self.lost.done():
            self.lost.set_result(exc)


async def connected_pair() -> tuple[Recorder, Recorder, asyncio.Server]:
    """A client and a server protocol connected over loopback TCP."""
    loop = asyncio.get_running_loop()
    accepted: asyncio.Future[Recorder] = loop.create_future()

    def make_server_side() -> Recorder:
        protocol = Recorder()
        accepted.set_result(protocol)
        return protocol

    server = await loop.create_server(make_server_side, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _, client = await loop.create_connection(Recorder, "127.0.0.1", port)
    return client, await accepted, server


async def until(condition: Any, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.001)


def test_echo_order_extra_info_and_close(run: Runner[Any]) -> None:
    async def main() -> tuple[list[str], list[str], bytes, bool]:
        client, served, server = await connected_pair()
        assert client.transport is not None
        assert served.transport is not None
        peer = client.transport.get_extra_info("peername")
        assert peer == served.transport.get_extra_info("sockname")
        assert isinstance(client.transport.get_extra_info("socket").fileno(), int)
        assert client.transport.get_extra_info("missing", "fallback") == "fallback"
        for chunk in (b"one ", b"two ", b"three"):
            client.transport.write(chunk)
        client.transport.writelines([b" four", memoryview(b" five"), bytearray(b" six")])
        await until(lambda: len(served.data) == 27)
        client.transport.close()
        assert client.transport.is_closing()
        assert await client.lost is None
        assert await served.lost is None
        server.close()
        await server.wait_closed()
        return client.calls, served.calls, bytes(served.data), client.transport.is_closing()

    client_calls, served_calls, data, closing = run(main)
    assert client_calls == ["connection_made", "connection_lost"]
    assert served_calls == ["connection_made", "data_received", "eof_received", "connection_lost"]
    assert data == b"one two three four five six"
    assert closing


def test_flow_control_pauses_and_resumes_the_writer(run: Runner[Any]) -> None:
    async def main() -> tuple[list[str], int]:
        client, served, server = await connected_pair()
        assert client.transport is not None
        assert served.transport is not None
        served.transport.pause_reading()  # the peer stops reading: our buffer fills
        assert not served.transport.is_reading()
        client.transport.set_write_buffer_limits(high=64 * 1024, low=16 * 1024)
        assert client.transport.get_write_buffer_limits() == (16 * 1024, 64 * 1024)
        chunk = b"x" * 65536
        for _ in range(1000):  # the socket buffers fill first, then ours
            if "pause_writing" in client.calls:
                break
            client.transport.write(chunk)
            await asyncio.sleep(0)
        assert client.transport.get_write_buffer_size() > 64 * 1024
        served.transport.resume_reading()
        await until(lambda: "resume_writing" in client.calls)
        await until(lambda: client.transport.get_write_buffer_size() == 0)  # type: ignore[union-attr]
        client.transport.close()
        await served.lost
        server.close()
        await server.wait_closed()
        return client.calls, len(served.data)

    calls, received = run(main)
    assert calls[:3] == ["connection_made", "pause_writing", "resume_writing"]
    assert received > 64 * 1024
    assert received % 65536 == 0  # everything written arrived, in whole chunks


def test_close_delivers_pending_data_and_abort_drops_it(run: Runner[Any]) -> None:
    async def main() -> tuple[int, BaseException | None, list[str]]:
        client, served, server = await connected_pair()
        assert client.transport is not None
        assert served.transport is not None
        payload = b"y" * 3_000_000  # more than the socket buffers take at once
        client.transport.write(payload)
        client.transport.close()  # closes once the buffer has drained
        await served.lost
        delivered = len(served.data)
        other, other_served, other_server = await connected_pair()
        assert other.transport is not None
        other.transport.write(payload)
        other.transport.abort()
        lost = await other.lost
        await other_served.lost
        for each in (server, other_server):
            each.close()
            await each.wait_closed()
        return delivered, lost, other.calls

    delivered, lost, calls = run(main)
    assert delivered == 3_000_000
    assert lost is None
    assert calls == ["connection_made", "connection_lost"]


def test_write_eof_half_closes(run: Runner[Any]) -> None:
    async def main() -> tuple[list[str], bytes, bytes]:
        client, served, server = await connected_pair()
        assert client.transport is not None
        assert served.transport is not None
        served.keep_open_on_eof = True
        assert client.transport.can_write_eof()
        client.transport.write(b"question")
        client.transport.write_eof()
        await until(lambda: "eof_received" in served.calls)
        served.transport.write(b"answer after eof")  # still open for writing
        served.transport.close()
        await client.lost
        server.close()
        await server.wait_closed()
        return served.calls, bytes(served.data), bytes(client.data)

    served_calls, question, answer = run(main)
    assert served_calls == ["connection_made", "data_received", "eof_received", "connection_lost"]
    assert (question, answer) == (b"question", b"answer after eof")


def test_write_after_write_eof_raises_and_bad_data_is_refused(run: Runner[Any]) -> None:
    async def main() -> tuple[str, str]:
        client, served, server = await connected_pair()
        assert client.transport is not None
        try:
            client.transport.write("text")  # type: ignore[arg-type]
        except TypeError as error:
            type_message = str(error)
        client.transport.write_eof()
        try:
            client.transport.write(b"late")
        except RuntimeError as error:
            eof_message = str(error)
        client.transport.close()
        await served.lost
        server.close()
        await server.wait_closed()
        return type_message, eof_message

    type_message, eof_message = run(main)
    assert "bytes-like object" in type_message
    assert "str" in type_message
    assert eof_message == "Cannot call write() after write_eof()"


def test_a_failing_protocol_goes_to_the_exception_handler(run: Runner[Any]) -> None:
    class Failing(Recorder):
        def data_received(self, data: bytes) -> None:
            raise ValueError("broken protocol")

    async def main() -> tuple[list[dict[str, Any]], BaseException | None]:
        loop = asyncio.get_running_loop()
        reported: list[dict[str, Any]] = []
        loop.set_exception_handler(lambda _, context: reported.append(context))
        failing: asyncio.Future[Failing] = loop.create_future()

        def make() -> Failing:
            protocol = Failing()
            failing.set_result(protocol)
            return protocol

        server = await loop.create_server(make, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        _, client = await loop.create_connection(Recorder, "127.0.0.1", port)
        assert client.transport is not None
        client.transport.write(b"boom")
        served = await failing
        lost = await served.lost
        await client.lost
        server.close()
        await server.wait_closed()
        return reported, lost

    reported, lost = run(main)
    assert len(reported) == 1
    assert reported[0]["message"].startswith("Fatal error")  # uvloop words it differently
    assert isinstance(reported[0]["exception"], ValueError)
    assert isinstance(lost, ValueError)


def test_buffered_protocol_reads_into_its_buffer(run: Runner[Any]) -> None:
    class Buffered(asyncio.BufferedProtocol):
        def __init__(self) -> None:
            self.buffer = bytearray(7)  # small: one message takes several reads
            self.received = bytearray()
            self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def get_buffer(self, sizehint: int) -> bytearray:
            return self.buffer

        def buffer_updated(self, nbytes: int) -> None:
            self.received += self.buffer[:nbytes]

        def eof_received(self) -> bool:
            return False

        def connection_lost(self, exc: BaseException | None) -> None:
            self.done.set_result(None)

    async def main() -> bytes:
        loop = asyncio.get_running_loop()
        holder: list[Buffered] = []

        def make() -> Buffered:
            holder.append(Buffered())
            return holder[0]

        server = await loop.create_server(make, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        _, client = await loop.create_connection(Recorder, "127.0.0.1", port)
        assert client.transport is not None
        client.transport.write(b"read in seven-byte pieces")
        client.transport.close()
        await until(lambda: bool(holder))
        await holder[0].done
        server.close()
        await server.wait_closed()
        return bytes(holder[0].received)

    assert run(main) == b"read in seven-byte pieces"


def test_unix_sockets_and_streams(run: Runner[Any]) -> None:
    async def main() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "echo.sock")

            async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                line = await reader.readline()
                writer.write(line.upper())
                await writer.drain()
                writer.close()
                await writer.wait_closed()

            server = await asyncio.start_unix_server(echo, path)
            reader, writer = await asyncio.open_unix_connection(path)
            writer.write(b"over a unix socket\n")
            answer = await reader.read()
            writer.close()
            await writer.wait_closed()
            server.close()
            await server.wait_closed()
            return answer

    assert run(main) == b"OVER A UNIX SOCKET\n"


def test_a_closed_server_leaves_its_connections_open(run: Runner[Any]) -> None:
    async def main() -> bytes:
        client, served, server = await connected_pair()
        assert client.transport is not None
        assert served.transport is not None
        server.close()  # stops accepting; the connection it made lives on
        await server.wait_closed()
        client.transport.write(b"still connected")
        await until(lambda: len(served.data) == 15)
        served.transport.close()
        await client.lost
        return bytes(served.data)

    assert run(main) == b"still connected"


def test_a_reset_by_the_peer_reaches_connection_lost(run: Runner[Any]) -> None:
    async def main() -> BaseException | None:
        client, served, server = await connected_pair()
        assert client.transport is not None
        sock = client.transport.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        client.transport.abort()  # with SO_LINGER 0: the peer sees a reset
        lost = await served.lost
        server.close()
        await server.wait_closed()
        return lost

    lost = run(main)
    assert lost is None or isinstance(lost, ConnectionResetError)


def test_event_loop_streams_use_the_native_transport() -> None:
    async def main() -> str:
        client, served, server = await connected_pair()
        assert client.transport is not None
        name = type(client.transport).__name__
        client.transport.close()
        await served.lost
        server.close()
        await server.wait_closed()
        return name

    loop = fasterapi_futures.new_event_loop()
    try:
        assert loop.run_until_complete(main()) == "SocketTransport"
    finally:
        loop.close()


def test_abort_after_close_reports_the_loss_once(run: Runner[Any]) -> None:
    async def main() -> list[str]:
        client, served, server = await connected_pair()
        assert client.transport is not None
        assert served.transport is not None
        served.transport.pause_reading()  # keep the client's buffer full
        client.transport.write(b"z" * 20_000_000)
        client.transport.close()  # waits for the buffer to drain...
        client.transport.abort()  # ...but is cut short
        await client.lost
        served.transport.resume_reading()  # to see the end of the connection
        await served.lost
        await asyncio.sleep(0.05)  # a second connection_lost would come by now
        server.close()
        await server.wait_closed()
        return client.calls

    assert run(main) == ["connection_made", "pause_writing", "connection_lost"]


def self_signed_contexts(folder: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a fresh self-signed certificate for localhost, and a client
    context that trusts only it."""
    key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            key,
            "-out",
            cert,
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=cert)
    return server, client


def test_tls_streams_and_start_tls(run: Runner[Any]) -> None:
    async def main() -> tuple[bytes, bytes]:
        with tempfile.TemporaryDirectory() as folder:
            server_context, client_context = self_signed_contexts(folder)

            handlers: list[asyncio.Task[None]] = []

            async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                writer.write((await reader.readline()).upper())
                await writer.drain()
                writer.close()
                await writer.wait_closed()

            def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                handlers.append(asyncio.ensure_future(echo(reader, writer)))

            server = await asyncio.start_server(on_connection, "127.0.0.1", 0, ssl=server_context)
            port = server.sockets[0].getsockname()[1]
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, ssl=client_context, server_hostname="localhost"
            )
            if isinstance(asyncio.get_running_loop(), fasterapi_futures.EventLoop):
                under_tls = writer.transport._ssl_protocol._transport  # type: ignore[attr-defined]
                assert type(under_tls).__name__ == "SocketTransport"
            writer.write(b"over tls\n")
            await writer.drain()
            direct = await reader.readline()
            writer.close()
            await writer.wait_closed()

            # STARTTLS: a plain connection upgraded in place.
            plain_reader, plain_writer = await asyncio.open_connection("127.0.0.1", port)
            await plain_writer.start_tls(client_context, server_hostname="localhost")
            plain_writer.write(b"upgraded\n")
            await plain_writer.drain()
            upgraded = await plain_reader.readline()
            plain_writer.close()
            await plain_writer.wait_closed()
            await asyncio.gather(*handlers)  # wait_closed() does not wait for them (3.11)
            server.close()
            await server.wait_closed()
            return direct, upgraded

    direct, upgraded = run(main)
    assert direct == b"OVER TLS\n"
    assert upgraded == b"UPGRADED\n"


def test_sendfile_with_offset_count_and_flow_control(run: Runner[Any]) -> None:
    async def main() -> tuple[int, bytes, int] | str:
        client, served, server = await connected_pair()
        assert client.transport is not None
        loop = asyncio.get_running_loop()
        content = bytes(range(256)) * 40_000  # 10 MB: the transport's buffer fills and drains
        with tempfile.TemporaryFile() as file:
            file.write(content)
            file.seek(0)
            try:
                sent = await loop.sendfile(client.transport, file, 1000, 5_000_000)
            except NotImplementedError:
                client.transport.close()
                await served.lost
                server.close()
                await server.wait_closed()
                return "not implemented"  # uvloop has no loop.sendfile
            position = file.tell()
        await until(lambda: len(served.data) == 5_000_000)
        client.transport.write(b"after")  # the transport's own protocol is back in place
        await until(lambda: len(served.data) == 5_000_005)
        client.transport.close()
        await served.lost
        server.close()
        await server.wait_closed()
        assert bytes(served.data[:5_000_000]) == content[1000:5_001_000]
        return sent, bytes(served.data[5_000_000:]), position

    outcome = run(main)
    if outcome != "not implemented":
        assert outcome == (5_000_000, b"after", 5_001_000)
