"""Real SPARQL servers on free loopback ports, for tests and benchmarks: the Oxigraph server
(the ``oxigraph`` package's binary) and OpenLink Virtuoso (Debian's ``virtuoso-t``), each in
its own folder, started and stopped by the caller."""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from mobility_kg.config import Settings

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@dataclass(frozen=True, slots=True)
class Server:
    """A running server: where to send what, and how to log in."""

    name: str
    query_url: str
    update_url: str
    graph_url: str
    process: subprocess.Popen[bytes]
    folder: Path
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    union_default: bool = False

    def settings(self, base: Settings, timeout: float) -> Settings:
        """``base`` pointed at this server, each request allowed ``timeout`` seconds."""
        return base.with_(
            store_query_url=self.query_url,
            store_update_url=self.update_url,
            store_graph_url=self.graph_url,
            store_user=self.user,
            store_password=self.password,
            store_auth=self.auth,
            store_timeout=timeout,
            store_union_default=self.union_default or None,
        )

    def environment(self) -> dict[str, str]:
        """The settings that point mobility-kg at this server."""
        env = {
            "MOBILITY_KG_STORE_QUERY_URL": self.query_url,
            "MOBILITY_KG_STORE_UPDATE_URL": self.update_url,
            "MOBILITY_KG_STORE_GRAPH_URL": self.graph_url,
            "MOBILITY_KG_STORE_AUTH": self.auth,
        }
        if self.user is not None:
            env["MOBILITY_KG_STORE_USER"] = self.user
            env["MOBILITY_KG_STORE_PASSWORD"] = self.password or ""
        return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def oxigraph_binary() -> str:
    found = Path(sys.executable).parent / "oxigraph"
    return str(found) if found.exists() else shutil.which("oxigraph") or "oxigraph"


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode}: {log.read_text()[-2000:]}"
            )
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not answer at {url} within {seconds} s")


def start_oxigraph(
    folder: Path, port: int | None = None, union: bool = False, timeout: int | None = None
) -> Server:
    """``oxigraph serve`` on a loopback port, its database in ``folder/db`` (``union``: its
    default graph is the union of its named graphs; ``timeout``: seconds the server gives a
    query before it stops it)."""
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = folder / "server.log"
    command = [oxigraph_binary(), "serve", "--location", str(folder / "db")]
    command += ["--union-default-graph"] if union else []
    command += ["--timeout-s", str(timeout)] if timeout is not None else []
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"], stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    _wait(f"{base}/query", process, 300, log)  # a large store takes a while to open
    return Server(
        "oxigraph",
        f"{base}/query",
        f"{base}/update",
        f"{base}/store",
        process,
        folder,
        union_default=union,
    )


def virtuoso_ini(folder: Path, sql_port: int, http_port: int, max_rows: int = 10_000) -> Path:
    """A copy of Debian's virtuoso.ini whose files live in ``folder`` and whose ports are
    the given ones on 127.0.0.1."""
    text = VIRTUOSO_INI.read_text()
    db = "/var/lib/virtuoso-opensource-7/db/"
    text = text.replace(db, f"{folder}/")
    text = text.replace("/var/lib/virtuoso-opensource-7/vsp", str(folder / "vsp"))
    sections = re.split(r"(?m)^(?=\[)", text)
    out = []
    for section in sections:
        if section.startswith("[Parameters]"):
            section = re.sub(
                r"(?m)^ServerPort\s*=.*$", f"ServerPort = 127.0.0.1:{sql_port}", section
            )
        elif section.startswith("[HTTPServer]"):
            section = re.sub(
                r"(?m)^ServerPort\s*=.*$", f"ServerPort = 127.0.0.1:{http_port}", section
            )
        elif section.startswith("[SPARQL]"):
            section = re.sub(
                r"(?m)^ResultSetMaxRows\s*=.*$", f"ResultSetMaxRows = {max_rows}", section
            )
        out.append(section)
    (folder / "vsp").mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text("".join(out))
    return ini


def _run_virtuoso(folder: Path, ini: Path, query_url: str) -> subprocess.Popen[bytes]:
    log = folder / "server.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    _wait(query_url, process, 90, log)
    return process


def start_virtuoso(folder: Path, buffers: int | None = None) -> Server:
    """``virtuoso-t +foreground`` with its own ini, database and ports; writes go through
    ``/sparql-graph-crud-auth`` and ``/sparql-auth`` with digest login as dba."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = virtuoso_ini(folder, sql_port, http_port)
    if buffers is not None:
        text = ini.read_text()
        text = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", f"NumberOfBuffers = {buffers}", text)
        text = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", f"MaxDirtyBuffers = {buffers * 3 // 4}", text)
        ini.write_text(text)
    base = f"http://127.0.0.1:{http_port}"
    process = _run_virtuoso(folder, ini, f"{base}/sparql")
    return Server(
        "virtuoso",
        f"{base}/sparql",
        f"{base}/sparql-auth",
        f"{base}/sparql-graph-crud-auth",
        process,
        folder,
        user="dba",
        password="dba",
        auth="digest",
    )


def restart(server: Server) -> Server:
    """The same server started again on its folder and ports (after :func:`stop`)."""
    if server.name == "oxigraph":
        port = int(server.query_url.rsplit(":", 1)[1].split("/")[0])
        return start_oxigraph(server.folder, port, server.union_default)
    process = _run_virtuoso(server.folder, server.folder / "virtuoso.ini", server.query_url)
    return replace(server, process=process)


def stop(server: Server, kill: bool = False) -> None:
    """Stop the server (SIGTERM, or SIGKILL with ``kill``) and wait for it."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            server.process.wait(30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(10)


@contextmanager
def running(server: Server) -> Iterator[Server]:
    try:
        yield server
    finally:
        stop(server)
