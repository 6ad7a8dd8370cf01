"""`mobility-kg serve` tells its operator what it loads, where it listens, and each request."""

import time
from pathlib import Path

import httpx


def _lines_when(log: Path, wanted: str, seconds: float = 10) -> list[str]:
    deadline = time.monotonic() + seconds
    while wanted not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    return log.read_text().splitlines()


def test_serve_says_what_it_loads_then_the_url_then_one_line_per_request(
    client: httpx.Client, server: str, server_log: Path
) -> None:
    client.get("/health", params={"probe": "access-log"})
    lines = _lines_when(server_log, "probe=access-log")
    port = server.rsplit(":", 1)[1]
    expected_in_order = [
        f"mobility-kg: starting on 127.0.0.1:{port}",
        "loading the graph from ",
        "loading the search index and the embedding model (",
        f"ready: {server}/  (web page; API docs at {server}/docs; press Ctrl+C to stop)",
        '"GET /health?probe=access-log HTTP/1.1" 200 OK',
    ]
    found = []
    position = 0
    for expected in expected_in_order:
        while position < len(lines) and expected not in lines[position]:
            position += 1
        found.append(position < len(lines))
        position += 1
    assert found == [True] * len(expected_in_order), lines
    assert not any("Uvicorn running on" in line for line in lines)  # one URL line, ours
