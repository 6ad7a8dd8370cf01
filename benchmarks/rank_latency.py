"""What the ranking costs a query beyond the encoder: hybrid search with each question's
vector computed once beforehand, with and without the graph re-ranking and the learned step.

Every question of the evaluation set is searched (k 10) in three warm passes per setting,
the settings interleaved so that a change of machine load falls on all of them; prints the
p50 and p90 of one search in ms.

    .venv/bin/python benchmarks/rank_latency.py --data-dir DIR [--split all]
"""

from __future__ import annotations

import os
import time
from dataclasses import replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from rank_grid import BEFORE, split_questions

from mobility_kg.search.embedder import Vectors
from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.ranking import RankingParams

PASSES = 3


class CachedEmbedder:
    """The engine's encoder with every question embedded once, before timing."""

    def __init__(self, engine: SearchEngine, questions: list[str]) -> None:
        self.dimension = engine.embedder.dimension
        self._vectors = {q: engine.embedder.encode([q]) for q in questions}

    def encode(self, texts: list[str]) -> Vectors:
        return np.vstack([self._vectors[text] for text in texts])


def main() -> None:
    args, questions = split_questions(__doc__)
    engine = SearchEngine.open(args.data_dir)
    texts = [q.question for q in questions]
    engine.embedder = CachedEmbedder(engine, texts)  # type: ignore[assignment]
    shipped = RankingParams()
    settings = {
        "fusion only (RRF, no graph re-ranking, no learned step)": BEFORE,
        "graph re-ranking, learned step off": replace(shipped, learned=False),
        "shipped (graph re-ranking and learned step)": shipped,
    }
    times: dict[str, list[float]] = {name: [] for name in settings}
    for text in texts:  # warm every path once
        for params in settings.values():
            engine.params = params
            engine.search(text, 10)
    for _ in range(PASSES):
        for text in texts:
            for name, params in settings.items():
                engine.params = params
                start = time.perf_counter()
                engine.search(text, 10)
                times[name].append(time.perf_counter() - start)
    print(f"{len(texts)} questions (split {args.split}), {PASSES} passes, query vectors cached")
    print()
    print("| ranking | p50 ms | p90 ms |")
    print("|---|---|---|")
    for name, spent in times.items():
        p50, p90 = np.percentile(np.asarray(spent) * 1000, [50, 90])
        print(f"| {name} | {p50:.2f} | {p90:.2f} |")
    engine.close()


if __name__ == "__main__":
    main()
