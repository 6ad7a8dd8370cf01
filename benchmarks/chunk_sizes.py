"""How long should a chunk be? Hybrid search scored with the corpus chunked at several sizes.

Reads the build's graph, chunks it again at each ``--words`` limit (a chunk holds whole
sentences up to that many words of prose, as the build does at 180), embeds every chunk with
the build's query encoder (so the shipped size is re-embedded too, like for like), makes a
BM25 index of them, and scores the split's questions with the shipped ranking. Sentences for
``ask`` are left out: the ranking does not read them. About a minute per size on 2 cores.

    .venv/bin/python benchmarks/chunk_sizes.py --data-dir DIR [--words 100 140 180]
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from rank_grid import figures, split_questions
from rdflib import Graph

from mobility_kg.artifacts import artifact_path
from mobility_kg.search.chunking import MAX_WORDS, chunk_graph
from mobility_kg.search.dense import NumpyIndex
from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.lexical import LexicalIndex
from mobility_kg.search.ranking import RankingParams


def chunked_engine(shipped: SearchEngine, graph: Graph, words: int) -> SearchEngine:
    """The shipped engine's encoder, catalog and ranking over chunks of at most ``words``."""
    chunks = chunk_graph(graph, shipped.manifest.base_iri, words)
    vectors = np.concatenate(
        [
            shipped.embedder.encode([c.text for c in chunks[start : start + 64]])
            for start in range(0, len(chunks), 64)
        ]
    )
    return SearchEngine(
        shipped.embedder,
        NumpyIndex.of(vectors),
        vectors,
        LexicalIndex.build([c.text for c in chunks]),
        chunks,
        shipped.catalog,
        shipped.manifest,
        [],
        np.zeros((0, vectors.shape[1]), dtype=np.float32),
        shipped.params,
    )


def main() -> None:
    def options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--words", type=int, nargs="+", default=[100, 120, 140, 160, 180])

    args, questions = split_questions(__doc__, options)
    # The learned last step is off: it was trained on the candidates of 180-word chunks.
    shipped = SearchEngine.open(args.data_dir, params=RankingParams(learned=False))
    graph = Graph()
    graph.parse(artifact_path(args.data_dir, shipped.manifest, "graph"), format="nt")
    print(f"{len(questions)} questions (split {args.split}); the build chunks at {MAX_WORDS}")
    print()
    print("| words per chunk | chunks | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|---|")
    for words in args.words:
        engine = chunked_engine(shipped, graph, words)

        def rank(question: str, engine: SearchEngine = engine) -> list[str]:
            return [hit.id for hit in engine.search(question, 10, SearchMode.HYBRID).results]

        print(f"| {words} | {len(engine.chunks)} | {figures(questions, rank)} |", flush=True)
    shipped.close()


if __name__ == "__main__":
    main()
