"""Reciprocal rank fusion (Cormack, Clarke and Buettcher 2009): a pure function."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)
RRF_K = 60


def fuse_rankings(rankings: Sequence[Sequence[Key]], k: int = RRF_K) -> list[tuple[Key, float]]:
    """Fuse ranked lists: each item scores the sum of 1 / (k + rank) over the lists it is in.

    Ties keep the order of first appearance, so the result is deterministic.
    """
    scores: dict[Key, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    order = {key: i for i, key in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))
