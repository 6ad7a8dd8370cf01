from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from mobility_kg.build import BuiltGraph
from mobility_kg.graph.inspect import graph_stats
from mobility_kg.graph.namespaces import UMF


def _ids(built: BuiltGraph, subject_id: str, prop: URIRef, inverse: bool = False) -> list[str]:
    base = built.manifest.base_iri
    node = URIRef(base + subject_id)
    nodes = built.graph.subjects(prop, node) if inverse else built.graph.objects(node, prop)
    return sorted(str(n).removeprefix(base) for n in nodes)


def test_entity_counts_and_links_match_expected(
    mini_built: BuiltGraph, expected: dict[str, Any]
) -> None:
    stats = graph_stats(mini_built.graph, mini_built.manifest.base_iri)
    assert stats.entities == dict(sorted(expected["entities"].items()))
    assert stats.links == expected["links_by_property"]


def test_predictor_links_to_pillar_and_metrics(
    mini_built: BuiltGraph, expected: dict[str, Any]
) -> None:
    for predictor, pillar in expected["pillar_of"].items():
        assert _ids(mini_built, predictor, UMF.pillar) == [pillar]
    for predictor, metrics in expected["metrics_of"].items():
        assert _ids(mini_built, predictor, UMF.measuredBy) == metrics
        for metric in metrics:
            assert _ids(mini_built, metric, UMF.measures) == [predictor]


def test_strategies_address_predictors(mini_built: BuiltGraph, expected: dict[str, Any]) -> None:
    for predictor, strategies in expected["strategies_of"].items():
        assert _ids(mini_built, predictor, UMF.addresses, inverse=True) == strategies


def test_term_mentions_are_derived_from_text(
    mini_built: BuiltGraph, expected: dict[str, Any]
) -> None:
    for term, mentioned in expected["term_mentioned_in"].items():
        assert _ids(mini_built, term, UMF.mentionedIn) == mentioned


def test_concepts_and_documents_use_standard_vocabularies(mini_built: BuiltGraph) -> None:
    g, base = mini_built.graph, mini_built.manifest.base_iri
    predictor = URIRef(base + "predictor/housing-affordability")
    assert (predictor, RDF.type, SKOS.Concept) in g
    assert (predictor, SKOS.inScheme, UMF.FrameworkScheme) in g
    assert (predictor, SKOS.altLabel, Literal("Affordable housing", lang="en")) in g
    post = URIRef(base + "post/philadelphia-data-dashboard")
    assert g.value(post, DCTERMS.date) == Literal(
        "2022-03-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")
    )
    sections = sorted(
        str(s) for s in g.objects(URIRef(base + "evidence/housing-stability"), UMF.hasSection)
    )
    assert sections == [
        base + "evidence/housing-stability#what-local-and-state-actors-can-do",
        base + "evidence/housing-stability#what-the-research-finds",
        base + "evidence/housing-stability#why-it-matters-for-mobility",
    ]


def test_guide_steps_are_chained_in_order(mini_built: BuiltGraph) -> None:
    assert _ids(mini_built, "guide/step-1-learn-the-approach", UMF.nextStep) == [
        "guide/step-2-use-the-metrics"
    ]
    assert _ids(mini_built, "guide/step-2-use-the-metrics", UMF.nextStep) == []
