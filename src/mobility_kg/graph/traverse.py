"""Walking the links: a networkx projection of the entity graph and the questions asked of it.

The projection keeps only entity-to-entity triples (both ends have a compact id); its nodes
are compact ids and each edge carries the property's prefixed name.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from itertools import islice, pairwise

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from mobility_kg.errors import InvalidIdError, InvalidParameter, UnknownEntityError
from mobility_kg.graph.inspect import label_of, suggest_ids
from mobility_kg.graph.namespaces import UMF, short_iri
from mobility_kg.ids import EntityType, from_iri, parse_compact_id

# How far a link takes a reader, for paths and neighbourhoods: the framework's core links are
# short; "related", "subject" and above all a glossary term's "mentioned in" are long, so a
# path runs through them only when no core route exists.
LINK_WEIGHT: dict[str, float] = {
    "umf:pillar": 1.0,
    "umf:supports": 1.0,
    "umf:measuredBy": 1.0,
    "umf:measures": 1.0,
    "umf:addresses": 1.0,
    "umf:evidenceFor": 1.0,
    "umf:priority": 1.0,
    "umf:usesStrategy": 1.0,
    "umf:place": 1.0,
    "umf:nextStep": 1.0,
    "skos:broader": 1.0,
    "dcterms:subject": 1.5,
    "skos:related": 2.0,
    "umf:mentionedIn": 4.0,
}
DEFAULT_WEIGHT = 2.0


def link_weight(prop: str) -> float:
    return LINK_WEIGHT.get(prop, DEFAULT_WEIGHT)


@dataclass(frozen=True, slots=True)
class Hop:
    """One edge of a path, in the direction the triple states it."""

    source: str
    property: str
    target: str


@dataclass(frozen=True, slots=True)
class Neighbor:
    id: str
    type: str
    label: str
    depth: int
    via: Hop


@dataclass(frozen=True, slots=True)
class StrategyLink:
    id: str
    label: str
    evidence_strength: str | None
    evidence_rating: str | None
    actors: list[str]
    addresses: list[str]
    source: str


@dataclass(frozen=True, slots=True)
class RelatedPredictor:
    id: str
    label: str
    same_pillar: bool
    shared_strategies: list[str] = field(default_factory=list)


class EntityGraph:
    """The entity graph as a networkx MultiDiGraph, with lookups back into RDF."""

    def __init__(self, graph: Graph, base_iri: str) -> None:
        self.rdf = graph
        self.base_iri = base_iri
        self.nx: nx.MultiDiGraph = nx.MultiDiGraph()
        for node, compact in self._entities():
            self.nx.add_node(compact, type=compact.partition("/")[0], label=label_of(graph, node))
        for subject, prop, obj in graph:
            if not isinstance(obj, URIRef):
                continue
            source = from_iri(base_iri, str(subject))
            target = from_iri(base_iri, str(obj))
            if source and target and source in self.nx and target in self.nx:
                self.nx.add_edge(source, target, key=short_iri(str(prop)))

    def _entities(self) -> list[tuple[URIRef, str]]:
        found = []
        for node, value in self.rdf.subject_objects(DCTERMS.identifier):
            if isinstance(node, URIRef):
                found.append((node, str(value)))
        return sorted(found, key=lambda pair: pair[1])

    def require(self, compact: str, entity_type: EntityType | None = None) -> str:
        """Check that ``compact`` names an entity (of ``entity_type``, when given).

        Raises:
            InvalidIdError: malformed, or an entity of another type.
            UnknownEntityError: no such entity; carries the closest ids.
        """
        found_type, _ = parse_compact_id(compact)
        if compact not in self.nx:
            raise UnknownEntityError(compact, suggest_ids(self.rdf, compact))
        if entity_type is not None and found_type is not entity_type:
            raise InvalidIdError(compact, f"is a {found_type.value}, not a {entity_type.value}")
        return compact

    def label(self, compact: str) -> str:
        return str(self.nx.nodes[compact]["label"])

    def _iri(self, compact: str) -> URIRef:
        return URIRef(self.base_iri + compact)

    def _hops(self, a: str, b: str) -> list[Hop]:
        """Every edge between two adjacent nodes: those from ``a`` first, umf: ones first."""
        forward = [Hop(a, key, b) for key in self.nx.get_edge_data(a, b, default={})]
        backward = [Hop(b, key, a) for key in self.nx.get_edge_data(b, a, default={})]
        return sorted(
            forward + backward,
            key=lambda h: (
                link_weight(h.property),
                h.source != a,
                not h.property.startswith("umf:"),
                h.property,
            ),
        )

    def strategies_for(self, predictor: str) -> list[StrategyLink]:
        """The strategies that address a predictor, strongest evidence first, then by label."""
        self.require(predictor, EntityType.PREDICTOR)
        rank = {"strong": 0, "moderate": 1, "emerging": 2, "mixed": 3, "insufficient": 4}
        found = []
        for strategy in sorted(self.nx.predecessors(predictor)):
            if "umf:addresses" not in self.nx.get_edge_data(strategy, predictor):
                continue
            node = self._iri(strategy)
            strength = self.rdf.value(node, UMF.evidenceStrength)
            rating = self.rdf.value(node, UMF.evidenceRating)
            found.append(
                StrategyLink(
                    id=strategy,
                    label=self.label(strategy),
                    evidence_strength=str(strength).rpartition("strength-")[2]
                    if strength
                    else None,
                    evidence_rating=str(rating) if rating else None,
                    actors=sorted(
                        str(a).rpartition("actor-")[2] for a in self.rdf.objects(node, UMF.actor)
                    ),
                    addresses=sorted(
                        t for t, d in self.nx[strategy].items() if "umf:addresses" in d
                    ),
                    source=str(self.rdf.value(node, DCTERMS.source) or ""),
                )
            )
        return sorted(found, key=lambda s: (rank.get(s.evidence_strength or "", 9), s.label))

    def neighbors(
        self, start: str, depth: int = 1, entity_type: EntityType | None = None
    ) -> list[Neighbor]:
        """Entities within ``depth`` links of ``start`` (either direction), nearest first.

        ``entity_type`` filters what is returned, not what is walked through.
        """
        self.require(start)
        if depth < 1:
            raise InvalidParameter("depth", f"must be 1 or more, got {depth}")
        undirected = self.nx.to_undirected(as_view=True)
        seen = {start: 0}
        found: list[Neighbor] = []
        queue = deque([start])
        while queue:
            current = queue.popleft()
            if seen[current] >= depth:
                continue
            for other in sorted(undirected.neighbors(current)):
                if other in seen:
                    continue
                seen[other] = seen[current] + 1
                queue.append(other)
                if entity_type is None or self.nx.nodes[other]["type"] == entity_type.value:
                    via = self._hops(current, other)[0]
                    found.append(
                        Neighbor(
                            other, self.nx.nodes[other]["type"], self.label(other), seen[other], via
                        )
                    )
        return sorted(found, key=lambda n: (n.depth, link_weight(n.via.property), n.type, n.id))

    def _weighted(self) -> nx.Graph:
        """The undirected projection, each edge weighted by its strongest link."""
        graph = nx.Graph()
        graph.add_nodes_from(self.nx.nodes)
        for a, b, prop in self.nx.edges(keys=True):
            weight = link_weight(prop)
            if not graph.has_edge(a, b) or graph[a][b]["weight"] > weight:
                graph.add_edge(a, b, weight=weight)
        return graph

    def paths(self, source: str, target: str, limit: int = 3) -> list[list[Hop]]:
        """Up to ``limit`` shortest paths between two entities, each hop with its property.

        Links are walked in either direction and weighted by :data:`LINK_WEIGHT`, so the
        framework's core links come before glossary mentions; each hop reports the triple as
        stated.
        """
        self.require(source)
        self.require(target)
        if source == target:
            return [[]]
        try:
            node_paths = list(
                islice(nx.all_shortest_paths(self._weighted(), source, target, "weight"), limit)
            )
        except nx.NetworkXNoPath:
            return []
        return [[self._hops(a, b)[0] for a, b in pairwise(p)] for p in node_paths]

    def related_predictors(self, predictor: str) -> list[RelatedPredictor]:
        """Predictors that share a pillar or a strategy with ``predictor``, closest first."""
        self.require(predictor, EntityType.PREDICTOR)

        def pillar(p: str) -> set[str]:
            return {t for t, d in self.nx[p].items() if "umf:pillar" in d}

        def strategies(p: str) -> set[str]:
            return {s.id for s in self.strategies_for(p)}

        mine_pillar, mine_strategies = pillar(predictor), strategies(predictor)
        related = []
        for other in sorted(self.nx.nodes):
            if other == predictor or self.nx.nodes[other]["type"] != "predictor":
                continue
            shared = sorted(mine_strategies & strategies(other))
            same = bool(mine_pillar & pillar(other))
            if shared or same:
                related.append(RelatedPredictor(other, self.label(other), same, shared))
        return sorted(related, key=lambda r: (-len(r.shared_strategies), not r.same_pillar, r.id))
