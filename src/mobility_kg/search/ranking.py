"""Pure ranking steps of hybrid search: chunk scores to entity scores, fusion of the dense and
BM25 entity rankings, and propagation along the framework's core links.

Every knob is a field of :class:`RankingParams`; the defaults are the values chosen on the
development half of the evaluation set by ``benchmarks/rank_grid.py`` (never on the test half).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mobility_kg.search.records import EntityCard

# The framework's core entity types: links among them (a predictor's pillar, metrics, evidence
# and strategies) carry meaning; a post's subject or a glossary term's mention carries less.
CORE_TYPES = frozenset({"pillar", "predictor", "metric", "evidence", "strategy"})


@dataclass(frozen=True, slots=True)
class RankingParams:
    """The knobs of hybrid ranking.

    - ``rrf_k``: the rank offset of reciprocal rank fusion; ``dense_weight``,
      ``lexical_weight``: each ranking's weight in it; ``depth``: how many entities each mode
      hands to fusion (at least; 3k when larger);
    - ``chunk_decay``: an entity's score is its best chunk's plus ``chunk_decay`` times its
      second's, ``chunk_decay**2`` its third's...; ``title_weight``: the BM25 weight of a
      chunk's heading (entity title and section title) on top of its text;
    - ``graph_weight``: what an entity gains, times how far its best core neighbour in the top
      ``graph_hits`` stands above the last fused entity; ``about_weight``, ``about_hits``: the
      same along the other ``about`` links (a plan's priorities, a post's subjects...);
    - ``label_weight``: what an entity gains (in first places of one ranking) when the question
      names it by its title or another label;
    - ``action_weight``: what a strategy gains (likewise) when the question asks what to do,
      times how much the top hits are about the predictors it addresses;
    - ``measure_weight``: what a metric gains (likewise) when the question asks about
      measuring ("how is that measured?", "the home internet measure"), times how much the
      top hits are about the predictor it measures;
    - ``anchor_share``: a list question lifts the entities of the kind it asks for that are
      linked to every predictor (pillar, for a list of predictors) the top hits are about at
      least this share of the most; ``list_weight``: what each of those gains (likewise);
    - ``learned``: the last step, the learned ranker of :mod:`mobility_kg.search.learned`,
      orders the candidates by its probability of relevance.
    """

    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    depth: int = 30
    chunk_decay: float = 0.0
    title_weight: float = 0.0
    graph_weight: float = 0.15
    graph_hits: int = 3
    about_weight: float = 0.1
    about_hits: int = 5
    label_weight: float = 1.0
    action_weight: float = 0.5
    measure_weight: float = 0.5
    anchor_share: float = 1.0
    list_weight: float = 2.0
    learned: bool = True


def entity_scores(
    rows: Iterable[int], scores: NDArray[np.float32], entity_of: Sequence[str], decay: float
) -> dict[str, tuple[int, float]]:
    """entity -> (best chunk row, score) from chunk ``rows`` in descending score order: the
    best chunk's score plus ``decay**i`` times the (i+1)-th best's (``decay`` 0: the best)."""
    found: dict[str, tuple[int, float, int]] = {}  # entity -> (best row, score, chunks seen)
    for row in rows:
        entity = entity_of[row]
        value = float(scores[row])
        seen = found.get(entity)
        if seen is None:
            found[entity] = (row, value, 1)
        elif decay > 0:
            best, total, count = seen
            found[entity] = (best, total + decay**count * value, count + 1)
    return {entity: (row, score) for entity, (row, score, _) in found.items()}


def ranked(scored: Mapping[str, tuple[int, float]], limit: int) -> list[tuple[str, int, float]]:
    """(entity, row, score) by descending score (ties: first seen first), at most ``limit``."""
    items = sorted(scored.items(), key=lambda item: -item[1][1])  # stable: ties keep order
    return [(entity, row, score) for entity, (row, score) in items[:limit]]


def core_neighbours(cards: Mapping[str, EntityCard]) -> dict[str, frozenset[str]]:
    """entity -> the entities it is linked to by a core link, in either direction: links
    between core types (a metric's predictor, a strategy's predictors, evidence's predictor, a
    predictor's pillar)."""
    links: dict[str, set[str]] = {}
    for card in cards.values():
        if card.type not in CORE_TYPES:
            continue
        for target in card.about:
            if target in cards and cards[target].type in CORE_TYPES and target != card.id:
                links.setdefault(card.id, set()).add(target)
                links.setdefault(target, set()).add(card.id)
    return {entity: frozenset(others) for entity, others in links.items()}


def other_neighbours(
    cards: Mapping[str, EntityCard], core: Mapping[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """entity -> the entities it is linked to, in either direction, by an ``about`` link that
    is not a core one: a plan's place, priorities and strategies, a post's or methodology
    document's subjects, a glossary term's related entities."""
    links: dict[str, set[str]] = {}
    for card in cards.values():
        for target in card.about:
            if target in cards and target != card.id and target not in core.get(card.id, ()):
                links.setdefault(card.id, set()).add(target)
                links.setdefault(target, set()).add(card.id)
    return {entity: frozenset(others) for entity, others in links.items()}


def propagate(
    fused: Sequence[tuple[str, float]],
    neighbours: Mapping[str, frozenset[str]],
    weight: float,
    hits: int,
) -> dict[str, float]:
    """Scores after one step along core links: an entity gains ``weight`` times the score of
    its best-scored core neighbour among the top ``hits`` (and enters the list if it was not
    in it). The best neighbour, not the sum: a sum lifts hubs (a pillar, a predictor with many
    strategies) whatever the question."""
    scores = dict(fused)
    if weight <= 0:
        return scores
    gains: dict[str, float] = {}
    for entity, score in fused[:hits]:
        for other in neighbours.get(entity, ()):
            gains[other] = max(gains.get(other, 0.0), score)
    for entity, gain in gains.items():
        scores[entity] = scores.get(entity, 0.0) + weight * gain
    return scores
