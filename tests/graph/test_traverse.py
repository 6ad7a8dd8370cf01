"""Traversal over the mini corpus, checked against expectations written by hand from its files."""

import pytest

from mobility_kg.build import BuiltGraph
from mobility_kg.errors import InvalidIdError, InvalidParameter, UnknownEntityError
from mobility_kg.graph.traverse import EntityGraph, Hop, link_weight
from mobility_kg.ids import EntityType


@pytest.fixture(scope="module")
def graph(mini_built: BuiltGraph) -> EntityGraph:
    return EntityGraph(mini_built.graph, mini_built.manifest.base_iri)


def test_strategies_strongest_first_with_actors(graph: EntityGraph) -> None:
    found = graph.strategies_for("predictor/housing-stability")
    assert [(s.id, s.evidence_strength, s.actors) for s in found] == [
        (
            "strategy/housing-choice-vouchers",
            "strong",
            ["federal-government", "housing-authorities"],
        ),
        ("strategy/eviction-right-to-counsel", None, ["courts", "local-government", "nonprofits"]),
    ]
    assert found[0].addresses == ["predictor/housing-affordability", "predictor/housing-stability"]
    assert found[0].evidence_rating == "What Works for Health: scientifically supported"


def test_strategies_needs_a_predictor(graph: EntityGraph) -> None:
    with pytest.raises(InvalidIdError, match="is a metric, not a predictor"):
        graph.strategies_for("metric/student-homelessness")


def test_neighbors_at_depth_one(graph: EntityGraph) -> None:
    found = graph.neighbors("metric/student-homelessness")
    assert [(n.id, n.depth, n.via) for n in found] == [
        (
            "predictor/housing-stability",
            1,
            Hop("metric/student-homelessness", "umf:measures", "predictor/housing-stability"),
        ),
    ]


def test_neighbors_by_type_at_depth_two(graph: EntityGraph) -> None:
    found = graph.neighbors("metric/student-homelessness", depth=2, entity_type=EntityType.STRATEGY)
    assert [(n.id, n.depth) for n in found] == [
        ("strategy/eviction-right-to-counsel", 2),
        ("strategy/housing-choice-vouchers", 2),
    ]


def test_neighbors_depth_must_be_positive(graph: EntityGraph) -> None:
    with pytest.raises(InvalidParameter, match="depth: must be 1 or more, got 0"):
        graph.neighbors("metric/student-homelessness", depth=0)


def test_path_from_post_to_strategy_runs_through_the_predictor(graph: EntityGraph) -> None:
    assert graph.paths("post/philadelphia-data-dashboard", "strategy/housing-choice-vouchers") == [
        [
            Hop(
                "post/philadelphia-data-dashboard", "dcterms:subject", "predictor/housing-stability"
            ),
            Hop("strategy/housing-choice-vouchers", "umf:addresses", "predictor/housing-stability"),
        ]
    ]


def test_path_from_metric_to_dimension(graph: EntityGraph) -> None:
    paths = graph.paths("metric/employment-to-population-ratio", "dimension/power-and-autonomy")
    assert paths == [
        [
            Hop(
                "metric/employment-to-population-ratio",
                "umf:measures",
                "predictor/employment-opportunities",
            ),
            Hop("predictor/employment-opportunities", "umf:pillar", "pillar/rewarding-work"),
            Hop("pillar/rewarding-work", "umf:supports", "dimension/power-and-autonomy"),
        ]
    ]


def test_unknown_id_suggests_close_ones(graph: EntityGraph) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        graph.paths("post/philadelphia-data-dashbord", "strategy/housing-choice-vouchers")
    assert caught.value.suggestions[0] == "post/philadelphia-data-dashboard"


def test_related_predictors_share_strategy_or_pillar(graph: EntityGraph) -> None:
    found = graph.related_predictors("predictor/housing-affordability")
    assert [(r.id, r.same_pillar, r.shared_strategies) for r in found] == [
        ("predictor/housing-stability", True, ["strategy/housing-choice-vouchers"]),
    ]
    assert graph.related_predictors("predictor/employment-opportunities") == []


def test_paths_prefer_core_links_to_glossary_mentions(graph: EntityGraph) -> None:
    """term/eviction is mentioned in the evidence and a strategy: two hops through it would be
    as short as the route through the predictor, but mentions weigh more than core links."""
    assert graph.nx.has_edge("term/eviction", "evidence/housing-stability") or graph.nx.has_edge(
        "evidence/housing-stability", "term/eviction"
    )
    for path in graph.paths("evidence/housing-stability", "strategy/eviction-right-to-counsel"):
        assert "umf:mentionedIn" not in {hop.property for hop in path}
        assert link_weight(path[0].property) <= 1.5


def test_neighbours_list_core_links_before_mentions(graph: EntityGraph) -> None:
    first = graph.neighbors("evidence/housing-stability")
    weights = [link_weight(n.via.property) for n in first]
    assert weights == sorted(weights)
    assert first[-1].via.property == "umf:mentionedIn"
