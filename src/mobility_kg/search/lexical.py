"""BM25 over chunk texts (English stop words, Snowball stemming).

bm25s builds the index: it tokenises the corpus and precomputes every (chunk, term) score into
a sparse column matrix. Scoring a query is then a sum of the matrix's columns for its terms,
which this module does with numpy from the saved arrays, so the read path imports neither
bm25s nor SciPy (tests check the scores against bm25s's own).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

# bm25s's defaults, kept with the index so queries are tokenised as the corpus was.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"
ARRAYS = ("data", "indices", "indptr")


def _stemmer() -> Any:
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer("english")


class LexicalIndex:
    """Whole-corpus BM25 scores for a query, so filters can apply before the top-k cut."""

    def __init__(
        self,
        vocab: dict[str, int],
        matrix: dict[str, NDArray[Any]],
        num_docs: int,
        stopwords: Sequence[str],
        params: dict[str, Any] | None = None,
    ) -> None:
        self._vocab = vocab
        self._data, self._indices, self._indptr = (matrix[name] for name in ARRAYS)
        self._num_docs = num_docs
        self._stopwords = frozenset(stopwords)
        self._split = re.compile(TOKEN_PATTERN).findall
        self._stem = _stemmer()
        self._params = params or {}

    @classmethod
    def build(cls, texts: Sequence[str], k1: float = 1.5, b: float = 0.75) -> LexicalIndex:
        import bm25s
        from bm25s.stopwords import STOPWORDS_EN

        tokens = bm25s.tokenize(
            list(texts), stopwords="en", stemmer=_stemmer(), show_progress=False
        )
        model = bm25s.BM25(k1=k1, b=b)
        model.index(tokens, show_progress=False)
        matrix = {name: np.asarray(model.scores[name]) for name in ARRAYS}
        params = {"k1": model.k1, "b": model.b, "method": model.method, "bm25s": bm25s.__version__}
        return cls(
            dict(model.vocab_dict), matrix, int(model.scores["num_docs"]), STOPWORDS_EN, params
        )

    def terms(self, query: str) -> list[str]:
        """The query's index terms: lower-cased words of two or more characters, stop words
        removed, stemmed (repeats kept: a repeated word counts twice, as in bm25s)."""
        words = [w for w in self._split(query.lower()) if w not in self._stopwords]
        return list(self._stem.stemWords(words)) if words else []

    def scores(self, query: str) -> NDArray[np.float32]:
        scores = np.zeros(self._num_docs, dtype=np.float32)
        for term in self.terms(query):
            column = self._vocab.get(term)
            if column is None:
                continue
            start, end = self._indptr[column], self._indptr[column + 1]
            np.add.at(scores, self._indices[start:end], self._data[start:end])
        return scores

    def field_scorer(self, texts: Sequence[str]) -> FieldScorer:
        """BM25 over another field of the same chunks (their headings, say), tokenised as
        this index tokenises queries; made at load time, it is small."""
        return FieldScorer([self.terms(text) for text in texts])

    def known(self, term: str) -> bool:
        return term in self._vocab

    def arrays(self) -> list[NDArray[np.generic]]:
        """The sparse score matrix's arrays (for size reports)."""
        return [self._data, self._indices, self._indptr]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, array in zip(ARRAYS, self.arrays(), strict=True):
            np.save(folder / f"{name}.npy", array, allow_pickle=False)
        meta = {
            "num_docs": self._num_docs,
            "token_pattern": TOKEN_PATTERN,
            "stopwords": sorted(self._stopwords),
            "params": self._params,
        }
        (folder / "index.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
        (folder / "vocab.json").write_text(
            json.dumps(self._vocab, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        meta = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        matrix = {name: np.load(folder / f"{name}.npy", allow_pickle=False) for name in ARRAYS}
        return cls(vocab, matrix, int(meta["num_docs"]), meta["stopwords"], meta["params"])


class FieldScorer:
    """BM25 (Lucene's idf, k1 1.5, b 0.75, as bm25s) of a query's terms over one short field
    of every chunk, such as its heading, so that a field can weigh apart from the text."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75):
        self._size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float64)
        average = float(lengths.mean()) if len(documents) and lengths.mean() > 0 else 1.0
        postings: dict[str, dict[int, int]] = {}
        for row, terms in enumerate(documents):
            for term in terms:
                counts = postings.setdefault(term, {})
                counts[row] = counts.get(row, 0) + 1
        self._columns: dict[str, tuple[NDArray[np.int64], NDArray[np.float32]]] = {}
        for term, counts in postings.items():
            rows = np.fromiter(counts, dtype=np.int64)
            tf = np.fromiter(counts.values(), dtype=np.float64)
            idf = np.log(1 + (self._size - len(rows) + 0.5) / (len(rows) + 0.5))
            norm = k1 * (1 - b + b * lengths[rows] / average)
            self._columns[term] = (rows, (idf * tf / (tf + norm)).astype(np.float32))

    def scores(self, terms: Sequence[str]) -> NDArray[np.float32]:
        scores = np.zeros(self._size, dtype=np.float32)
        for term in terms:
            if column := self._columns.get(term):
                np.add.at(scores, column[0], column[1])
        return scores
