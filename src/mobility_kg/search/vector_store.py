"""The vector store seam: where the build's chunk vectors are searched from.

Two back ends behind :class:`VectorStore`:

- ``files`` (the default): the vectors and the FAISS index are files of the build in the data
  dir (``vectors-*.npy``, ``dense-*.faiss``; see :mod:`mobility_kg.search.dense`). They are
  written with the rest of the build, so :meth:`VectorStore.sync` has nothing to do.
- ``pgvector``: a PostgreSQL table of chunks, their vectors and what the search filters need
  (entity id, type, pillars, predictors), with an HNSW index
  (:mod:`mobility_kg.search.pgvector_store`). ``build`` (and so ``add`` and ``remove``) syncs
  it: only rows whose fingerprint (content hash, model, filter fields) changed are written.

Either way :meth:`VectorStore.open_index` gives a :class:`~mobility_kg.search.dense.VectorIndex`
whose ids are the build's chunk rows; a store that can apply the search filters itself (in the
same SQL query) also offers :class:`FilteredSearch`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from mobility_kg.artifacts import Manifest, artifact_path
from mobility_kg.search.dense import FaissIndex, Ids, NumpyIndex, Scores, VectorIndex
from mobility_kg.search.embedder import Vectors
from mobility_kg.search.records import Catalog, Chunk


@dataclass(frozen=True, slots=True)
class ChunkRow:
    """One chunk as a vector store keeps it: its keys and the fields the filters test."""

    chunk_id: str
    content_hash: str
    entity_id: str
    entity_type: str
    pillars: tuple[str, ...]
    predictors: tuple[str, ...]

    def fingerprint(self, model: str) -> str:
        """Changes whenever the stored row would: its text, the model, or a filter field."""
        parts = [
            model,
            self.content_hash,
            self.entity_id,
            self.entity_type,
            ",".join(self.pillars),
            ",".join(self.predictors),
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def chunk_rows(chunks: list[Chunk], catalog: Catalog) -> list[ChunkRow]:
    """The store rows of a build's chunks, in chunk order."""
    rows = []
    for chunk in chunks:
        card = catalog[chunk.entity_id]
        rows.append(
            ChunkRow(
                chunk.chunk_id,
                chunk.content_hash,
                chunk.entity_id,
                card.type,
                tuple(card.pillars),
                tuple(card.predictors),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class ChunkFilter:
    """The search filters, as a store applies them: the chunk's entity has this type, is
    linked to this pillar, to this predictor (``None``: no condition)."""

    entity_type: str | None = None
    pillar: str | None = None
    predictor: str | None = None


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a sync wrote: rows inserted or rewritten, rows deleted, rows left as they were."""

    written: int
    deleted: int
    kept: int


@runtime_checkable
class FilteredSearch(Protocol):
    """An index that applies the filters itself, in the same query that scores the rows."""

    def search_where(self, query: Vectors, where: ChunkFilter) -> tuple[Scores, Ids]:
        """Every row that passes ``where`` with its score, best first (one query vector;
        scores and ids are 1-D)."""
        ...


class VectorStore(Protocol):
    """Where dense search reads the build's chunk vectors from."""

    kind: str

    def sync(self, rows: list[ChunkRow], vectors: Vectors, model: str, set_hash: str) -> SyncReport:
        """Make the store hold exactly ``rows`` with ``vectors`` (the build's chunk set
        ``set_hash``), writing only what changed."""
        ...

    def in_sync(self, set_hash: str) -> bool:
        """Whether the store holds the chunk set ``set_hash``."""
        ...

    def open_index(self, chunks: list[Chunk], vectors: Vectors, set_hash: str) -> VectorIndex:
        """The index to search, its ids the rows of ``chunks``."""
        ...

    def close(self) -> None: ...


class FileVectorStore:
    """The default: vectors and FAISS index are files of the build in the data dir."""

    kind = "files"

    def __init__(self, data_dir: Path, manifest: Manifest) -> None:
        self.data_dir = data_dir
        self.manifest = manifest

    def sync(self, rows: list[ChunkRow], vectors: Vectors, model: str, set_hash: str) -> SyncReport:
        return SyncReport(0, 0, len(rows))  # written as build artifacts, with the rest

    def in_sync(self, set_hash: str) -> bool:
        return True

    def open_index(self, chunks: list[Chunk], vectors: Vectors, set_hash: str) -> VectorIndex:
        """An exact build is searched with numpy over the vectors already loaded (the same
        top-k, without importing FAISS); an HNSW build loads its FAISS index.

        Raises:
            MissingArtifact: the index file is gone.
        """
        kind = str(self.manifest.search["index_kind"])
        path = artifact_path(self.data_dir, self.manifest, "dense")  # part of a complete build
        if kind == "flat":
            return NumpyIndex.of(vectors)
        return FaissIndex.load(path, kind)

    def close(self) -> None:
        return None


def open_vector_store(
    data_dir: Path, manifest: Manifest, pgvector_url: str = "", ef_search: int = 100
) -> VectorStore:
    """The store ``pgvector_url`` names (PostgreSQL), or the build's files when it is empty.

    Raises:
        VectorStoreUnavailable: the PostgreSQL server cannot be reached.
    """
    if not pgvector_url:
        return FileVectorStore(data_dir, manifest)
    from mobility_kg.search.pgvector_store import PgVectorStore  # psycopg only when asked for

    return PgVectorStore.connect(pgvector_url, ef_search)


def sync_pgvector(
    url: str, rows: list[ChunkRow], vectors: Vectors, model: str, set_hash: str
) -> SyncReport:
    """Write a build's chunks into the PostgreSQL store at ``url`` (only what changed).

    Raises:
        VectorStoreUnavailable: the server cannot be reached or fails.
    """
    from mobility_kg.search.pgvector_store import PgVectorStore

    store = PgVectorStore.connect(url)
    try:
        return store.sync(rows, vectors, model, set_hash)
    finally:
        store.close()


def sync_built(data_dir: Path, manifest: Manifest, url: str) -> SyncReport | None:
    """Sync the build already in ``data_dir`` into the store at ``url``, unless it holds it
    (a build that was up to date when the store was first configured). ``None``: in sync.

    Raises:
        VectorStoreUnavailable: the server cannot be reached or fails.
        MissingArtifact: a file of the build is gone or altered.
    """
    import numpy as np

    from mobility_kg.artifacts import read_file
    from mobility_kg.search.pgvector_store import PgVectorStore
    from mobility_kg.search.records import chunks_from_jsonl

    set_hash = str(manifest.search["chunk_set_hash"])
    store = PgVectorStore.connect(url)
    try:
        if store.in_sync(set_hash):
            return None
        chunks = chunks_from_jsonl(read_file(data_dir, manifest, "chunks"))
        catalog = Catalog.from_json(read_file(data_dir, manifest, "catalog"))
        vectors = np.load(artifact_path(data_dir, manifest, "vectors"), allow_pickle=False)
        return store.sync(
            chunk_rows(chunks, catalog), vectors, str(manifest.search["model"]), set_hash
        )
    finally:
        store.close()
