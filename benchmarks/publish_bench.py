"""Where `publish` spends its time, on a slice of a build (issue 12); prints figures, asserts
nothing.

    nice .venv/bin/python benchmarks/publish_bench.py --data-dir DIR [--datasets 4]

For each server (started fresh on loopback in a temporary folder): publish the framework graph
and the first N data sets of DIR's build (the script narrows publish's list of data sets)
under cProfile, and print the triples, the seconds, and the seconds spent in the store's
update requests (the swaps), its graph store requests (the chunks) and writing N-Triples
from the build's store (in the main thread; where a thread writes them, the time waited for
it). cProfile slows the client a little; the servers run at full speed. ``--twice``
publishes again to the same server: every graph is then one it holds. Run it with another checkout's `src` first on PYTHONPATH to compare.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.servers

from tests.servers import start_oxigraph, start_virtuoso, stop

import mobility_kg.publish as publishing
from mobility_kg.config import Settings


def seconds_in(stats: pstats.Stats, name: str, path_end: str = "") -> float:
    """Cumulative seconds of the functions called ``name`` (defined in a file ending with
    ``path_end``, if given), built-in methods (``<method 'name' of ...>``) included."""
    table = stats.stats  # type: ignore[attr-defined]  # (file, line, name) -> (.., cumtime, ..)
    return sum(
        row[3]
        for (file, _, function), row in table.items()
        if (function == name or function.startswith(f"<method '{name}' "))
        and file.endswith(path_end)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--servers", default="oxigraph,virtuoso")
    parser.add_argument("--datasets", type=int, default=4)
    parser.add_argument(
        "--twice", action="store_true", help="publish again to the same server (graphs it holds)"
    )
    args = parser.parse_args()
    every = publishing.dataset_iris
    publishing.dataset_iris = lambda graph: every(graph)[: args.datasets]  # type: ignore[assignment]
    settings = Settings(data_dir=args.data_dir)
    print(f"mobility_kg from {Path(publishing.__file__).parents[1]}")
    for name in args.servers.split(","):
        with tempfile.TemporaryDirectory(prefix=f"publish-bench-{name}-") as folder:
            start = start_oxigraph if name == "oxigraph" else start_virtuoso
            server = start(Path(folder))
            try:
                remote = server.settings(settings, 600.0)
                for run in ("first publish", "republish")[: 2 if args.twice else 1]:
                    profile = cProfile.Profile()
                    began = time.perf_counter()
                    profile.enable()
                    report = publishing.publish(remote)
                    profile.disable()
                    took = time.perf_counter() - began
                    _print(f"{name}, {run}", report.triples, len(report.graphs), took, profile)
            finally:
                stop(server)


def _print(label: str, triples: int, graphs: int, took: float, profile: cProfile.Profile) -> None:
    stats = pstats.Stats(profile)
    remote = "graph/remote.py"
    print(
        f"{label}: {triples:,} triples in {graphs} graphs in {took:.1f} s "
        f"({triples / took:,.0f} triples/s); update requests (swaps) "
        f"{seconds_in(stats, 'update', remote):.1f} s, graph store requests "
        f"{seconds_in(stats, 'put', remote):.1f} s, writing N-Triples "
        f"{seconds_in(stats, 'serialize'):.1f} s, waiting for the thread that writes them "
        f"{seconds_in(stats, 'result'):.1f} s; "
        "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()),
        flush=True,
    )


if __name__ == "__main__":
    main()
