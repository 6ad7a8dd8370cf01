"""Load benchmark of GET /api/search on loopback; prints figures, asserts nothing.

    .venv/bin/python benchmarks/load_bench.py            # builds the shipped corpus first

Starts `mobility-kg serve` (one uvicorn worker) on a free loopback port, sends a bounded number
of requests at concurrency 1, 8 and 32 with an async httpx client, and reports requests per
second and p50/p99 latency, set against the search call measured alone in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from search_bench import QUERIES, percentile  # the sibling benchmark (same folder)

from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.engine import SearchEngine

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def run_level(base: str, concurrency: int, total: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for number in counter:
            query = QUERIES[number % len(QUERIES)]
            start = time.perf_counter()
            response = await client.get("/api/search", params={"q": query, "k": 10})
            latencies.append((time.perf_counter() - start) * 1000)
            errors += response.status_code != 200

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return total / elapsed, latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400, help="requests per concurrency level")
    args = parser.parse_args()
    print(f"# mobility-kg load benchmark  ({os.cpu_count()} cores, one uvicorn worker, loopback)")
    with tempfile.TemporaryDirectory() as temp:
        settings = Settings(data_dir=Path(temp) / "data", corpus_dir=ROOT / "corpus")
        embedder = MiniLMEmbedder()
        build(settings, embedder=embedder)
        engine = SearchEngine.open(settings.data_dir, embedder)
        for query in QUERIES:
            engine.search(query)
        alone = []
        for _ in range(10):
            for query in QUERIES:
                start = time.perf_counter()
                engine.search(query)
                alone.append((time.perf_counter() - start) * 1000)
        del engine
        print(
            f"search call alone, in process: p50 {percentile(alone, 0.5):.2f} ms  p99 {percentile(alone, 0.99):.2f} ms"
        )
        port = free_port()
        command = [
            str(ROOT / ".venv" / "bin" / "mobility-kg"),
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(settings.data_dir),
        ]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(base + "/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                time.sleep(0.3)
            asyncio.run(run_level(base, 4, 40))  # warm up
            print(
                f"\n{'concurrency':>11} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
            )
            for concurrency in (1, 8, 32):
                rate, latencies, errors = asyncio.run(run_level(base, concurrency, args.requests))
                print(
                    f"{concurrency:>11} {args.requests:>9} {rate:>8.1f} {percentile(latencies, 0.5):>8.2f} "
                    f"{percentile(latencies, 0.99):>8.2f} {errors:>7}"
                )
            print(f"(mean of all latencies at the last level: {statistics.mean(latencies):.1f} ms)")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
