"""The published vocabulary documents every term the graph uses."""

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from mobility_kg.build import BuiltGraph
from mobility_kg.graph.namespaces import UMF
from mobility_kg.vocabulary import ACTORS, EVIDENCE_STRENGTHS, GEOGRAPHIC_LEVELS, SUBGROUPS

ONTOLOGY = Path(__file__).resolve().parents[1] / "corpus" / "ontology" / "umf.ttl"


def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def test_every_umf_term_used_in_the_graph_is_declared_with_label_and_comment(
    mini_built: BuiltGraph,
) -> None:
    ontology = _ontology()
    used = {
        term
        for triple in mini_built.graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(UMF))
    }
    undocumented = sorted(
        str(term)
        for term in used
        if (term, RDFS.label, None) not in ontology or (term, RDFS.comment, None) not in ontology
    )
    assert undocumented == []


def test_controlled_values_have_individuals_in_the_ontology() -> None:
    ontology = _ontology()
    expected = [
        ("level", UMF.GeographicLevel, GEOGRAPHIC_LEVELS),
        ("subgroup", UMF.SubgroupType, SUBGROUPS),
        ("actor", UMF.Actor, ACTORS),
        ("strength", UMF.EvidenceStrength, EVIDENCE_STRENGTHS),
    ]
    for prefix, cls, values in expected:
        declared = {
            str(s).removeprefix(str(UMF) + prefix + "-") for s in ontology.subjects(RDF.type, cls)
        }
        assert declared == set(values), prefix
