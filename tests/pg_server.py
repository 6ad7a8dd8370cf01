"""A real PostgreSQL 16 server with pgvector for the tests: the binaries the `pgserver`
package ships, run with its bundled ``initdb`` and ``pg_ctl`` on a loopback TCP port.

As root, PostgreSQL runs as the system user ``pgserver`` (PostgreSQL refuses to run as root);
pgserver's own helpers create that user and open the folders to it.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import tempfile
import warnings
from pathlib import Path
from types import ModuleType

SYSTEM_USER = "pgserver"


def _commands() -> ModuleType:
    with warnings.catch_warnings():
        # pgserver's package import asks platformdirs for a runtime dir (XDG_RUNTIME_DIR may
        # be unset in CI); we use only its binaries and helpers.
        warnings.simplefilter("ignore")
        from pgserver import _commands

    return _commands


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class PgTestServer:
    """initdb + pg_ctl start on 127.0.0.1:PORT; :meth:`stop` stops it and removes its files."""

    def __init__(self) -> None:
        commands = _commands()
        self._commands = commands
        self.root = Path(tempfile.mkdtemp(prefix="mkg-pg-"))
        self.pgdata = self.root / "pgdata"
        self.pgdata.mkdir()
        self.user: str | None = None
        if os.geteuid() == 0:
            import pwd

            from pgserver.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            self.user = SYSTEM_USER
            ensure_user_exists(SYSTEM_USER)
            ensure_prefix_permissions(self.pgdata)
            binaries = commands.POSTGRES_BIN_PATH
            ensure_prefix_permissions(binaries)
            readable = stat.S_IRGRP | stat.S_IROTH
            ensure_folder_permissions(binaries, readable | stat.S_IXGRP | stat.S_IXOTH)
            ensure_folder_permissions(binaries.parent / "lib", readable)
            entry = pwd.getpwnam(SYSTEM_USER)
            for path in (self.root, self.pgdata):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        commands.initdb(
            ["--auth=trust", "--encoding=utf8", "-U", "postgres"],
            pgdata=self.pgdata,
            user=self.user,
        )
        self.port = free_port()
        self._pg_ctl(
            "-w",
            "-l",
            str(self.root / "log"),
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.root}",
            "start",
        )
        self._databases = 0

    def _pg_ctl(self, *args: str) -> None:
        self._commands.pg_ctl(list(args), pgdata=self.pgdata, user=self.user)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database (each test its own)."""
        import psycopg

        self._databases += 1
        name = f"test_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._pg_ctl("-w", "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
