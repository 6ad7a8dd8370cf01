"""What a cross-encoder re-ranking of the first candidates would cost a query on this machine.

The oracles of `rank_ceilings.py` put what is left of recall@5 in re-ranking the first 30
candidates, which is a cross-encoder's job. None ships with weights in a package here, but the
cross-encoders commonly used for this (the MS MARCO MiniLM-L-6 family) have the architecture of
the packaged all-MiniLM-L6-v2: 6 layers, 384 wide. So the packaged model, run by the build's
ONNX encoder over the (question, candidate text) pairs a cross-encoder would read, costs what
one would, whatever its weights. For each evaluation question, the first N candidates of
hybrid search before the learned step are paired with their first chunk's text, the pairs
truncated at each token limit and encoded in one batch; prints the p50 and p90 per question,
next to the p50 of encoding the question alone.

    .venv/bin/python benchmarks/rerank_cost.py --data-dir DIR [--split test] [--candidates 30]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from rank_grid import split_questions
from tokenizers import Tokenizer

from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.onnx_encoder import ENCODER_ROLES, OnnxEmbedder, QueryEncoderKind
from mobility_kg.search.ranking import RankingParams

TOKEN_LIMITS = (128, 256)


def main() -> None:
    def options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--candidates", type=int, default=30)

    args, questions = split_questions(__doc__, options)
    manifest = read_manifest(args.data_dir)
    files = (
        artifact_path(args.data_dir, manifest, ENCODER_ROLES[QueryEncoderKind.ONNX]),
        artifact_path(args.data_dir, manifest, "tokenizer"),
    )
    engine = SearchEngine.open(args.data_dir, params=replace(RankingParams(), learned=False))
    first_chunk: dict[str, str] = {}
    for chunk in engine.chunks:
        first_chunk.setdefault(chunk.entity_id, chunk.text)
    pairs = []
    for question in questions:
        ids = engine.learning_table(question.question, ("predictor",), args.candidates)[0]
        pairs.append([f"{question.question} [SEP] {first_chunk[entity]}" for entity in ids])
    tokenizer = Tokenizer.from_file(str(files[1]))
    tokenizer.no_padding()  # the shipped file pads to 128
    lengths = [len(tokenizer.encode(q.question).ids) for q in questions]
    print(
        f"{len(questions)} questions (split {args.split}), {args.candidates} candidates each; "
        f"a question is {np.mean(lengths):.1f} tokens on average (with [CLS] and [SEP])"
    )
    print()
    print("| encoded per question | token limit | p50 ms | p90 ms |")
    print("|---|---|---|---|")
    uncached = OnnxEmbedder(*files, cache_size=0)
    alone = []
    for question in questions:
        start = time.perf_counter()
        uncached.encode_query(question.question)
        alone.append((time.perf_counter() - start) * 1000)
    print(f"| the question alone | 256 | {np.median(alone):.1f} | "
          f"{np.percentile(alone, 90):.1f} |")  # fmt: skip
    for limit in TOKEN_LIMITS:
        encoder = OnnxEmbedder(*files, cache_size=0, max_tokens=limit)
        times = []
        for batch in pairs:
            start = time.perf_counter()
            encoder.encode(batch)
            times.append((time.perf_counter() - start) * 1000)
        print(f"| {args.candidates} (question, candidate) pairs, one batch | {limit} | "
              f"{np.median(times):.0f} | {np.percentile(times, 90):.0f} |")  # fmt: skip
    engine.close()


if __name__ == "__main__":
    main()
