"""A document given as Turtle: one entity (plus its #section nodes), checked before use.

The entity's IRI must be the base IRI plus its compact id, stated by ``dcterms:identifier``,
and it must be typed with the ontology's class for its id's type (the SHACL shapes target
classes, so an untyped entity would pass them unchecked); everything else about it is checked
by the shapes when the graph is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mobility_kg.errors import CorpusError, InvalidIdError
from mobility_kg.ids import EntityType, parse_compact_id
from mobility_kg.vocabulary import ENTITY_CLASS_NAMES, UMF_IRI

DCTERMS_IDENTIFIER = "http://purl.org/dc/terms/identifier"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
UMF = UMF_IRI
# The ontology's class of each entity type (the umf: class mobility_kg.graph.build gives it).
ENTITY_CLASSES: dict[EntityType, str] = {
    entity_type: UMF + name for entity_type, name in ENTITY_CLASS_NAMES.items()
}
_TYPE_OF_CLASS = {cls: entity_type for entity_type, cls in ENTITY_CLASSES.items()}


@dataclass(frozen=True, slots=True)
class TurtleDocument:
    id: str
    text: str


def read_turtle_document(path: Path, text: str, base_iri: str) -> TurtleDocument:
    """The compact id a Turtle document describes.

    Raises:
        CorpusError: a syntax error (with its line), no entity or more than one, an identifier
            that does not match the IRI, triples about anything but the entity and its sections,
            or an entity not typed with the class of its id's type.
    """
    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=base_iri)
    except Exception as error:  # rdflib raises several unrelated types
        line = getattr(error, "lines", None)
        message = str(getattr(error, "_why", "") or error).splitlines()[0]
        raise CorpusError(
            path, f"Turtle syntax: {message}", line=line + 1 if isinstance(line, int) else None
        ) from None
    entities = sorted(
        (str(s), str(o))
        for s, o in graph.subject_objects(URIRef(DCTERMS_IDENTIFIER))
        if isinstance(o, Literal)
    )
    if len(entities) != 1:
        raise CorpusError(
            path,
            f"must describe exactly one entity with dcterms:identifier, found {len(entities)}",
            field="dcterms:identifier",
        )
    iri, compact = entities[0]
    try:
        entity_type, _ = parse_compact_id(compact)
    except InvalidIdError as error:
        raise CorpusError(path, error.reason, field="dcterms:identifier") from None
    if iri != base_iri + compact:
        raise CorpusError(
            path,
            f"the entity's IRI must be <{base_iri + compact}>, not <{iri}>",
            field="dcterms:identifier",
        )
    strays = sorted(
        {str(s) for s in graph.subjects() if str(s) != iri and not str(s).startswith(iri + "#")}
    )
    if strays:
        raise CorpusError(
            path, f"states triples about other subjects: {', '.join(strays[:3])}", field="subject"
        )
    typed = {(str(s), str(o)) for s, o in graph.subject_objects(URIRef(RDF_TYPE))}
    _check_type(path, iri, entity_type, {cls for s, cls in typed if s == iri})
    for subject, cls in sorted(typed):
        if subject != iri and cls in _TYPE_OF_CLASS:
            raise CorpusError(
                path,
                f"only the entity may have an entity class, but <{subject}> is typed {_short(cls)}",
                field="rdf:type",
            )
    return TurtleDocument(compact, text)


def _check_type(path: Path, iri: str, entity_type: EntityType, classes: set[str]) -> None:
    """The entity is typed with its id's class and with no other entity class."""
    expected = ENTITY_CLASSES[entity_type]
    wrong = sorted(cls for cls in classes if cls in _TYPE_OF_CLASS and cls != expected)
    if wrong:
        other = _TYPE_OF_CLASS[wrong[0]]
        raise CorpusError(
            path,
            f"a {entity_type.value}/ id needs the class {_short(expected)}, but <{iri}> is typed "
            f"{_short(wrong[0])} (the class of {other.value}/ ids)",
            field="rdf:type",
        )
    if expected not in classes:
        has = "rdf:type " + ", ".join(map(_short, sorted(classes))) if classes else "no rdf:type"
        raise CorpusError(
            path,
            f"a {entity_type.value}/ id needs the class {_short(expected)}, but <{iri}> has {has}",
            field="rdf:type",
        )


def _short(iri: str) -> str:
    return "umf:" + iri.removeprefix(UMF) if iri.startswith(UMF) else f"<{iri}>"
