"""Linked data: every entity IRI dereferences (/id/{type}/{slug}), and /graph is the graph."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response
from rdflib import Graph, URIRef

from mobility_kg.api.deps import StateDep
from mobility_kg.api.negotiation import HTML, negotiate
from mobility_kg.api.problems import PROBLEM_RESPONSES
from mobility_kg.api.routes.places import get_metric_data
from mobility_kg.api.validation import not_one_of
from mobility_kg.api.web.pages import TEMPLATES, entity_context
from mobility_kg.api.web.place_page import place_context
from mobility_kg.errors import InvalidParameter, UnsupportedFormat
from mobility_kg.graph.export import RdfFormat, serialize
from mobility_kg.graph.inspect import require_entity, show_entity
from mobility_kg.graph.namespaces import new_graph
from mobility_kg.ids import EntityType

router = APIRouter(
    tags=["linked data"],
    responses={**PROBLEM_RESPONSES, 406: {"description": "No acceptable format"}},
)
RDF_TYPES = {f.media_type: f for f in RdfFormat}
TURTLE_EXAMPLE = (
    "<https://w3id.org/mobility-kg/id/predictor/housing-stability> a umf:Predictor ;\n"
    '    skos:prefLabel "Housing stability"@en ;\n'
    "    umf:measuredBy <https://w3id.org/mobility-kg/id/metric/student-homelessness> ."
)
RDF_EXAMPLES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/turtle": {"example": TURTLE_EXAMPLE}}}
}
FormatParam = Annotated[
    str | None,
    Query(
        alias="format", description="turtle, jsonld, nt (or html for entities); overrides Accept"
    ),
]
AcceptHeader = Annotated[str | None, Header()]


def _chosen(format_name: str | None, accept: str | None, offered: list[str]) -> str:
    """The media type to answer with: ``?format=`` when given, else by Accept.

    Raises:
        InvalidParameter: a ``format`` not offered here (400: a bad parameter value; 406 is
            for an Accept header nothing offered satisfies).
        UnsupportedFormat: by Accept, nothing offered is acceptable (406).
    """
    if format_name is not None:
        if format_name.strip().lower() == "html" and HTML in offered:
            return HTML
        try:
            return RdfFormat.parse(format_name).media_type
        except UnsupportedFormat:
            names = [f.value for f in RdfFormat] + (["html"] if HTML in offered else [])
            raise InvalidParameter("format", not_one_of(format_name, names)) from None
    return negotiate(accept, offered)


def describe(graph: Graph, base_iri: str, node: URIRef) -> Graph:
    """The entity's triples, its sections', and the triples that point at it."""
    found = new_graph(base_iri)
    for triple in graph.triples((node, None, None)):
        found.add(triple)
        if isinstance(triple[2], URIRef) and str(triple[2]).startswith(str(node) + "#"):
            for section_triple in graph.triples((triple[2], None, None)):
                found.add(section_triple)
    for triple in graph.triples((None, None, node)):
        found.add(triple)
    return found


@router.get(
    "/id/{type}/{slug}",
    summary="Dereference an entity IRI (HTML, Turtle, JSON-LD, N-Triples)",
    responses=RDF_EXAMPLES,
    response_class=Response,
)
def entity_document(
    request: Request,
    state: StateDep,
    type: EntityType,
    slug: str,
    format_name: FormatParam = None,
    accept: AcceptHeader = None,
) -> Response:
    """The entity's description, in the representation the client asks for."""
    built = state.built
    compact = f"{type.value}/{slug}"
    node = require_entity(built.graph, built.manifest.base_iri, compact)
    media = _chosen(format_name, accept, [HTML, *RDF_TYPES])
    if media == HTML:
        view = show_entity(built.graph, built.manifest.base_iri, compact)
        context = entity_context(state.graph, view)
        template = "entity.html"
        if type is EntityType.PLACE:
            data = get_metric_data(request, state)
            if slug in data.places:
                template = "place.html"
                context = {**context, **place_context(data, state.graph, slug)}
        return TEMPLATES.TemplateResponse(request, template, context, headers={"Vary": "Accept"})
    rdf_format = RDF_TYPES[media]
    text = serialize(
        describe(built.graph, built.manifest.base_iri, node), rdf_format, built.manifest.base_iri
    )
    return Response(text, media_type=media, headers={"Vary": "Accept"})


@router.get(
    "/graph",
    summary="The whole graph (Turtle, JSON-LD or N-Triples)",
    response_class=Response,
    responses=RDF_EXAMPLES,
)
def whole_graph(
    state: StateDep, format_name: FormatParam = None, accept: AcceptHeader = None
) -> Response:
    """Every triple, ontology included, in a deterministic order."""
    media = _chosen(format_name, accept, list(RDF_TYPES))
    built = state.built
    text = serialize(built.graph, RDF_TYPES[media], built.manifest.base_iri)
    return Response(text, media_type=media, headers={"Vary": "Accept"})
