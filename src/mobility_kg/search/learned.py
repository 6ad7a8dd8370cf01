"""The last step of hybrid ranking: a linear model over each candidate's signals.

The graph re-ranking (:mod:`mobility_kg.search.rerank`) orders candidates by one fused score.
What it cannot weigh is how the signals behind that score agree: a hit ranked third whose best
chunk is the question's closest by cosine and whose best sentence answers it is likelier
relevant than one carried there by BM25 alone. The weights of those signals are learned on the
development half of the evaluation set, by a logistic regression over the candidates (the
objective ``ranker.json``'s provenance names; ``benchmarks/train_ranker.py`` writes it beside
this module), so that the logistic of the score is a probability of relevance. They are
applied here with numpy alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mobility_kg.errors import RankerFileError

# The signals of one candidate, in the order of a row of the feature table; then one column
# per kind of entity the model knows (``kind:<type>``).
SIGNALS = (
    "inverse_rank",  # 1 / (rank + 1) in the graph-re-ranked list
    "log_rank",  # log(1 + rank)
    "score_share",  # its fused score over the first hit's
    "best_cosine",  # its best chunk's cosine to the question
    "best_bm25_share",  # its best chunk's BM25 score over the question's best chunk's
    "best_sentence_cosine",  # its best sentence's cosine (the sentences `ask` reads)
    "log_chunks",  # log(1 + its number of chunks): long documents match more questions
    "inverse_dense_rank",  # 1 / (1 + its place among the dense ranking's first entities)
    "list_kind",  # 1 when a list question asks for its kind ("which strategies ...")
    "cue_lift",  # first places the question's wording gave it (a step, list, name, action...)
    "anchor_links",  # log(1 + its core neighbours among the first ANCHOR_HITS candidates)
    "known_question_cosine",  # the closest known question naming it, past KNOWN_FLOOR
    "best_cosine_z",  # best_cosine standardised over the question's candidates
    "best_sentence_z",  # best_sentence_cosine standardised over the question's candidates
    "known_question_bm25",  # the best BM25 score among the known questions naming it
)
# Known questions (known_questions.py) less close than this say nothing: MiniLM gives
# unrelated questions small positive cosines (0.17 in the case that set it, docs/search-quality.md,
# "Ranking"), and an entity named only by those must not gain.
KNOWN_FLOOR = 0.3
DENSE_DEPTH = 200  # how deep the dense ranking is read for ``inverse_dense_rank``
UNRANKED = 999  # the dense place of an entity past DENSE_DEPTH
SHIPPED = "ranker.json"
Numbers = Sequence[float] | NDArray[np.float64]  # one value per candidate


@dataclass(frozen=True, slots=True)
class CandidateSignals:
    """What the engine knows of one question's candidates, in ranking order, for
    :func:`feature_table`."""

    scores: Numbers  # fused and graph-re-ranked
    kinds: Sequence[str]  # each candidate's entity type
    best_cosine: Numbers
    best_bm25: Numbers
    best_sentence_cosine: Numbers
    chunk_counts: Numbers
    dense_rank: Numbers  # 0-based place in the dense ranking (UNRANKED past DENSE_DEPTH)
    question_best_bm25: float
    wanted_kind: str | None  # the kind a list question asks for
    cue_lift: Numbers  # first places given by the wording (rerank_with_lifts)
    anchor_links: Numbers  # its core neighbours among the first few candidates
    known_question_cosine: Numbers  # 0 where no known question names it
    known_question_bm25: Numbers  # 0 where no known question naming it shares a word


def standardised(values: Numbers) -> NDArray[np.float64]:
    """A z-score over one question's candidates: a cosine of 0.5 leads one question and
    trails another."""
    column = np.asarray(values, dtype=np.float64)
    spread = float(column.std()) if len(column) else 0.0
    return (column - column.mean()) / spread if spread > 1e-9 else np.zeros_like(column)


def feature_table(signals: CandidateSignals, kinds: Sequence[str]) -> NDArray[np.float64]:
    """One row per candidate: :data:`SIGNALS`, then a one-hot column per kind in ``kinds``."""
    count = len(signals.scores)
    ranks = np.arange(count, dtype=np.float64)
    scores = np.asarray(signals.scores, dtype=np.float64)
    first = scores[0] if count and scores[0] else 1.0
    kind = np.asarray(signals.kinds, dtype=object)
    columns = [
        1.0 / (ranks + 1),
        np.log1p(ranks),
        scores / first,
        np.asarray(signals.best_cosine, dtype=np.float64),
        np.asarray(signals.best_bm25, dtype=np.float64) / (signals.question_best_bm25 or 1.0),
        np.asarray(signals.best_sentence_cosine, dtype=np.float64),
        np.log1p(np.asarray(signals.chunk_counts, dtype=np.float64)),
        1.0 / (1.0 + np.asarray(signals.dense_rank, dtype=np.float64)),
        (kind == signals.wanted_kind).astype(np.float64)
        if signals.wanted_kind is not None
        else np.zeros(count),
        np.asarray(signals.cue_lift, dtype=np.float64),
        np.log1p(np.asarray(signals.anchor_links, dtype=np.float64)),
        np.maximum(np.asarray(signals.known_question_cosine, dtype=np.float64) - KNOWN_FLOOR, 0.0),
        standardised(signals.best_cosine),
        standardised(signals.best_sentence_cosine),
        np.asarray(signals.known_question_bm25, dtype=np.float64),
        *((kind == known).astype(np.float64) for known in kinds),
    ]
    return np.column_stack(columns) if count else np.zeros((0, len(SIGNALS) + len(kinds)))


@dataclass(frozen=True, slots=True)
class LearnedRanker:
    """A linear model over :func:`feature_table`'s columns: ``weights`` and ``intercept`` of
    its logit, the ``kinds`` of its one-hot columns, and where it came from."""

    kinds: tuple[str, ...]
    weights: NDArray[np.float64]
    intercept: float
    provenance: Mapping[str, Any]

    def probabilities(self, table: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each row's probability of being relevant."""
        logits = table @ self.weights + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    @property
    def columns(self) -> list[str]:
        """The feature table's column names, in order."""
        return [*SIGNALS, *(f"kind:{k}" for k in self.kinds)]

    def to_json(self) -> str:
        body = {
            "model": "linear, logistic link",
            "features": self.columns,
            "weights": [round(float(w), 8) for w in self.weights],
            "intercept": round(self.intercept, 8),
            "provenance": dict(self.provenance),
        }
        return json.dumps(body, indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_json(cls, text: str, path: str) -> LearnedRanker:
        """Raises:
        RankerFileError: not JSON, or a field is missing, mistyped or does not match the
            signals this version computes (the file names its field)."""
        try:
            body = json.loads(text)
        except json.JSONDecodeError as error:
            raise RankerFileError(path, f"line {error.lineno}", error.msg) from None
        if not isinstance(body, dict):
            raise RankerFileError(path, "(top level)", "expected an object")
        features = body.get("features")
        if not isinstance(features, list) or [str(f) for f in features[: len(SIGNALS)]] != list(
            SIGNALS
        ):
            raise RankerFileError(path, "features", f"must start with {', '.join(SIGNALS)}")
        kinds = [str(f) for f in features[len(SIGNALS) :]]
        if not all(k.startswith("kind:") for k in kinds):
            raise RankerFileError(path, "features", "after the signals, only kind:<type> columns")
        weights = body.get("weights")
        if not isinstance(weights, list) or len(weights) != len(features):
            raise RankerFileError(path, "weights", f"expected {len(features)} numbers")
        intercept = body.get("intercept")
        if not isinstance(intercept, int | float) or not all(
            isinstance(w, int | float) and math.isfinite(w) for w in weights
        ):
            raise RankerFileError(path, "weights", "every weight and the intercept are numbers")
        provenance = body.get("provenance", {})
        if not isinstance(provenance, dict):
            raise RankerFileError(path, "provenance", "expected an object")
        return cls(
            tuple(k.removeprefix("kind:") for k in kinds),
            np.asarray(weights, dtype=np.float64),
            float(intercept),
            provenance,
        )

    @classmethod
    def load(cls, path: Path) -> LearnedRanker:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise RankerFileError(str(path), "(file)", error.strerror or str(error)) from None
        return cls.from_json(text, str(path))

    @classmethod
    def shipped(cls) -> LearnedRanker:
        """The model trained for this release (``ranker.json`` in this package)."""
        source = resources.files("mobility_kg.search").joinpath(SHIPPED)
        return cls.from_json(source.read_text(encoding="utf-8"), f"mobility_kg/search/{SHIPPED}")
