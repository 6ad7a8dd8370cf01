"""The ONNX query encoder: the same vectors as sentence-transformers, no torch on read paths."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from mobility_kg.config import Settings
from mobility_kg.errors import ConfigError, InvalidParameter, ModelUnavailable, StaleArtifact
from mobility_kg.search.answer import answer_question
from mobility_kg.search.embedder import MiniLMEmbedder, Vectors
from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.onnx_encoder import OnnxEmbedder, QueryBatcher

QUERIES = [
    "what helps families avoid eviction?",
    "share of prime-age adults with a job",
    "x",
    "Ünïcödé — and punctuation!?",
    "long " * 400,  # past the 256-token limit: truncated the same way
]


@pytest.fixture(scope="module")
def onnx_engine(mini_settings: Settings) -> SearchEngine:
    return SearchEngine.open(mini_settings.data_dir)


def test_default_engine_runs_on_the_onnx_export(onnx_engine: SearchEngine) -> None:
    assert isinstance(onnx_engine.embedder, OnnxEmbedder)


def test_onnx_vectors_match_sentence_transformers(
    onnx_engine: SearchEngine, embedder: MiniLMEmbedder
) -> None:
    torch_vectors = embedder.encode(QUERIES)
    onnx_vectors = onnx_engine.embedder.encode(QUERIES)
    single = np.stack([onnx_engine.embedder.encode([q])[0] for q in QUERIES])
    assert (torch_vectors * onnx_vectors).sum(axis=1).min() >= 0.9999
    assert (torch_vectors * single).sum(axis=1).min() >= 0.9999
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)


def test_int8_encoder_is_close_but_not_identical(
    mini_settings: Settings, embedder: MiniLMEmbedder
) -> None:
    engine = SearchEngine.open(mini_settings.data_dir, query_encoder="onnx-int8")
    cosines = (embedder.encode(QUERIES[:2]) * engine.embedder.encode(QUERIES[:2])).sum(axis=1)
    assert 0.97 < cosines.min() < 0.99999
    assert engine.search(QUERIES[0], k=3).results


def test_same_results_with_either_encoder(
    onnx_engine: SearchEngine, mini_settings: Settings, embedder: MiniLMEmbedder
) -> None:
    torch_engine = SearchEngine.open(mini_settings.data_dir, embedder)
    for query in QUERIES[:2]:
        assert [h.id for h in onnx_engine.search(query).results] == [
            h.id for h in torch_engine.search(query).results
        ]


def test_recent_query_vectors_are_cached_and_bounded(mini_settings: Settings) -> None:
    manifest = json.loads((mini_settings.data_dir / "manifest.json").read_text())
    files = manifest["files"]
    encoder = OnnxEmbedder(
        mini_settings.data_dir / files["encoder"],
        mini_settings.data_dir / files["tokenizer"],
        cache_size=2,
    )
    first = encoder.encode_query("eviction")
    assert encoder.encode_query("eviction") is first  # served from the cache
    encoder.encode_query("jobs")
    encoder.encode_query("schools")  # pushes "eviction" out
    again = encoder.encode_query("eviction")
    assert again is not first
    assert np.array_equal(again, first)
    with pytest.raises(ValueError, match="read-only"):
        first[0] = 1.0  # cached vectors cannot be changed by a caller


class CountingEncoder:
    """The real encoder, counting how many texts it is asked to embed."""

    def __init__(self, inner: OnnxEmbedder) -> None:
        self.inner, self.name, self.dimension, self.texts = inner, inner.name, inner.dimension, 0

    def encode(self, texts: list[str]) -> Vectors:
        self.texts += len(texts)
        return self.inner.encode(texts)


def test_ask_embeds_only_the_question(onnx_engine: SearchEngine, mini_settings: Settings) -> None:
    assert isinstance(onnx_engine.embedder, OnnxEmbedder)
    counting = CountingEncoder(onnx_engine.embedder)
    engine = SearchEngine.open(mini_settings.data_dir, counting)
    answer = answer_question(engine, "what helps families avoid eviction?")
    assert answer.answer
    # search and answer share the query vector: one text embedded (twice at most, uncached)
    assert counting.texts <= 2
    for sentence in answer.answer:
        assert any(sentence.text == s.text for s in engine.sentences)


def test_unknown_encoder_kind_is_refused(mini_settings: Settings) -> None:
    with pytest.raises(InvalidParameter, match="'onnx-fp8' is not one of onnx, onnx-int8"):
        SearchEngine.open(mini_settings.data_dir, query_encoder="onnx-fp8")
    with pytest.raises(ConfigError, match="MOBILITY_KG_QUERY_ENCODER"):
        Settings.from_env({"MOBILITY_KG_QUERY_ENCODER": "torch"})


def test_corrupt_encoder_file_is_a_clear_error(tmp_path: Path, mini_settings: Settings) -> None:
    bad = tmp_path / "encoder.onnx"
    bad.write_bytes(b"not a model")
    manifest = json.loads((mini_settings.data_dir / "manifest.json").read_text())
    tokenizer = mini_settings.data_dir / manifest["files"]["tokenizer"]
    with pytest.raises(ModelUnavailable, match="cannot load the query encoder"):
        OnnxEmbedder(bad, tokenizer)
    with pytest.raises(ModelUnavailable, match="unreadable tokenizer"):
        OnnxEmbedder(bad, bad)


def test_build_without_an_exported_encoder_is_stale(mini_copy: Settings) -> None:
    from mobility_kg.build import build

    build(mini_copy)
    path = mini_copy.data_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["search"]["query_encoder"]
    path.write_text(json.dumps(manifest))
    with pytest.raises(StaleArtifact, match="no query encoder"):
        SearchEngine.open(mini_copy.data_dir)


READ_PATHS = """
import sys
from mobility_kg.cli import app
from mobility_kg.config import Settings
from pathlib import Path
data = sys.argv[1]
for args in (
    ["search", "what helps families avoid eviction?", "--data-dir", data],
    ["ask", "what helps families avoid eviction?", "--data-dir", data, "--json"],
    ["show", "predictor/housing-stability", "--data-dir", data],
    ["strategies", "predictor/housing-stability", "--data-dir", data],
):
    try:
        app(args, standalone_mode=False)
    except SystemExit as stop:
        assert not stop.code, (args, stop.code)
from fastapi.testclient import TestClient
from mobility_kg.api.app import create_app
with TestClient(create_app(Settings(data_dir=Path(data)))) as client:
    for url in ("/api/search?q=eviction", "/api/ask?q=eviction", "/id/predictor/housing-stability",
                "/api/predictors/housing-stability/strategies", "/", "/health"):
        assert client.get(url).status_code == 200, url
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert client.get("/sparql", params={"query": query}).status_code == 200
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"torch", "sentence_transformers", "transformers", "faiss", "bm25s", "scipy"})
print("HEAVY", heavy)
"""


def test_read_paths_never_import_torch(mini_settings: Settings) -> None:
    """Nor FAISS for an exact (flat) index, nor bm25s and SciPy: the read path scores from
    the arrays in hand."""
    done = subprocess.run(
        [sys.executable, "-c", READ_PATHS, str(mini_settings.data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "HEAVY []" in done.stdout, done.stdout[-2000:]


def test_concurrent_queries_are_batched_and_get_their_own_vectors(mini_settings: Settings) -> None:
    manifest = json.loads((mini_settings.data_dir / "manifest.json").read_text())
    files = manifest["files"]
    encoder_file = mini_settings.data_dir / files["encoder"]
    tokenizer = mini_settings.data_dir / files["tokenizer"]
    batched = OnnxEmbedder(encoder_file, tokenizer, cache_size=0, batch_concurrent=True)
    alone = OnnxEmbedder(encoder_file, tokenizer, cache_size=0)
    texts = [f"what helps families avoid eviction, question {i}" for i in range(24)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        vectors = list(pool.map(batched.encode_query, texts))
    for text, vector in zip(texts, vectors, strict=True):
        assert float(vector @ alone.encode_query(text)) > 0.9999
    batched.close()
    # After closing, a late caller is still answered (by its own thread).
    assert float(batched.encode_query("late") @ alone.encode_query("late")) > 0.9999


def test_queries_arriving_while_the_encoder_is_busy_share_a_run(mini_settings: Settings) -> None:
    manifest = json.loads((mini_settings.data_dir / "manifest.json").read_text())
    encoder = OnnxEmbedder(
        mini_settings.data_dir / manifest["files"]["encoder"],
        mini_settings.data_dir / manifest["files"]["tokenizer"],
    )
    sizes: list[int] = []

    def run(texts: list[str]) -> Vectors:
        sizes.append(len(texts))
        return encoder.encode(texts)

    batcher = QueryBatcher(run)
    texts = [f"how can a county reduce evictions, variant {i}" for i in range(48)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        vectors = list(pool.map(batcher.encode, texts))
    batcher.close()
    assert sum(sizes) == len(texts)
    assert max(sizes) > 1  # some queries waited and went together
    for text, vector in zip(texts, vectors, strict=True):
        assert float(vector @ encoder.encode([text])[0]) > 0.9999


def test_a_lower_token_limit_reads_only_the_first_tokens(mini_settings: Settings) -> None:
    manifest = json.loads((mini_settings.data_dir / "manifest.json").read_text())
    files = manifest["files"]
    encoder_file = mini_settings.data_dir / files["encoder"]
    tokenizer = mini_settings.data_dir / files["tokenizer"]
    short = OnnxEmbedder(encoder_file, tokenizer, cache_size=0, max_tokens=8)
    full = OnnxEmbedder(encoder_file, tokenizer, cache_size=0)
    head = "eviction right to counsel"  # 5 word pieces (ev ##iction right to counsel)
    tail = " and a long story about transit fares, schools and parks"
    # A limit of 8 keeps [CLS], the first 6 word pieces and [SEP]: the rest is never read...
    assert float(short.encode_query(head + tail) @ short.encode_query(head + " and a")) > 0.9999
    # ...and without it, it is.
    assert float(full.encode_query(head + tail) @ full.encode_query(head + " and a")) < 0.99
