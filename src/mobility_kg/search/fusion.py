"""Reciprocal rank fusion (Cormack, Clarke and Buettcher 2009), optionally weighted: a pure
function."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)
RRF_K = 60


def fuse_rankings(
    rankings: Sequence[Sequence[Key]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[Key, float]]:
    """Fuse ranked lists: each item scores the sum of ``weight / (k + rank)`` over the lists
    it is in (every weight 1 unless ``weights`` gives one per list).

    Ties keep the order of first appearance, so the result is deterministic.
    """
    scores: dict[Key, float] = {}
    for index, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[index]
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    order = {key: i for i, key in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))
