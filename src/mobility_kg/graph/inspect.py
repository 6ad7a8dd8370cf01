"""Read-only questions about a built graph: counts, and one entity with its links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from mobility_kg.errors import UnknownEntityError
from mobility_kg.graph.namespaces import UMF, short_iri
from mobility_kg.ids import CompactId, closest_ids, from_iri, parse_compact_id, to_iri


@dataclass(frozen=True, slots=True)
class GraphStats:
    """Entities by type, triples, and entity-to-entity links by property."""

    triples: int
    entities: dict[str, int]
    links: dict[str, int]


@dataclass(frozen=True, slots=True)
class Link:
    """One edge of an entity: the property's prefixed name and the entity at the other end."""

    property: str
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class SectionText:
    """One section of an entity's document: its anchor (the fragment of the section's IRI,
    also the ``id`` of the section on the entity page), title and Markdown text."""

    anchor: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class EntityView:
    """One entity: ``definition`` is the lead paragraph of its document (Markdown),
    ``sections`` the section titles and ``section_texts`` every section with its text."""

    id: str
    type: str
    iri: str
    label: str
    alt_labels: list[str]
    definition: str
    source: str
    sections: list[str]
    links_out: list[Link] = field(default_factory=list)
    links_in: list[Link] = field(default_factory=list)
    section_texts: list[SectionText] = field(default_factory=list)


def entity_ids(graph: Graph) -> list[str]:
    """Every compact id in the graph, sorted."""
    return sorted(str(value) for value in graph.objects(None, DCTERMS.identifier))


def graph_stats(graph: Graph, base_iri: str) -> GraphStats:
    entities = Counter(str(value) for value in graph.objects(None, UMF.entityType))
    links: Counter[str] = Counter()
    for subject, prop, obj in graph:
        if (
            isinstance(obj, URIRef)
            and from_iri(base_iri, str(subject)) is not None
            and from_iri(base_iri, str(obj)) is not None
        ):
            links[short_iri(str(prop))] += 1
    return GraphStats(
        triples=len(graph),
        entities=dict(sorted(entities.items())),
        links=dict(sorted(links.items())),
    )


def suggest_ids(graph: Graph, wanted: str, limit: int = 3) -> list[str]:
    """The existing ids closest to ``wanted`` (see :func:`mobility_kg.ids.closest_ids`)."""
    return closest_ids(wanted, entity_ids(graph), limit)


def require_entity(graph: Graph, base_iri: str, wanted: str) -> URIRef:
    """The IRI of an existing entity.

    Raises:
        InvalidIdError: ``wanted`` is not a compact id.
        UnknownEntityError: no entity has that id (with the closest ids as suggestions).
    """
    parse_compact_id(wanted)
    node = URIRef(to_iri(base_iri, CompactId(wanted)))
    if (node, DCTERMS.identifier, None) not in graph:
        raise UnknownEntityError(wanted, suggest_ids(graph, wanted))
    return node


def label_of(graph: Graph, node: URIRef) -> str:
    return str(graph.value(node, RDFS.label) or graph.value(node, DCTERMS.identifier) or node)


def section_anchors(graph: Graph, base_iri: str, entity_id: str) -> dict[str, str]:
    """Section title -> anchor (the fragment of the section's IRI) for one entity; empty for
    an unknown id."""
    node = URIRef(to_iri(base_iri, CompactId(entity_id)))
    return {
        str(graph.value(s, DCTERMS.title)): str(s).partition("#")[2]
        for s in graph.objects(node, UMF.hasSection)
    }


def show_entity(graph: Graph, base_iri: str, wanted: str) -> EntityView:
    """One entity: labels, definition (the lead), source, sections with their text, and its
    links in and out.

    Raises:
        InvalidIdError, UnknownEntityError: see :func:`require_entity`.
    """
    node = require_entity(graph, base_iri, wanted)

    def link(prop: Node, other: URIRef) -> Link | None:
        other_id = from_iri(base_iri, str(other))
        if other_id is None:
            return None
        return Link(short_iri(str(prop)), other_id, label_of(graph, other))

    links_out = [
        found
        for prop, obj in graph.predicate_objects(node)
        if isinstance(obj, URIRef) and (found := link(prop, obj)) is not None
    ]
    links_in = [
        found
        for subj, prop in graph.subject_predicates(node)
        if isinstance(subj, URIRef) and (found := link(prop, subj)) is not None
    ]
    sections = sorted(
        graph.objects(node, UMF.hasSection), key=lambda s: str(graph.value(s, UMF.order)).zfill(4)
    )
    definition = graph.value(node, SKOS.definition) or graph.value(node, DCTERMS.abstract)
    return EntityView(
        id=wanted,
        type=str(graph.value(node, UMF.entityType)),
        iri=str(node),
        label=label_of(graph, node),
        alt_labels=sorted(
            str(v) for p in (SKOS.altLabel, DCTERMS.alternative) for v in graph.objects(node, p)
        ),
        definition=str(definition or ""),
        source=str(graph.value(node, DCTERMS.source) or ""),
        sections=[str(graph.value(s, DCTERMS.title)) for s in sections],
        links_out=sorted(links_out, key=lambda x: (x.property, x.id)),
        links_in=sorted(links_in, key=lambda x: (x.property, x.id)),
        section_texts=[
            SectionText(
                anchor=str(s).partition("#")[2],
                title=str(graph.value(s, DCTERMS.title)),
                text=str(graph.value(s, UMF.text) or ""),
            )
            for s in sections
        ],
    )
