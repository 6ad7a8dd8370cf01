"""Search on FAISS (the build's files) against PostgreSQL + pgvector, from one run.

Starts a PostgreSQL 16 server with pgvector (the `pgserver` package's binaries, on a loopback
port; tests/pg_server.py), writes a build's chunk vectors into it as `build` does, and runs the
evaluation questions through both stores:

- the sync: every row at first, then a no-op (nothing changed);
- p50 of the dense search alone (query vectors embedded beforehand), unfiltered (HNSW) and
  with a type filter (SQL conditions), and of a whole hybrid search (query embedding cache off);
- top-10 agreement (share of equal positions) and the eval figures of each store, per mode.

    .venv/bin/python benchmarks/vector_bench.py --data-dir DIR     # a built data dir (read only)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.pg_server: the same server the tests start

from tests.pg_server import PgTestServer  # noqa: E402

from mobility_kg.artifacts import artifact_path, read_manifest  # noqa: E402
from mobility_kg.ids import EntityType  # noqa: E402
from mobility_kg.search.engine import Filters, SearchEngine, SearchMode  # noqa: E402
from mobility_kg.search.evaluate import evaluate, read_questions  # noqa: E402
from mobility_kg.search.onnx_encoder import (  # noqa: E402
    ENCODER_ROLES,
    OnnxEmbedder,
    QueryEncoderKind,
)
from mobility_kg.search.vector_store import sync_built  # noqa: E402

QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"
PASSES = 3


def p50_ms(run: Callable[[], object], items: int) -> float:
    times = []
    for _ in range(PASSES):
        for _ in range(items):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def open_engine(data_dir: Path, url: str = "") -> SearchEngine:
    manifest = read_manifest(data_dir)
    encoder = OnnxEmbedder(
        artifact_path(data_dir, manifest, ENCODER_ROLES[QueryEncoderKind.ONNX]),
        artifact_path(data_dir, manifest, "tokenizer"),
        cache_size=0,
    )
    return SearchEngine.open(data_dir, encoder, pgvector_url=url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--ef-search", type=int, default=100)
    args = parser.parse_args()
    data_dir: Path = args.data_dir
    manifest = read_manifest(data_dir)
    questions = read_questions(QUESTIONS)
    server = PgTestServer()
    try:
        url = server.new_database()
        start = time.perf_counter()
        first = sync_built(data_dir, manifest, url)
        full_sync = time.perf_counter() - start
        start = time.perf_counter()
        again = sync_built(data_dir, manifest, url)
        noop_sync = time.perf_counter() - start
        faiss = open_engine(data_dir)
        pg = open_engine(data_dir, url)
        pg.dense.store.ef_search = args.ef_search  # type: ignore[attr-defined]
        print(
            f"chunks: {len(faiss.chunks)}, questions: {len(questions)}, ef_search {args.ef_search}"
        )
        print(f"sync, empty table: {full_sync:.2f} s ({first.written if first else 0} rows)")
        print(
            f"sync, nothing changed: {noop_sync * 1000:.1f} ms ({'no-op' if again is None else again})"
        )
        vectors = [faiss.embed_query(q.question) for q in questions]
        strategy = Filters(entity_type=EntityType.STRATEGY)
        rows = []
        for name, engine in (("FAISS", faiss), ("pgvector", pg)):
            it = iter(range(10**9))

            def vector() -> object:
                return vectors[next(it) % len(vectors)]

            dense = p50_ms(lambda: engine.dense_ranking(vector(), None, 10), len(vectors))
            allowed = engine._allowed(strategy)
            filtered = p50_ms(
                lambda: engine.dense_ranking(vector(), allowed, 10, strategy), len(vectors)
            )
            texts = iter(range(10**9))
            hybrid = p50_ms(
                lambda: engine.search(questions[next(texts) % len(questions)].question, 10),
                len(questions),
            )
            rows.append((name, dense, filtered, hybrid))
        print()
        print(
            "| store | dense top-10, p50 ms | dense top-10 of strategies, p50 ms | hybrid search (with query embedding), p50 ms |"
        )
        print("|---|---|---|---|")
        for name, dense, filtered, hybrid in rows:
            print(f"| {name} | {dense:.2f} | {filtered:.2f} | {hybrid:.2f} |")
        print()
        print(
            "| mode | top-10 positions equal | nDCG@10 FAISS | nDCG@10 pgvector | recall@5 FAISS | recall@5 pgvector |"
        )
        print("|---|---|---|---|---|---|")
        for mode in SearchMode:
            ranked = {
                name: {
                    q.question: [h.id for h in engine.search(q.question, 10, mode).results]
                    for q in questions
                }
                for name, engine in (("faiss", faiss), ("pg", pg))
            }
            same = total = 0
            for q in questions:
                a, b = ranked["faiss"][q.question], ranked["pg"][q.question]
                total += max(len(a), len(b))
                same += sum(x == y for x, y in zip(a, b, strict=False))
            want = evaluate(mode.value, questions, ranked["faiss"].__getitem__)
            got = evaluate(mode.value, questions, ranked["pg"].__getitem__)
            print(
                f"| {mode.value} | {same / total:.4f} ({same} of {total}) | {want.ndcg_at_10:.3f} | "
                f"{got.ndcg_at_10:.3f} | {want.recall['recall@5']:.3f} | {got.recall['recall@5']:.3f} |"
            )
        pg.close()
        faiss.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
