"""A document given as Turtle: one entity (plus its #section nodes), checked before use.

The entity's IRI must be the base IRI plus its compact id, stated by ``dcterms:identifier``;
everything else about it is checked by the SHACL shapes when the graph is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mobility_kg.errors import CorpusError, InvalidIdError
from mobility_kg.ids import parse_compact_id

DCTERMS_IDENTIFIER = "http://purl.org/dc/terms/identifier"


@dataclass(frozen=True, slots=True)
class TurtleDocument:
    id: str
    text: str


def read_turtle_document(path: Path, text: str, base_iri: str) -> TurtleDocument:
    """The compact id a Turtle document describes.

    Raises:
        CorpusError: a syntax error (with its line), no entity or more than one, an identifier
            that does not match the IRI, or triples about anything but the entity and its sections.
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
        parse_compact_id(compact)
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
    return TurtleDocument(compact, text)
