"""What a search hit needs to know about its entity, computed once at build time.

Search answers from this table alone (no RDF at query time): title, type, source URL,
``about`` (the entities it is about), and the pillars and predictors that filters match on.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from mobility_kg.graph.namespaces import UMF
from mobility_kg.ids import from_iri
from mobility_kg.search.records import Catalog, EntityCard

# Properties whose targets an entity is "about", by entity type (in this order).
ABOUT: dict[str, tuple[URIRef, ...]] = {
    "predictor": (UMF.pillar,),
    "metric": (UMF.measures,),
    "pillar": (UMF.supports,),
    "evidence": (UMF.evidenceFor, DCTERMS.subject),
    "strategy": (UMF.addresses,),
    "term": (SKOS.related,),
    "post": (DCTERMS.subject,),
    "plan": (UMF.place, UMF.priority, UMF.usesStrategy),
    "methodology": (DCTERMS.subject,),
}


# Facets of an entity: values of these properties a list question can filter on ("which metrics
# can be broken down by disability", "which strategies could a housing authority take on").
FACETS = (UMF.subgroupBreakdown, UMF.geographicLevel, UMF.actor, UMF.dataSource)


def _facets(graph: Graph, node: Node) -> dict[str, list[str]]:
    """Facet value -> its names, the label first: a concept's labels, a data source's own
    name."""
    facets: dict[str, list[str]] = {}
    for prop in FACETS:
        for value in graph.objects(node, prop):
            if isinstance(value, URIRef):
                label = str(graph.value(value, RDFS.label) or value.rpartition("-")[2])
                others = {
                    str(v) for p in (SKOS.prefLabel, SKOS.altLabel) for v in graph.objects(value, p)
                }
                facets[str(value).rpartition("#")[2]] = [label, *sorted(others - {label})]
            else:
                facets[f"source:{value}"] = [str(value)]
    return dict(sorted(facets.items()))


def _strength(value: object) -> str | None:
    return str(value).rpartition("strength-")[2] if value is not None else None


def build_catalog(graph: Graph, base_iri: str) -> Catalog:
    """A card for every entity of the graph."""

    def cid(node: object) -> str | None:
        return from_iri(base_iri, str(node)) if isinstance(node, URIRef) else None

    def targets(node: Node, prop: URIRef) -> list[str]:
        return sorted(t for t in (cid(o) for o in graph.objects(node, prop)) if t)

    nodes = {
        c: n for n, v in graph.subject_objects(DCTERMS.identifier) if (c := cid(n)) and c == str(v)
    }
    pillar_of = {c: targets(n, UMF.pillar) for c, n in nodes.items() if c.startswith("predictor/")}
    strategies_of: dict[str, list[str]] = {}
    for c, n in nodes.items():
        if c.startswith("strategy/"):
            for predictor in targets(n, UMF.addresses):
                strategies_of.setdefault(predictor, []).append(c)
    cards: dict[str, EntityCard] = {}
    for compact, node in sorted(nodes.items()):
        entity_type = compact.partition("/")[0]
        about: list[str] = []
        for prop in ABOUT.get(entity_type, ()):
            about += [t for t in targets(node, prop) if t not in about]
        predictors = sorted(
            {compact}
            if entity_type == "predictor"
            else {a for a in about if a.startswith("predictor/")}
        )
        pillars = {p for pred in predictors for p in pillar_of.get(pred, [])}
        pillars |= {a for a in about if a.startswith("pillar/")}
        if entity_type == "pillar":
            pillars.add(compact)
        if entity_type == "metric":
            about += [p for pred in predictors for p in pillar_of.get(pred, []) if p not in about]
        if entity_type == "evidence":
            about += [
                p
                for pred in targets(node, UMF.evidenceFor)
                for p in pillar_of.get(pred, [])
                if p not in about
            ]
        cards[compact] = EntityCard(
            id=compact,
            type=entity_type,
            title=str(graph.value(node, RDFS.label) or compact),
            source_url=str(graph.value(node, DCTERMS.source) or ""),
            about=about,
            pillars=sorted(pillars),
            predictors=predictors,
            strategies=sorted(strategies_of.get(compact, [])),
            evidence_strength=_strength(graph.value(node, UMF.evidenceStrength)),
            order=int(str(step)) if (step := graph.value(node, UMF.stepNumber)) else None,
            labels=sorted(
                {
                    str(v)
                    for p in (SKOS.altLabel, DCTERMS.alternative)
                    for v in graph.objects(node, p)
                }
            ),
            facets=_facets(graph, node),
        )
    return Catalog(cards)
