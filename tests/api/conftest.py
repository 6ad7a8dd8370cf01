"""A real server: `python -m mobility_kg serve` on a free port, over the mini build."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mobility_kg.config import Settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(
    data_dir: Path, log: Path, *, args: tuple[str, ...] = (), **env: str
) -> Iterator[str]:
    """`python -m mobility_kg serve` on a free port until the block ends; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "mobility_kg", "serve", "--port", str(port), *args]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--data-dir", str(data_dir)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HF_HUB_OFFLINE": "1", **env},
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {log.read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the session server's stdout and stderr go."""
    return tmp_path_factory.mktemp("server") / "server.log"


@pytest.fixture(scope="session")
def server(mini_settings: Settings, server_log: Path) -> Iterator[str]:
    log = server_log
    # Small limits, so the SPARQL tests can pass them on the mini graph.
    with running_server(
        mini_settings.data_dir,
        log,
        MOBILITY_KG_SPARQL_TIMEOUT="2",
        MOBILITY_KG_SPARQL_MAX_RESULT_BYTES="200000",
        MOBILITY_KG_CORS_ORIGINS="https://planner.example.org",
    ) as base:
        yield base


@pytest.fixture
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as http:
        yield http
