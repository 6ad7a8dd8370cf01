"""Vector indexes behind one Protocol: FAISS (exact flat or approximate HNSW) and brute-force
numpy. All use inner product over normalised vectors, i.e. cosine similarity."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from mobility_kg.errors import InvalidParameter
from mobility_kg.search.embedder import Vectors

Ids = NDArray[np.int64]
Scores = NDArray[np.float32]


class VectorIndex(Protocol):
    """Top-k inner-product search over rows added in order (row number = id)."""

    kind: str
    exact: bool

    def add(self, vectors: Vectors) -> None: ...

    def search(self, queries: Vectors, k: int) -> tuple[Scores, Ids]: ...

    def __len__(self) -> int: ...


class NumpyIndex:
    """Exact brute-force search with numpy: slow at scale, but a real reference to check against."""

    kind = "numpy"
    exact = True

    def __init__(self, dimension: int) -> None:
        self.vectors = np.zeros((0, dimension), dtype=np.float32)

    @classmethod
    def of(cls, vectors: Vectors) -> NumpyIndex:
        """An index over ``vectors`` as they are (no copy): what the read path uses for an
        exact index, so that serving a flat index never imports FAISS."""
        index = cls(vectors.shape[1])
        index.vectors = vectors
        return index

    def add(self, vectors: Vectors) -> None:
        self.vectors = np.vstack([self.vectors, vectors.astype(np.float32)])

    def search(self, queries: Vectors, k: int) -> tuple[Scores, Ids]:
        k = min(k, len(self))
        scores = queries @ self.vectors.T
        if k < scores.shape[1]:  # only the best k need sorting
            part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
            order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
            top = np.take_along_axis(part, order, axis=1)
        else:
            top = np.argsort(-scores, axis=1, kind="stable")
        return np.take_along_axis(scores, top, axis=1).astype(np.float32), top.astype(np.int64)

    def __len__(self) -> int:
        return int(self.vectors.shape[0])


class FaissIndex:
    """A FAISS index: ``flat`` (exact, IndexFlatIP) or ``hnsw`` (approximate, HNSW graph)."""

    def __init__(self, dimension: int, kind: str = "flat", index: Any = None) -> None:
        import faiss  # imported here: faiss is heavy and only search needs it

        self.kind = kind
        self.exact = kind == "flat"
        if index is not None:
            self._index = index
        elif kind == "flat":
            self._index = faiss.IndexFlatIP(dimension)
        elif kind == "hnsw":
            self._index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
            self._index.hnsw.efConstruction = 80
            self._index.hnsw.efSearch = 128
        else:
            raise InvalidParameter("index kind", f"unknown FAISS index kind {kind!r} (flat, hnsw)")

    def add(self, vectors: Vectors) -> None:
        self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, queries: Vectors, k: int) -> tuple[Scores, Ids]:
        k = min(k, len(self))
        scores, ids = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return scores.astype(np.float32), ids.astype(np.int64)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, kind: str) -> FaissIndex:
        import faiss

        index = faiss.read_index(str(path))
        return cls(index.d, kind, index)


INDEX_KINDS: dict[str, Callable[[int], VectorIndex]] = {
    "flat": lambda dimension: FaissIndex(dimension, "flat"),
    "hnsw": lambda dimension: FaissIndex(dimension, "hnsw"),
    "numpy": NumpyIndex,
}
# Above this many chunks the build switches from exact flat search to HNSW (see benchmarks).
APPROXIMATE_FROM = 50_000


def choose_index_kind(chunk_count: int) -> str:
    return "hnsw" if chunk_count >= APPROXIMATE_FROM else "flat"


def make_index(kind: str, dimension: int) -> VectorIndex:
    """A new empty index of a registered kind.

    Raises:
        InvalidParameter: an unknown kind.
    """
    try:
        factory = INDEX_KINDS[kind]
    except KeyError:
        raise InvalidParameter(
            "index kind", f"unknown {kind!r} (known: {', '.join(INDEX_KINDS)})"
        ) from None
    return factory(dimension)
