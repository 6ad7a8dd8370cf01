"""Figures of the Mobility Metrics data (issue 9); prints them, asserts nothing.

    .venv/bin/python benchmarks/data_bench.py [--upstream CHECKOUT] [--data-dir DIR]

1. `mobility-kg data import CHECKOUT` into a temporary folder (only with --upstream): time
   and peak memory.
2. `mobility-kg build` of the shipped corpus with its data into a fresh data dir (or DIR):
   time, peak memory, and the store's size on disk.
3. In process: profile p50 over 200 counties and cities, rank p50 over every county variable,
   and the example SPARQL queries' p50 (through the endpoint's worker).
4. `mobility-kg serve` with the data loaded: resident memory of the server and its SPARQL
   worker after a profile request and a SPARQL query.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.data.examples import EXAMPLES
from mobility_kg.data.profile import profile, rank
from mobility_kg.data.sources import VARIABLES, Level
from mobility_kg.data.stage import open_metric_data, store_size
from mobility_kg.graph.sparql import QueryForm, SparqlRunner, check_query

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "mobility_kg"]


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a command (GNU time)."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
        return seconds, int(report.read().strip().splitlines()[-1]) / 1024


def timed_build(command: list[str], env: dict[str, str]) -> tuple[float, float, list[str]]:
    """Wall seconds and peak resident MB of a build, and the seconds of each of its stages
    (read from the lines it prints on stderr as each stage starts)."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        process = subprocess.Popen(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        marks: list[tuple[str, float]] = []
        for line in process.stderr:
            if line.startswith("build ["):
                marks.append((line.split(": ", 1)[1].strip(), time.perf_counter()))
        if process.wait() != 0:
            raise SystemExit(f"build failed: exit {process.returncode}")
        seconds = time.perf_counter() - start
        ends = [at for _, at in marks[1:]] + [start + seconds]
        stages = [f"{name} {end - at:.1f} s" for (name, at), end in zip(marks, ends, strict=True)]
        return seconds, int(report.read().strip().splitlines()[-1]) / 1024, stages


def p50(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", type=Path, help="a checkout of mobility-from-poverty")
    parser.add_argument("--data-dir", type=Path, help="build here (default: a fresh temp dir)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start")

    if args.upstream:
        with tempfile.TemporaryDirectory() as folder:
            seconds, peak = timed(
                [*CLI, "data", "import", str(args.upstream), "--to", f"{folder}/data"], env
            )
            print(f"data import: {seconds:.1f} s, peak {peak:.0f} MB")

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="data-bench-"))
    seconds, peak, stages = timed_build([*CLI, "build", "--data-dir", str(data_dir)], env)
    manifest = read_manifest(data_dir)
    store = artifact_path(data_dir, manifest, "store")
    print(
        f"build (corpus + data, fresh data dir): {seconds:.1f} s, peak {peak:.0f} MB; "
        f"store {store_size(store) / 2**20:.0f} MB on disk"
    )
    print(f"  by stage: {'; '.join(stages)}")

    data, entities = open_metric_data(data_dir)
    chooser = random.Random(9)
    places = chooser.sample(sorted(data.places), 200)
    index = iter(places * 2)
    print(f"profile p50: {p50(lambda: profile(data, entities, next(index)), 200):.1f} ms")
    county_variables = [v for v in VARIABLES if data.years.get((v, str(Level.COUNTY)))]
    cycle = iter(county_variables * 10)
    ranks = p50(lambda: rank(data, next(cycle), limit=5000), len(county_variables) * 3)
    print(f"rank p50 over all counties ({len(county_variables)} variables): {ranks:.1f} ms")

    graph_nt = artifact_path(data_dir, manifest, "graph")
    runner = SparqlRunner(graph_nt, 60.0, 200_000_000, store)
    try:
        for name, query in EXAMPLES.items():
            form = check_query(query)
            assert form is QueryForm.SELECT
            runner.run(query, form, "application/sparql-results+json")  # starts the worker
            median = p50(lambda: runner.run(query, form, "application/sparql-results+json"), 5)
            print(f"SPARQL {name} p50: {median:.0f} ms")
    finally:
        runner.close()

    port = free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        httpx.get(f"{base}/api/places/27123/profile", timeout=60).raise_for_status()
        httpx.get(
            f"{base}/sparql",
            params={"query": EXAMPLES["count-observations"]},
            timeout=120,
        ).raise_for_status()
        print(f"server resident memory with the data loaded: {rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
