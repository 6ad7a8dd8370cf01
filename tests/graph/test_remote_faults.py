"""A remote store that is down, slow, or goes away mid-answer: a typed error within the
timeout, one line from the CLI (exit 6). The servers here are tiny loopback HTTP servers of
our own, each misbehaving in one way."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from tests.servers import free_port

from mobility_kg.config import Settings
from mobility_kg.errors import StoreTimeout, StoreUnavailable
from mobility_kg.graph.remote import RemoteStore


class _Misbehaving(BaseHTTPRequestHandler):
    """``/slow`` answers after 3 s; ``/trickle`` sends a byte every 0.1 s for ever;
    ``/cut`` promises 1,000 bytes, sends 10 and closes."""

    def log_message(self, format: str, *args: object) -> None:
        return None

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.startswith("/slow"):
            time.sleep(3)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        if self.path.startswith("/trickle"):
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path.startswith("/cut"):
            self.wfile.write(b'{"head": {')
            self.wfile.flush()
            self.connection.shutdown(2)


@pytest.fixture(scope="module")
def misbehaving() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Misbehaving)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _timed(store: RemoteStore) -> tuple[type[BaseException], float]:
    start = time.monotonic()
    with pytest.raises((StoreTimeout, StoreUnavailable)) as caught:
        store.select("SELECT ?s WHERE { ?s ?p ?o }")
    return caught.type, time.monotonic() - start


def test_a_store_that_is_down_is_unavailable_at_once() -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=5)
    kind, elapsed = _timed(store)
    assert kind is StoreUnavailable
    assert elapsed < 1


def test_a_slow_store_times_out_within_the_timeout(misbehaving: str) -> None:
    kind, elapsed = _timed(RemoteStore(misbehaving + "/slow", timeout=0.5))
    assert kind is StoreTimeout
    assert 0.5 <= elapsed < 1.5


def test_a_store_that_trickles_times_out_at_the_deadline(misbehaving: str) -> None:
    # bytes keep coming (so no read waits past the timeout), but the whole answer is late
    kind, elapsed = _timed(RemoteStore(misbehaving + "/trickle", timeout=0.5))
    assert kind is StoreTimeout
    assert 0.5 <= elapsed < 1.5


def test_a_store_that_goes_away_mid_answer_is_unavailable(misbehaving: str) -> None:
    store = RemoteStore(misbehaving + "/cut", timeout=5)
    with pytest.raises(StoreUnavailable, match="cannot reach the store"):
        store.select("SELECT ?s WHERE { ?s ?p ?o }")


def test_the_error_names_the_store_and_the_timeout(misbehaving: str) -> None:
    with pytest.raises(StoreTimeout) as caught:
        RemoteStore(misbehaving + "/slow", timeout=0.5).select("ASK {}")
    assert str(caught.value) == f"{misbehaving}/slow: no complete answer within 0.5 s"
    assert caught.value.status == 503 and caught.value.exit_code == 6


@pytest.mark.parametrize("path", ["/slow", "/cut"])
def test_cli_says_one_line_and_exits_6(
    mini_settings: Settings, misbehaving: str, path: str
) -> None:
    env = {
        **os.environ,
        "MOBILITY_KG_DATA_DIR": str(mini_settings.data_dir),
        "MOBILITY_KG_STORE_QUERY_URL": misbehaving + path,
        "MOBILITY_KG_STORE_TIMEOUT": "0.5",
    }
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mobility_kg", "show", "predictor/housing-stability"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 6
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {misbehaving}{path}: ")
    assert time.monotonic() - start < 10  # start-up of the CLI plus at most the timeout
