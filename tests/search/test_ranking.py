"""The pure ranking steps: chunk scores to entity scores, weighted fusion, propagation along
core links, and a field's BM25 against bm25s's own scores."""

from __future__ import annotations

import numpy as np
import pytest

from mobility_kg.search.fusion import fuse_rankings
from mobility_kg.search.lexical import LexicalIndex
from mobility_kg.search.ranking import (
    core_neighbours,
    entity_scores,
    other_neighbours,
    propagate,
    ranked,
)
from mobility_kg.search.records import EntityCard


def card(compact: str, about: list[str] | None = None) -> EntityCard:
    return EntityCard(compact, compact.partition("/")[0], compact, "", about or [])


def test_entity_keeps_its_best_chunk_and_adds_decayed_next_ones() -> None:
    scores = np.array([0.9, 0.8, 0.5, 0.4], dtype=np.float32)
    entity_of = ["a", "b", "a", "a"]
    best = entity_scores([0, 1, 2, 3], scores, entity_of, decay=0.0)
    assert best == {"a": (0, pytest.approx(0.9)), "b": (1, pytest.approx(0.8))}
    summed = entity_scores([0, 1, 2, 3], scores, entity_of, decay=0.5)
    assert summed["a"] == (0, pytest.approx(0.9 + 0.5 * 0.5 + 0.25 * 0.4))
    assert [e for e, _, _ in ranked(summed, 10)] == ["a", "b"]
    assert [e for e, _, _ in ranked(best, 1)] == ["a"]


def test_weights_tilt_the_fusion() -> None:
    rankings = [["a", "b"], ["b", "a"]]
    assert fuse_rankings(rankings, k=60)[0][0] == "a"  # a tie keeps first appearance
    assert fuse_rankings(rankings, k=60, weights=[1.0, 1.5])[0][0] == "b"
    assert fuse_rankings(rankings, k=60, weights=[1.0, 0.0])[1] == ("b", pytest.approx(1 / 62))


def test_core_links_join_framework_types_both_ways_and_skip_others() -> None:
    cards = {
        c.id: c
        for c in [
            card("predictor/p", ["pillar/x"]),
            card("pillar/x"),
            card("evidence/p", ["predictor/p"]),
            card("strategy/s", ["predictor/p"]),
            card("post/q", ["predictor/p"]),
        ]
    }
    links = core_neighbours(cards)
    assert links["predictor/p"] == {"pillar/x", "evidence/p", "strategy/s"}
    assert links["strategy/s"] == {"predictor/p"}
    assert "post/q" not in links
    others = other_neighbours(cards, links)
    assert others == {"post/q": {"predictor/p"}, "predictor/p": {"post/q"}}


def test_propagation_lifts_neighbours_by_their_best_hit_not_their_count() -> None:
    links = {
        "predictor/p": frozenset({"strategy/a", "strategy/b", "pillar/x"}),
        "strategy/a": frozenset({"predictor/p"}),
        "strategy/b": frozenset({"predictor/p"}),
        "pillar/x": frozenset({"predictor/p"}),
    }
    fused = [("strategy/a", 1.0), ("strategy/b", 0.9), ("evidence/q", 0.5)]
    scores = propagate(fused, links, weight=0.1, hits=3)
    # Two hits lead to predictor/p, which enters with the best of them, not their sum.
    assert scores["predictor/p"] == pytest.approx(0.1)
    assert scores["evidence/q"] == 0.5 and "pillar/x" not in scores
    assert propagate(fused, links, weight=0.1, hits=1)["predictor/p"] == pytest.approx(0.1)
    assert propagate(fused, links, weight=0.0, hits=3) == dict(fused)


def test_field_scores_are_bm25s_scores_of_that_field() -> None:
    texts = [
        "Housing stability: what the research finds",
        "Eviction right to counsel",
        "Housing choice vouchers and housing mobility",
        "Summary",
    ]
    index = LexicalIndex.build(texts)
    field = index.field_scorer(texts)
    for query in ("housing research", "eviction counsel vouchers", "nothing here"):
        np.testing.assert_allclose(
            field.scores(index.terms(query)), index.scores(query), rtol=1e-5, atol=1e-6
        )
