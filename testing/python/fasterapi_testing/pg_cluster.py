# SPDX-License-Identifier: MIT
# fasterapi_testing/pg_cluster.py: a throw-away PostgreSQL cluster for tests and demos
"""Start a private PostgreSQL server in a temporary directory.

Example::

    with TempCluster() as cluster:
        print(cluster.dsn)   # postgresql://postgres@127.0.0.1:54321/postgres

The cluster uses the server binaries found on the machine (``pg_config --bindir``, then
``/usr/lib/postgresql/*/bin``, then ``PATH``; ``FASTERAPI_PG_BINDIR`` overrides), listens on a
free loopback port and a private unix socket, trusts local connections, and runs with fsync
off: fast, and never for data that matters. ``initdb`` refuses to run as root, so as root the
server runs as the ``postgres`` system user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

__all__ = ["ClusterError", "TempCluster", "find_server_binaries"]

_SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}


class ClusterError(RuntimeError):
    """The throw-away cluster could not be created or started; the message says why."""


def find_server_binaries() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or None when there is none."""
    candidates: list[str] = []
    if override := os.environ.get("FASTERAPI_PG_BINDIR"):
        candidates.append(override)
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        output = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout
        candidates.append(output.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    if found := shutil.which("initdb"):
        candidates.append(str(Path(found).parent))
    for candidate in candidates:
        path = Path(candidate)
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    return None


def _version_key(path: str) -> int:
    version = Path(path).parent.name
    return int(version) if version.isdigit() else 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TempCluster:
    """A PostgreSQL server in a temporary directory, removed on :meth:`stop`."""

    def __init__(self, bindir: Path | None = None) -> None:
        found = bindir or find_server_binaries()
        if found is None:
            raise ClusterError(
                "cannot start a throw-away PostgreSQL cluster: no initdb/pg_ctl found "
                "(install the server, e.g. apt-get install postgresql, set FASTERAPI_PG_BINDIR, "
                "or point FASTERAPI_TEST_DSN at an existing server)"
            )
        self.bindir = found
        self.port = 0
        self._root: Path | None = None
        self._run_as: str | None = "postgres" if os.geteuid() == 0 else None

    @property
    def dsn(self) -> str:
        """A libpq URL for the cluster's ``postgres`` database, as its superuser."""
        if not self.port:
            raise ClusterError("cannot give the DSN of a cluster that is not running")
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def socket_dir(self) -> Path:
        if self._root is None:
            raise ClusterError("cannot give the socket directory of a cluster that is not running")
        return self._root / "socket"

    def start(self) -> TempCluster:
        """Create and start the cluster; raises ClusterError with the server's log on failure."""
        self._root = Path(tempfile.mkdtemp(prefix="fasterapi-pg-"))
        data, sockets, log = self._root / "data", self._root / "socket", self._root / "server.log"
        sockets.mkdir()
        if self._run_as is not None:
            user = pwd.getpwnam(self._run_as)
            for path in (self._root, sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run(
            "initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        self.port = _free_port()
        options = " ".join(f"-c {key}={value}" for key, value in _SERVER_SETTINGS.items())
        options += f" -p {self.port} -k {sockets}"
        try:
            self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
        except ClusterError as error:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise ClusterError(f"{error}\nserver log:\n{text}") from None
        return self

    def restart(self, mode: str = "fast") -> None:
        """Restart the server (``pg_ctl restart -m MODE``); connections are cut, data stays."""
        if self._root is None:
            raise ClusterError("cannot restart a cluster that is not running")
        # -l as for start: the new server must not inherit (and hold open) our output pipes.
        data, log = self._root / "data", self._root / "server.log"
        self._run("pg_ctl", "-D", str(data), "-l", str(log), "-m", mode, "-w", "restart")

    def stop(self) -> None:
        """Stop the server (immediately: nothing here needs a clean shutdown) and delete it."""
        if self._root is None:
            return
        data = self._root / "data"
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(ClusterError):
                self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self._root, ignore_errors=True)
        self._root = None
        self.port = 0

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self._run_as is not None:
            command = ["runuser", "-u", self._run_as, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd="/", check=False)
        if result.returncode != 0:
            raise ClusterError(
                f"cannot run {program}: exit status {result.returncode}\n{result.stderr.strip()}"
            )

    def __enter__(self) -> TempCluster:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
