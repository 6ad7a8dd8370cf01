"""BM25 over chunk texts with bm25s (English stop words, Snowball stemming)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray


def _stemmer() -> Any:
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer("english")


class LexicalIndex:
    """Whole-corpus BM25 scores for a query, so filters can apply before the top-k cut."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._stem = _stemmer()

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        import bm25s

        stemmer = _stemmer()
        tokens = bm25s.tokenize(list(texts), stopwords="en", stemmer=stemmer, show_progress=False)
        model = bm25s.BM25()
        model.index(tokens, show_progress=False)
        return cls(model)

    def scores(self, query: str) -> NDArray[np.float32]:
        import bm25s

        tokens = bm25s.tokenize(
            [query], stopwords="en", stemmer=self._stem, return_ids=False, show_progress=False
        )
        known = [t for t in tokens[0] if t in self._model.vocab_dict]
        if not known:
            return np.zeros(self._model.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._model.get_scores(known), dtype=np.float32)

    def arrays(self) -> list[NDArray[np.generic]]:
        """The sparse score matrix's arrays (for size reports)."""
        scores = self._model.scores
        return [np.asarray(scores[name]) for name in ("data", "indices", "indptr")]

    def save(self, folder: Path) -> None:
        self._model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(folder)))
