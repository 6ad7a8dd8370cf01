"""Load benchmark of the HTTP API on loopback; prints figures, asserts nothing.

    .venv/bin/python benchmarks/load_bench.py [--workers 2] [--data-dir DIR]   # builds first

In one run:
1. the torch encoder's single-query p50 on one thread, and so the torch-bound ceiling of a
   server (1 / that p50); the ONNX encoder's own p50 the same way
2. `mobility-kg serve --workers N` (ONNX query encoder): GET /api/search and GET /api/ask at
   concurrency 1, 8 and 32 (req/s, p50, p99, errors)
3. 60 s of mixed load at concurrency 32 over every read route (search, ask, entity, strategies,
   SPARQL, IRI dereference, path, web page), with the server's memory (all its processes)
   before (after 400 warm-up requests over the same routes: each worker starts its SPARQL
   process on first use) and after
4. the memory at rest of a server that embeds queries with torch, as the server did before
   the ONNX query path (one worker, same build), against the ONNX server with one worker

Every query text is distinct (a number is appended), so no figure comes from the query cache.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from search_bench import (
    QUERIES,
    percentile,
    refuse_fuller_build,
)  # the sibling benchmark (same folder)

from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.engine import SearchEngine

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("mobility-kg"))
TORCH_SERVER = """
import sys, uvicorn
from pathlib import Path
from mobility_kg.api.app import create_app
from mobility_kg.config import Settings
from mobility_kg.search.embedder import MiniLMEmbedder
app = create_app(Settings(data_dir=Path(sys.argv[1])), MiniLMEmbedder())
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""
Request = tuple[str, dict[str, str], dict[str, str]]  # path, params, headers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree_rss(pid: int) -> dict[int, float]:
    """Resident memory (MB) of a process and each of its descendants (workers, SPARQL
    workers), by process id."""
    found: dict[int, float] = {}
    queue = [pid]
    while queue:
        current = queue.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            # A child started from any thread of the process (a request thread starts the
            # SPARQL worker) is listed under that thread.
            children = [
                child
                for task in Path(f"/proc/{current}/task").iterdir()
                for child in (task / "children").read_text().split()
            ]
        except (OSError, StopIteration):
            continue
        found[current] = rss / 1024
        queue.extend(int(c) for c in children)
    return found


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the server's workers), in MB."""
    return sum(tree_rss(pid).values())


@contextmanager
def server(command: list[str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        [*command, "--port", str(port)] if command[0] == CLI else [*command, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
            time.sleep(0.3)
        # Every worker warm (each answers its own /health): a few rounds of fresh connections.
        for _ in range(20):
            httpx.get(base + "/api/search", params={"q": "warm up"}, timeout=60)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def distinct_queries(tag: str = "") -> Iterator[str]:
    """Query texts never sent before in this run (``tag`` keeps each level's and route's
    apart), so that no worker answers from its query cache."""
    for number in itertools.count():
        yield f"{QUERIES[number % len(QUERIES)]} {tag}{number}"


async def run_load(
    base: str,
    concurrency: int,
    next_request: Callable[[], Request],
    *,
    total: int | None = None,
    seconds: float | None = None,
) -> tuple[float, list[float], int, int]:
    """Requests until ``total`` are sent or ``seconds`` have passed; returns req/s, latencies
    (ms), errors and requests sent."""
    latencies: list[float] = []
    errors = sent = 0
    failures: list[str] = []
    stop_at = time.perf_counter() + seconds if seconds else None

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors, sent
        while (total is None or sent < total) and (
            stop_at is None or time.perf_counter() < stop_at
        ):
            sent += 1
            path, params, headers = next_request()
            start = time.perf_counter()
            try:
                response = await client.get(path, params=params, headers=headers)
                if response.status_code != 200:
                    errors += 1
                    failures.append(f"{response.status_code} {path} {params}")
            except httpx.HTTPError as error:
                errors += 1
                failures.append(f"{type(error).__name__} {path} {params}")
            latencies.append((time.perf_counter() - start) * 1000)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    for failure in failures[:5]:
        print(f"  failed: {failure}")
    return len(latencies) / elapsed, latencies, errors, sent


def mixed_requests(engine: SearchEngine) -> Callable[[], Request]:
    """Every read route, with varied arguments."""
    rng = random.Random(7)
    queries = distinct_queries("mixed-")
    ids = sorted(engine.catalog.cards)
    predictors = [i for i in ids if i.startswith("predictor/")]
    sparql = [
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "PREFIX umf: <https://w3id.org/mobility-kg/ontology#> SELECT ?s ?p WHERE { ?s umf:addresses ?p } LIMIT 50",
    ]

    def pick() -> Request:
        route = rng.randrange(8)
        if route == 0:
            return "/api/search", {"q": next(queries)}, {}
        if route == 1:
            return "/api/ask", {"q": next(queries)}, {}
        if route == 2:
            return f"/api/entities/{rng.choice(ids)}", {}, {}
        if route == 3:
            return f"/api/predictors/{rng.choice(predictors).partition('/')[2]}/strategies", {}, {}
        if route == 4:
            return (
                "/sparql",
                {"query": rng.choice(sparql)},
                {"Accept": "application/sparql-results+json"},
            )
        if route == 5:
            return f"/id/{rng.choice(ids)}", {}, {"Accept": "text/turtle"}
        if route == 6:
            return "/api/path", {"from": rng.choice(ids), "to": rng.choice(predictors)}, {}
        return "/", {"q": next(queries)}, {"Accept": "text/html"}

    return pick


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400, help="requests per concurrency level")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--mixed-seconds", type=float, default=60.0)
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="where to build the corpus (reused by later runs; not a data dir with the county "
        "and city values, which it would replace)",
    )
    parser.add_argument(
        "--with-data",
        action="store_true",
        help="include the county and city metric values (by default the corpus is built without "
        "corpus/data/, as the query path's goals were set before the data was in the graph)",
    )
    args = parser.parse_args()
    print(
        f"# mobility-kg load benchmark  ({os.cpu_count()} cores, loopback, async httpx client on the same cores)"
    )
    with tempfile.TemporaryDirectory() as temp:
        data_dir = args.data_dir or Path(temp) / "data"
        refuse_fuller_build(data_dir, args.with_data)
        corpus = ROOT / "corpus"
        if not args.with_data:
            corpus = Path(temp) / "corpus"
            shutil.copytree(ROOT / "corpus", corpus, ignore=shutil.ignore_patterns("data"))
        print(
            f"corpus: {'with' if args.with_data else 'without'} the county and city metric values"
        )
        settings = Settings(data_dir=data_dir, corpus_dir=corpus)
        torch_encoder = MiniLMEmbedder()
        build(settings, embedder=torch_encoder)
        import torch

        torch.set_num_threads(1)
        engine = SearchEngine.open(data_dir)
        queries = distinct_queries("alone-")
        timings: dict[str, list[float]] = {"torch": [], "onnx": [], "search": []}
        for _ in range(240):
            query = next(queries)
            for name, call in (
                ("torch", lambda: torch_encoder.encode([query + " t"])),
                ("onnx", lambda: engine.embedder.encode([query + " o"])),
                ("search", lambda: engine.search(query + " s")),
            ):
                start = time.perf_counter()
                call()
                timings[name].append((time.perf_counter() - start) * 1000)
        torch_p50, onnx_p50 = percentile(timings["torch"], 0.5), percentile(timings["onnx"], 0.5)
        ceiling = 1000 / torch_p50
        print(
            f"torch encoder, one query, 1 thread: p50 {torch_p50:.2f} ms -> torch-bound ceiling {ceiling:.1f} req/s"
        )
        print(
            f"ONNX encoder, one query, 1 thread:  p50 {onnx_p50:.2f} ms;  whole search call p50 {percentile(timings['search'], 0.5):.2f} ms"
        )

        command = [CLI, "serve", "--data-dir", str(data_dir), "--workers", str(args.workers)]
        with server(command) as (base, process):
            rest = tree_rss_mb(process.pid)
            print(f"\nserve --workers {args.workers}: memory at rest {rest:.0f} MB (all processes)")
            print(
                f"\n{'route':12} {'concurrency':>11} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
            )
            p50s: dict[tuple[str, int], float] = {}
            rates: dict[tuple[str, int], float] = {}
            for route in ("/api/search", "/api/ask"):
                for concurrency in (1, 8, 32):
                    questions = distinct_queries(f"{route[5:]}{concurrency}-")
                    rate, latencies, errors, _ = asyncio.run(
                        run_load(
                            base,
                            concurrency,
                            lambda: (route, {"q": next(questions)}, {}),
                            total=args.requests,
                        )
                    )
                    p50s[route, concurrency] = percentile(latencies, 0.5)
                    rates[route, concurrency] = rate
                    print(
                        f"{route:12} {concurrency:>11} {args.requests:>9} {rate:>8.1f} {p50s[route, concurrency]:>8.2f} {percentile(latencies, 0.99):>8.2f} {errors:>7}"
                    )
            # Every route used once by every worker first (SPARQL workers start on first use),
            # so the growth below is what the load itself leaves behind.
            asyncio.run(run_load(base, 8, mixed_requests(engine), total=400))
            each_before = tree_rss(process.pid)
            rate, latencies, errors, sent = asyncio.run(
                run_load(base, 32, mixed_requests(engine), seconds=args.mixed_seconds)
            )
            each_after = tree_rss(process.pid)
            before, after = sum(each_before.values()), sum(each_after.values())
            growth = ", ".join(
                f"{pid}: {each_before.get(pid, 0):.0f} -> {mb:.0f}"
                for pid, mb in each_after.items()
            )
            print(
                f"\nmixed load, every read route, concurrency 32, {args.mixed_seconds:.0f} s: {sent} requests, {rate:.1f} req/s, "
                f"p50 {percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms, {errors} errors"
            )
            print(
                f"server memory: before {before:.0f} MB, after {after:.0f} MB ({(after / before - 1) * 100:+.1f}%)"
            )
            print(f"  by process (MB): {growth}")

        with server([CLI, "serve", "--data-dir", str(data_dir)]) as (_, process):
            onnx_one = tree_rss_mb(process.pid)
        with server([sys.executable, "-c", TORCH_SERVER, str(data_dir)]) as (_, process):
            torch_one = tree_rss_mb(process.pid)
        print(
            f"\none worker at rest: ONNX {onnx_one:.0f} MB, torch {torch_one:.0f} MB -> {onnx_one / torch_one:.2f} x"
        )

        print("\ngoals:")
        print(
            f"  /api/search at concurrency 8: {rates['/api/search', 8]:.1f} req/s = {rates['/api/search', 8] / ceiling:.2f} x the torch-bound ceiling (goal >= 2)"
        )
        print(
            f"  /api/search p50 at concurrency 1: {p50s['/api/search', 1]:.2f} ms = ONNX encoder p50 + {p50s['/api/search', 1] - onnx_p50:.2f} ms (goal <= 5)"
        )
        print(
            "  /api/ask p50 / /api/search p50: "
            + ", ".join(
                f"c={c} {p50s['/api/ask', c] / p50s['/api/search', c]:.2f}" for c in (1, 8, 32)
            )
            + " (goal <= 2)"
        )
        print(
            f"  one worker at rest: {onnx_one / torch_one:.2f} x the torch server (goal <= 0.5); after mixed load {(after / before - 1) * 100:+.1f}% (goal within 10%)"
        )
        print(
            f"  mixed load p99 {percentile(latencies, 0.99):.0f} ms (goal < 1000), errors {errors} (goal 0)"
        )


if __name__ == "__main__":
    main()
