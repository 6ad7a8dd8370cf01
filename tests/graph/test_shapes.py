from rdflib import URIRef

from mobility_kg.build import BuiltGraph
from mobility_kg.graph.namespaces import UMF
from mobility_kg.graph.shapes import validate_graph


def _copy(built: BuiltGraph):  # type: ignore[no-untyped-def]
    from rdflib import Graph

    graph = Graph()
    for triple in built.graph:
        graph.add(triple)
    return graph


def test_mini_graph_conforms(mini_built: BuiltGraph) -> None:
    assert (
        validate_graph(mini_built.graph, mini_built.shapes_ttl, mini_built.manifest.base_iri) == []
    )


def test_predictor_without_metric_and_with_two_pillars_is_reported(mini_built: BuiltGraph) -> None:
    base = mini_built.manifest.base_iri
    graph = _copy(mini_built)
    predictor = URIRef(base + "predictor/employment-opportunities")
    graph.remove((predictor, UMF.measuredBy, None))
    graph.add(
        (predictor, UMF.pillar, URIRef(base + "pillar/opportunity-rich-inclusive-neighborhoods"))
    )
    found = [str(v) for v in validate_graph(graph, mini_built.shapes_ttl, base)]
    assert found == [
        "predictor/employment-opportunities umf:measuredBy: a predictor is measured by at least one metric",
        "predictor/employment-opportunities umf:pillar: a predictor belongs to exactly one pillar",
    ]


def test_shared_identifier_is_reported_on_both_nodes(mini_built: BuiltGraph) -> None:
    from rdflib import Literal
    from rdflib.namespace import DCTERMS

    base = mini_built.manifest.base_iri
    graph = _copy(mini_built)
    term = URIRef(base + "term/eviction")
    graph.remove((term, DCTERMS.identifier, None))
    graph.add((term, DCTERMS.identifier, Literal("predictor/housing-stability")))
    found = sorted(
        v.focus_node
        for v in validate_graph(graph, mini_built.shapes_ttl, base)
        if "shared" in v.message
    )
    assert found == ["predictor/housing-stability", "term/eviction"]
