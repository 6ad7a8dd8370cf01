"""The same reads on the embedded store, the Oxigraph server and Virtuoso (issue 12); prints
figures, asserts nothing.

    nice .venv/bin/python benchmarks/store_bench.py --data-dir DIR [--servers oxigraph,virtuoso]

DIR holds a build with the metric data. For each server: start it on loopback in a temporary
folder, time `publish` of the whole graph into it, then open the graph from it (the framework
graph read at open) and time, as p50 over the same inputs on every store:
show (10 entities), place profile (40 counties and cities), rank (20 county variables),
the three example SPARQL queries (through the endpoint's runner) and search (10 questions,
hybrid; the index is the data dir's on every store, so this column is the same code each
time). Oxigraph is measured twice on the same published folder: queries naming the build's
graphs as their dataset (the default), then the server restarted with
`--union-default-graph` and `store_union_default` on. The load average is printed after
each step.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.servers

from tests.servers import Server, start_oxigraph, start_virtuoso, stop

from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.config import Settings
from mobility_kg.data.examples import EXAMPLES
from mobility_kg.data.profile import profile, rank
from mobility_kg.data.sources import VARIABLES, Level
from mobility_kg.errors import StoreError, UnknownEntityError
from mobility_kg.graph.inspect import show_entity
from mobility_kg.graph.remote import RemoteQueryRunner
from mobility_kg.graph.sparql import QueryForm, SparqlRunner
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.publish import publish
from mobility_kg.search.engine import SearchEngine
from mobility_kg.stores import OpenedGraph, metric_data, open_graph

JSON = "application/sparql-results+json"
SHOW = [
    "predictor/housing-stability",
    "pillar/rewarding-work",
    "dimension/power-and-autonomy",
    "strategy/eviction-right-to-counsel",
    "metric/share-of-debt-in-collections",
    "place/27123",
    "place/42101",
    "post/philadelphia-data-dashboard",
    "term/eviction",
    "evidence/housing-stability",
]


QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "eval" / "questions.jsonl"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f}"


def p50(run: Callable[[Any], object], inputs: list[Any]) -> float:
    times = []
    for item in inputs:
        start = time.perf_counter()
        run(item)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _known(graph: Any, base: str, entity: str) -> bool:
    try:
        show_entity(graph, base, entity)
    except UnknownEntityError:
        return False
    return True


def measure(
    opened: OpenedGraph,
    settings: Settings,
    places: list[str],
    variables: int,
    repeat: int,
    questions: list[str],
    sparql_timeout: float,
) -> dict[str, float]:
    built = opened.built
    base = built.manifest.base_iri
    graph = EntityGraph(built.graph, base)
    data = metric_data(opened, settings.data_dir)
    ids = [i for i in SHOW if _known(built.graph, base, i)]
    names = list(VARIABLES)[:variables]
    figures = {
        "show": p50(lambda i: show_entity(built.graph, base, i), ids),
        "place profile": p50(lambda f: profile(data, graph, f), places),
        "rank": p50(lambda v: rank(data, v, level=Level.COUNTY), names),
    }
    if opened.remote is not None:
        runner: Any = RemoteQueryRunner(opened.remote, sparql_timeout, 200_000_000)
    else:
        manifest = built.manifest
        runner = SparqlRunner(
            artifact_path(settings.data_dir, manifest, "graph"),
            sparql_timeout,
            200_000_000,
            artifact_path(settings.data_dir, manifest, "store"),
        )
    try:
        for name, query in EXAMPLES.items():
            try:
                runner.run(query, QueryForm.SELECT, JSON)  # warm
                figures[f"SPARQL {name}"] = p50(
                    lambda q: runner.run(q, QueryForm.SELECT, JSON), [query] * repeat
                )
            except StoreError as error:  # no answer within the timeout: not repeated
                print(f"SPARQL {name}: {error}", flush=True)
                figures[f"SPARQL {name}"] = math.inf
    finally:
        runner.close()
    engine = SearchEngine.open(settings.data_dir)
    try:
        engine.search(questions[0])  # warm
        figures["search"] = p50(engine.search, questions)
    finally:
        engine.close()
    return figures


def _remote_column(
    settings: Settings, places: list[str], sizes: tuple[int, int, list[str], float]
) -> dict[str, float]:
    start = time.perf_counter()
    opened = open_graph(settings)
    opening = time.perf_counter() - start
    try:
        figures = measure(opened, settings, places, *sizes)
    finally:
        opened.close()
    figures["open (read the framework graph)"] = opening * 1000
    return figures


def _cell(value: float | None, timeout: float) -> str:
    if value is None:
        return ""
    return f"> {timeout:g} s" if math.isinf(value) else f"{value:,.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--servers", default="oxigraph,virtuoso")
    parser.add_argument("--virtuoso-buffers", type=int, default=170_000)
    parser.add_argument("--places", type=int, default=40)
    parser.add_argument("--variables", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each SPARQL query")
    parser.add_argument("--sparql-timeout", type=float, default=120, help="seconds per query")
    parser.add_argument(
        "--oxigraph-db", type=Path, help="an Oxigraph folder this build was published to"
    )
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir)
    manifest = read_manifest(args.data_dir)
    print(f"build: {manifest.triples:,} graph triples, data {bool(manifest.data)}")

    embedded = open_graph(settings)
    random.seed(12)
    fips = sorted(metric_data(embedded, settings.data_dir).places)
    places = random.sample(fips, args.places)
    lines = QUESTIONS.read_text().splitlines()
    questions = [json.loads(line)["question"] for line in lines[:10]]
    sizes = (args.variables, args.repeat, questions, args.sparql_timeout)
    timeout = math.ceil(args.sparql_timeout)  # Oxigraph stops a query past it
    print(load(), flush=True)
    columns: dict[str, dict[str, float]] = {"embedded": measure(embedded, settings, places, *sizes)}
    print("embedded:", columns["embedded"], "|", load(), flush=True)
    for name in args.servers.split(","):
        reuse = name == "oxigraph" and args.oxigraph_db is not None
        with tempfile.TemporaryDirectory(prefix=f"store-bench-{name}-") as folder:
            server: Server = (
                start_oxigraph(args.oxigraph_db if reuse else Path(folder), timeout=timeout)
                if name == "oxigraph"
                else start_virtuoso(Path(folder), buffers=args.virtuoso_buffers)
            )
            try:
                remote = server.settings(settings, 600.0)
                start = time.perf_counter()
                report = publish(remote)
                published = time.perf_counter() - start
                print(
                    f"{name}: published {report.triples:,} triples in "
                    f"{len(report.graphs)} graphs in {published:.1f} s "
                    f"({report.triples / published:,.0f} triples/s) | {load()}",
                    flush=True,
                )
                columns[name] = _remote_column(remote, places, sizes)
                columns[name]["publish, s"] = published
                print(f"{name}:", columns[name], "|", load(), flush=True)
                if name == "oxigraph":
                    stop(server)
                    server = start_oxigraph(server.folder, union=True, timeout=timeout)
                    union = server.settings(settings, 600.0)
                    columns["oxigraph, union"] = _remote_column(union, places, sizes)
                    print("oxigraph, union:", columns["oxigraph, union"], "|", load(), flush=True)
            finally:
                stop(server)

    rows = [*columns["embedded"], "open (read the framework graph)", "publish, s"]
    names = list(columns)
    print()
    print("| read (p50 ms) | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for row in rows:
        cells = [_cell(columns[n].get(row), args.sparql_timeout) for n in names]
        print(f"| {row} | " + " | ".join(cells) + " |")
    print(load())


if __name__ == "__main__":
    main()
