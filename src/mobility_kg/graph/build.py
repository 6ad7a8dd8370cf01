"""Turn a checked corpus into an rdflib graph (the single source of truth)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from mobility_kg.errors import CorpusError
from mobility_kg.graph.namespaces import SCHEMA, UMF, new_graph
from mobility_kg.ids import CompactId, EntityType, to_iri
from mobility_kg.ingest.corpus import Corpus, Document
from mobility_kg.ingest.markdown import Section
from mobility_kg.ingest.records import (
    EvidenceRecord,
    GuideRecord,
    MethodologyRecord,
    MetricRecord,
    PillarRecord,
    PlaceRecord,
    PlanRecord,
    PostRecord,
    PredictorRecord,
    StrategyRecord,
    TermRecord,
)
from mobility_kg.vocabulary import ENTITY_CLASS_NAMES

LANG = "en"

# rdf:type of each entity type: the umf: class first, then the standard class it refines.
_REFINES: dict[EntityType, URIRef] = {
    EntityType.DIMENSION: SKOS.Concept,
    EntityType.PILLAR: SKOS.Concept,
    EntityType.PREDICTOR: SKOS.Concept,
    EntityType.METRIC: SKOS.Concept,
    EntityType.EVIDENCE: SCHEMA.Article,
    EntityType.STRATEGY: SKOS.Concept,
    EntityType.TERM: SKOS.Concept,
    EntityType.POST: SCHEMA.BlogPosting,
    EntityType.PLAN: SCHEMA.Report,
    EntityType.GUIDE: SCHEMA.HowToStep,
    EntityType.PLACE: SCHEMA.AdministrativeArea,
    EntityType.METHODOLOGY: SCHEMA.Article,
}
CLASSES: dict[EntityType, tuple[URIRef, ...]] = {
    entity_type: (UMF[ENTITY_CLASS_NAMES[entity_type]], standard)
    for entity_type, standard in _REFINES.items()
}
CONCEPT_TYPES = frozenset(t for t, classes in CLASSES.items() if SKOS.Concept in classes)
SCHEMES: dict[EntityType, URIRef] = {
    EntityType.DIMENSION: UMF.FrameworkScheme,
    EntityType.PILLAR: UMF.FrameworkScheme,
    EntityType.PREDICTOR: UMF.FrameworkScheme,
    EntityType.METRIC: UMF.FrameworkScheme,
    EntityType.TERM: UMF.GlossaryScheme,
    EntityType.STRATEGY: UMF.StrategyScheme,
}


def _text(value: str) -> Literal:
    return Literal(value, lang=LANG)


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


class GraphBuilder:
    """Adds the triples of documents to a graph; one instance per build."""

    def __init__(self, graph: Graph, base_iri: str) -> None:
        self.graph = graph
        self.base_iri = base_iri

    def iri(self, value: str) -> URIRef:
        return URIRef(to_iri(self.base_iri, CompactId(value)))

    def add(self, document: Document) -> None:
        """Add every triple of one document."""
        record = document.record
        node = self.iri(record.id)
        add = self.graph.add
        entity_type = record.entity_type
        for cls in CLASSES[entity_type]:
            add((node, RDF.type, cls))
        add((node, DCTERMS.identifier, Literal(record.id)))
        add((node, UMF.entityType, Literal(entity_type.value)))
        add((node, RDFS.label, _text(record.title)))
        if entity_type in CONCEPT_TYPES:
            add((node, SKOS.prefLabel, _text(record.title)))
            add((node, SKOS.definition, _text(document.lead)))
            for alt in record.alt_titles:
                add((node, SKOS.altLabel, _text(alt)))
            if entity_type in SCHEMES:
                add((node, SKOS.inScheme, SCHEMES[entity_type]))
        else:
            add((node, DCTERMS.title, _text(record.title)))
            add((node, DCTERMS.abstract, _text(document.lead)))
            for alt in record.alt_titles:
                add((node, DCTERMS.alternative, _text(alt)))
        add((node, DCTERMS.source, URIRef(record.source)))
        add((node, PROV.wasDerivedFrom, URIRef(record.source)))
        for url in record.see_also:
            add((node, RDFS.seeAlso, URIRef(url)))
        if record.note:
            add((node, SKOS.editorialNote, _text(record.note)))
        self._add_sections(node, document.sections)
        self._add_links(node, document)

    def _add_sections(self, node: URIRef, sections: Iterable[Section]) -> None:
        used: set[str] = set()
        for order, section in enumerate(sections, start=1):
            slug = _slugify(section.title)
            while slug in used:
                slug += f"-{order}"
            used.add(slug)
            section_node = URIRef(f"{node}#{slug}")
            self.graph.add((node, UMF.hasSection, section_node))
            self.graph.add((section_node, RDF.type, UMF.Section))
            self.graph.add((section_node, DCTERMS.title, _text(section.title)))
            self.graph.add((section_node, UMF.order, Literal(order)))
            if section.text:
                self.graph.add((section_node, UMF.text, _text(section.text)))

    def _link(self, node: URIRef, prop: URIRef, targets: Iterable[str]) -> None:
        for target in targets:
            self.graph.add((node, prop, self.iri(target)))

    def _add_links(self, node: URIRef, document: Document) -> None:
        record = document.record
        add = self.graph.add
        if isinstance(record, PillarRecord):
            self._link(node, UMF.supports, record.supports)
            add((node, SKOS.topConceptOf, UMF.FrameworkScheme))
        elif isinstance(record, PredictorRecord):
            self._link(node, UMF.pillar, [record.pillar])
            self._link(node, SKOS.broader, [record.pillar])
        elif isinstance(record, MetricRecord):
            self._link(node, UMF.measures, [record.predictor])
            add((self.iri(record.predictor), UMF.measuredBy, node))
            for source in record.data_sources:
                add((node, UMF.dataSource, _text(source)))
            for level in record.geographic_levels:
                add((node, UMF.geographicLevel, UMF[f"level-{level}"]))
            for subgroup in record.subgroups:
                add((node, UMF.subgroupBreakdown, UMF[f"subgroup-{subgroup}"]))
            for variable in record.variables:
                add((node, UMF.variable, Literal(variable)))
            for year in record.years:
                add((node, UMF.yearAvailable, Literal(str(year), datatype=XSD.gYear)))
        elif isinstance(record, EvidenceRecord):
            self._link(node, UMF.evidenceFor, [record.predictor])
            self._link(node, DCTERMS.subject, [record.predictor, *record.subjects])
        elif isinstance(record, StrategyRecord):
            self._link(node, UMF.addresses, record.addresses)
            for actor in record.actors:
                add((node, UMF.actor, UMF[f"actor-{actor}"]))
            if record.evidence_strength:
                add((node, UMF.evidenceStrength, UMF[f"strength-{record.evidence_strength}"]))
            if record.evidence_rating:
                add((node, UMF.evidenceRating, _text(record.evidence_rating)))
        elif isinstance(record, TermRecord):
            self._link(node, SKOS.related, record.related)
        elif isinstance(record, PostRecord):
            add((node, SCHEMA.url, URIRef(record.source)))
            if record.date:
                add((node, DCTERMS.date, Literal(record.date)))
            for author in record.authors:
                add((node, SCHEMA.author, Literal(author)))
            self._link(node, DCTERMS.subject, record.subjects)
        elif isinstance(record, PlaceRecord):
            add((node, UMF.fipsCode, Literal(record.id.partition("/")[2])))
            add((node, UMF.state, _text(record.state)))
            add((node, UMF.geographicLevel, UMF[f"level-{record.level}"]))
        elif isinstance(record, PlanRecord):
            self._link(node, UMF.place, [record.place])
            self._link(node, UMF.priority, record.priorities)
            self._link(node, UMF.usesStrategy, record.strategies)
            self._link(node, DCTERMS.subject, [record.place, *record.priorities])
            if record.date:
                add((node, DCTERMS.date, Literal(record.date)))
        elif isinstance(record, GuideRecord):
            add((node, UMF.stepNumber, Literal(record.step)))
        elif isinstance(record, MethodologyRecord):
            self._link(node, DCTERMS.subject, record.subjects)

    def link_guide_steps(self, documents: Iterable[Document]) -> None:
        """Chain guide steps in order with ``umf:nextStep``."""
        steps = sorted(
            (d.record for d in documents if isinstance(d.record, GuideRecord)),
            key=lambda record: record.step,
        )
        for current, following in itertools.pairwise(steps):
            self.graph.add((self.iri(current.id), UMF.nextStep, self.iri(following.id)))

    def link_term_mentions(self, documents: Iterable[Document]) -> None:
        """``term umf:mentionedIn entity`` wherever an entity's text uses the term as words."""
        docs = list(documents)
        for term in (d for d in docs if isinstance(d.record, TermRecord)):
            names = [term.record.title, *term.record.alt_titles]
            pattern = re.compile(
                r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\b", re.IGNORECASE
            )
            for other in docs:
                if other is term:
                    continue
                text = "\n".join([other.lead, *(s.text for s in other.sections)])
                if pattern.search(text):
                    self.graph.add((self.iri(term.id), UMF.mentionedIn, self.iri(other.id)))


def build_graph(corpus: Corpus, base_iri: str) -> Graph:
    """The whole graph of a corpus: its ontology plus every entity's triples."""
    graph = new_graph(base_iri)
    graph.parse(data=corpus.ontology_ttl, format="turtle")
    builder = GraphBuilder(graph, base_iri)
    for document in corpus.documents:
        builder.add(document)
    for path, text in corpus.turtle:
        add_turtle(graph, path, text, base_iri)
    builder.link_guide_steps(corpus.documents)
    builder.link_term_mentions(corpus.documents)
    return graph


def add_turtle(graph: Graph, path: str, text: str, base_iri: str) -> None:
    """Merge an added Turtle document; its entity gets ``umf:entityType`` from its id.

    Raises:
        CorpusError: the text does not parse.
    """
    try:
        part = Graph().parse(data=text, format="turtle", publicID=base_iri)
    except Exception as error:  # rdflib raises several unrelated types
        raise CorpusError(path, f"Turtle syntax: {error}") from None
    for triple in part:
        graph.add(triple)
    for node, value in part.subject_objects(DCTERMS.identifier):
        graph.add((node, UMF.entityType, Literal(str(value).partition("/")[0])))
