"""Build the search artifacts from the graph: catalog, chunks, vectors, FAISS and BM25, and
the sentences of every chunk with their vectors (what ``ask`` picks answers from).

Vectors are reused from the previous build for every chunk and sentence whose content hash is
unchanged (and only when the model is the same), so an edit re-embeds just the text it touched.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rdflib import Graph

from mobility_kg.artifacts import Artifact
from mobility_kg.search.catalog import build_catalog
from mobility_kg.search.chunking import chunk_graph
from mobility_kg.search.dense import FaissIndex, choose_index_kind
from mobility_kg.search.embedder import Embedder, Vectors
from mobility_kg.search.known_questions import (
    KnownQuestion,
    answerable,
    fingerprint,
    known_questions_to_jsonl,
    shipped_known_questions,
)
from mobility_kg.search.lexical import LexicalIndex
from mobility_kg.search.records import (
    INDEX_FORMAT,
    Catalog,
    Chunk,
    Sentence,
    chunks_to_jsonl,
    sentences_to_jsonl,
)
from mobility_kg.search.sentences import MIN_WORDS, split_sentences, standalone
from mobility_kg.search.vector_store import ChunkRow, chunk_rows


def sentences_of(chunks: list[Chunk], catalog: Catalog) -> list[Sentence]:
    """Every chunk's sentences, in chunk order, each made to read on its own."""
    sentences = []
    for row, chunk in enumerate(chunks):
        card = catalog[chunk.entity_id]
        places = [a for a in card.about if a.startswith("place/")]
        if card.type == "place":
            places = [card.id]
        place = catalog[places[0]].title.split(",")[0] if len(places) == 1 else None
        # Short sentences are no answers, but the sentence after one may lean on it ("Two
        # tests decided which survived. The first was evidence: ...").
        every = split_sentences(chunk.body, min_words=1)
        name = card.title.removeprefix("Evidence: ")  # an evidence page's predictor
        readable = standalone(every, name, place, card.type)
        for quote, text in zip(every, readable, strict=True):
            if len(quote.split()) < MIN_WORDS:
                continue
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
            sentences.append(Sentence(row, text, quote, digest))
    return sentences


@dataclass(frozen=True, slots=True)
class SearchBuild:
    artifacts: list[Artifact]
    info: dict[str, object]
    embedded: int
    reused: int
    sentences_embedded: int = 0
    questions_embedded: int = 0  # known questions embedded anew
    rows: list[ChunkRow] = field(default_factory=list)  # what a vector store keeps per chunk
    vectors: Vectors = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))


def _binary(role: str, suffix: str, key: str, write: Callable[[Path], None]) -> Artifact:
    return Artifact(role, f"{role}-{key[:12]}{suffix}", write)


def embed_with_cache(
    items: list[tuple[str, str]],
    get_embedder: Callable[[], Embedder],
    cached: dict[str, Vectors],
    dimension: int,
) -> tuple[Vectors, int]:
    """Vectors for ``(content hash, text)`` items, reusing ``cached`` (content hash -> vector);
    returns how many were embedded anew. The embedder is created only when something needs
    embedding."""
    vectors = np.zeros((len(items), dimension), dtype=np.float32)
    missing = [i for i, (key, _) in enumerate(items) if key not in cached]
    for i, (key, _) in enumerate(items):
        if key in cached:
            vectors[i] = cached[key]
    if missing:
        fresh = get_embedder().encode([items[i][1] for i in missing])
        vectors[missing] = fresh
    return vectors, len(missing)


def build_search(
    graph: Graph,
    base_iri: str,
    get_embedder: Callable[[], Embedder],
    model_name: str,
    dimension: int,
    cached: dict[str, Vectors],
    known: Sequence[KnownQuestion] | None = None,
) -> SearchBuild:
    """Every search artifact of a graph. ``known`` defaults to the release's known questions
    (those naming an entity the graph lacks are left out)."""
    catalog = build_catalog(graph, base_iri)
    chunks = chunk_graph(graph, base_iri)
    vectors, embedded = embed_with_cache(
        [(c.content_hash, c.text) for c in chunks], get_embedder, cached, dimension
    )
    sentences = sentences_of(chunks, catalog)
    sentence_vectors, sentences_embedded = embed_with_cache(
        [(s.content_hash, s.text) for s in sentences], get_embedder, cached, dimension
    )
    offered = shipped_known_questions() if known is None else known
    questions = answerable(offered, catalog.cards)
    question_vectors, questions_embedded = embed_with_cache(
        [(q.content_hash, q.question) for q in questions], get_embedder, cached, dimension
    )
    kind = choose_index_kind(len(chunks))
    # Binary files are named by what they hold and how (the index format): a format change
    # writes new files instead of keeping old ones of the same content.
    key = hashlib.sha256(
        (f"{INDEX_FORMAT}:{model_name}" + "".join(c.content_hash for c in chunks)).encode()
    ).hexdigest()

    def write_array(array: Vectors) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            path.write_bytes(buffer.getvalue())

        return write

    sentence_key = hashlib.sha256(
        (f"{INDEX_FORMAT}:{model_name}" + "".join(s.content_hash for s in sentences)).encode()
    ).hexdigest()
    question_key = hashlib.sha256(
        (f"{INDEX_FORMAT}:{model_name}" + "".join(q.content_hash for q in questions)).encode()
    ).hexdigest()

    def write_faiss(path: Path) -> None:
        index = FaissIndex(dimension, kind)
        index.add(vectors)
        index.save(path)

    def write_bm25(path: Path) -> None:
        LexicalIndex.build([c.text for c in chunks]).save(path)

    artifacts = [
        Artifact.text("catalog", ".json", catalog.to_json()),
        Artifact.text("chunks", ".jsonl", chunks_to_jsonl(chunks)),
        _binary("vectors", ".npy", key, write_array(vectors)),
        Artifact.text("sentences", ".jsonl", sentences_to_jsonl(sentences)),
        _binary("sentvectors", ".npy", sentence_key, write_array(sentence_vectors)),
        Artifact.text("questions", ".jsonl", known_questions_to_jsonl(questions)),
        _binary("questionvectors", ".npy", question_key, write_array(question_vectors)),
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
        "sentences": len(sentences),
        "known_questions": len(questions),
        "known_questions_hash": fingerprint(offered),
        "chunk_set_hash": key,
    }
    return SearchBuild(
        artifacts,
        info,
        embedded,
        len(chunks) - embedded,
        sentences_embedded,
        questions_embedded,
        chunk_rows(chunks, catalog),
        vectors,
    )


def load_cached_vectors(
    pairs: list[tuple[Path, Path]],
) -> dict[str, Vectors]:
    """content hash -> vector from a previous build's (records, vectors) files: chunks and
    sentences alike (empty for a pair that is unreadable)."""
    cached: dict[str, Vectors] = {}
    for records_path, vectors_path in pairs:
        try:
            hashes = [
                json.loads(line)["content_hash"]
                for line in records_path.read_text(encoding="utf-8").splitlines()
                if line.strip()
            ]
            vectors = np.load(vectors_path, allow_pickle=False)
        except (OSError, ValueError, TypeError, KeyError):
            continue
        if len(hashes) == len(vectors):
            cached.update(zip(hashes, vectors, strict=True))
    return cached
