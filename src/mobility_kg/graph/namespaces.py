"""The namespaces the graph uses and the prefixes every serialisation binds."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, RDFS, SDO, SKOS, XSD

UMF = Namespace("https://w3id.org/mobility-kg/ontology#")
UMFSH = Namespace("https://w3id.org/mobility-kg/shapes#")
SCHEMA = SDO  # https://schema.org/

PREFIXES: dict[str, Namespace] = {
    "umf": UMF,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "schema": Namespace(str(SCHEMA)),
    "prov": Namespace(str(PROV)),
    "qb": Namespace(str(QB)),
}


def new_graph(base_iri: str) -> Graph:
    """An empty in-memory graph with our prefixes (and ``id:`` for entities) bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("id", Namespace(base_iri), override=True, replace=True)
    return graph


def short_iri(iri: str) -> str:
    """``prefix:local`` for an IRI in one of our namespaces, else the IRI in angle brackets."""
    for prefix, namespace in PREFIXES.items():
        local = iri.removeprefix(str(namespace))
        if local != iri and local and "/" not in local and "#" not in local:
            return f"{prefix}:{local}"
    return f"<{iri}>"
