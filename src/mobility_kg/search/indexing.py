"""Build the search artifacts from the graph: catalog, chunks, vectors, FAISS and BM25.

Vectors are reused from the previous build for every chunk whose content hash is unchanged
(and only when the model is the same), so an edit re-embeds just the chunks it touched.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from rdflib import Graph

from mobility_kg.artifacts import Artifact
from mobility_kg.search.catalog import build_catalog
from mobility_kg.search.chunking import Chunk, chunk_graph
from mobility_kg.search.dense import FaissIndex, choose_index_kind
from mobility_kg.search.embedder import Embedder, Vectors
from mobility_kg.search.lexical import LexicalIndex

# Bump when chunking or index layout changes: builds made before are then rebuilt, and an
# engine refuses to open them (StaleArtifact) instead of serving differently-made chunks.
INDEX_FORMAT = 2


@dataclass(frozen=True, slots=True)
class SearchBuild:
    artifacts: list[Artifact]
    info: dict[str, object]
    embedded: int
    reused: int


def chunks_to_jsonl(chunks: list[Chunk]) -> str:
    return "".join(json.dumps(asdict(c), ensure_ascii=False, sort_keys=True) + "\n" for c in chunks)


def chunks_from_jsonl(text: str) -> list[Chunk]:
    return [Chunk(**json.loads(line)) for line in text.splitlines() if line.strip()]


def _binary(role: str, suffix: str, key: str, write: Callable[[Path], None]) -> Artifact:
    return Artifact(role, f"{role}-{key[:12]}{suffix}", write)


def embed_with_cache(
    chunks: list[Chunk],
    get_embedder: Callable[[], Embedder],
    cached: dict[str, Vectors],
    dimension: int,
) -> tuple[Vectors, int]:
    """Vectors for the chunks, reusing ``cached`` (content hash -> vector); returns how many
    were embedded anew. The embedder is created only when something needs embedding."""
    vectors = np.zeros((len(chunks), dimension), dtype=np.float32)
    missing = [i for i, c in enumerate(chunks) if c.content_hash not in cached]
    for i, chunk in enumerate(chunks):
        if chunk.content_hash in cached:
            vectors[i] = cached[chunk.content_hash]
    if missing:
        fresh = get_embedder().encode([chunks[i].text for i in missing])
        vectors[missing] = fresh
    return vectors, len(missing)


def build_search(
    graph: Graph,
    base_iri: str,
    get_embedder: Callable[[], Embedder],
    model_name: str,
    dimension: int,
    cached: dict[str, Vectors],
) -> SearchBuild:
    """Every search artifact of a graph."""
    catalog = build_catalog(graph, base_iri)
    chunks = chunk_graph(graph, base_iri)
    vectors, embedded = embed_with_cache(chunks, get_embedder, cached, dimension)
    kind = choose_index_kind(len(chunks))
    key = hashlib.sha256(
        (model_name + "".join(c.content_hash for c in chunks)).encode()
    ).hexdigest()

    def write_vectors(path: Path) -> None:
        buffer = io.BytesIO()
        np.save(buffer, vectors, allow_pickle=False)
        path.write_bytes(buffer.getvalue())

    def write_faiss(path: Path) -> None:
        index = FaissIndex(dimension, kind)
        index.add(vectors)
        index.save(path)

    def write_bm25(path: Path) -> None:
        LexicalIndex.build([c.text for c in chunks]).save(path)

    artifacts = [
        Artifact.text("catalog", ".json", catalog.to_json()),
        Artifact.text("chunks", ".jsonl", chunks_to_jsonl(chunks)),
        _binary("vectors", ".npy", key, write_vectors),
        _binary("dense", f".{kind}.faiss", key, write_faiss),
        _binary("bm25", "", key, write_bm25),
    ]
    info: dict[str, object] = {
        "index_format": INDEX_FORMAT,
        "model": model_name,
        "dimension": dimension,
        "normalized": True,
        "index_kind": kind,
        "chunks": len(chunks),
        "chunk_set_hash": key,
    }
    return SearchBuild(artifacts, info, embedded, len(chunks) - embedded)


def load_cached_vectors(chunks_path: Path, vectors_path: Path) -> dict[str, Vectors]:
    """content hash -> vector from a previous build (empty when unreadable)."""
    try:
        chunks = chunks_from_jsonl(chunks_path.read_text(encoding="utf-8"))
        vectors = np.load(vectors_path, allow_pickle=False)
    except (OSError, ValueError, TypeError):
        return {}
    if len(chunks) != len(vectors):
        return {}
    return {c.content_hash: vectors[i] for i, c in enumerate(chunks)}
