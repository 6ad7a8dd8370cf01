"""The SPARQL 1.1 Protocol endpoint: GET ?query=, POST as sparql-query or as a form.

The dataset parameters ``default-graph-uri`` and ``named-graph-uri`` come with the query (the
URL's parameters for GET and a direct POST, the form's fields for a form POST); relative IRIs
in a query resolve against the endpoint's URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from mobility_kg.api.bodies import body_text, media_type
from mobility_kg.api.deps import StateDep
from mobility_kg.api.negotiation import negotiate, prefers_html
from mobility_kg.api.problems import PROBLEM_RESPONSES
from mobility_kg.api.state import AppState
from mobility_kg.api.web.pages import TEMPLATES
from mobility_kg.api.web.sparql_page import examples, results_table
from mobility_kg.errors import (
    InvalidParameter,
    MobilityKGError,
    RequestTooLarge,
    UnsupportedFormat,
    UnsupportedMediaType,
)
from mobility_kg.graph.named_graphs import DATA_PREFIX
from mobility_kg.graph.sparql import (
    GRAPH_TYPES,
    RESULT_TYPES,
    Dataset,
    QueryOptions,
    inspect_query,
)

MAX_BODY_BYTES = 64 * 1024
SPARQL_EXAMPLE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "application/sparql-results+json": {
                "example": {
                    "head": {"vars": ["n"]},
                    "results": {"bindings": [{"n": {"type": "literal", "value": "24"}}]},
                }
            }
        }
    }
}
router = APIRouter(
    tags=["sparql"],
    responses={
        **PROBLEM_RESPONSES,
        406: {"description": "No acceptable format"},
        413: {"description": "Body too large"},
        415: {"description": "Unsupported request body type"},
    },
)


BODY_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")
DEFAULT_GRAPH, NAMED_GRAPH = "default-graph-uri", "named-graph-uri"


async def _query_request(request: Request) -> tuple[str, dict[str, list[str]]]:
    """The query text and the parameters that come with it (``default-graph-uri``...).

    Raises:
        RequestTooLarge: a body over 64 KiB.
        UnsupportedMediaType: a POST body that is neither a query nor a form, or not UTF-8
            (415; checked before the body is read as a query).
        InvalidParameter: no query, or more than one.
    """
    params = {key: request.query_params.getlist(key) for key in request.query_params}
    if request.method == "GET":
        found = params.get("query", [])
    else:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            raise RequestTooLarge(f"the body is {len(body)} bytes; the limit is {MAX_BODY_BYTES}")
        kind = media_type(request)
        if kind not in BODY_TYPES:
            raise UnsupportedMediaType(kind or "(none)", BODY_TYPES)
        text = body_text(request, body, BODY_TYPES)
        if kind == "application/sparql-query":
            found = [text]
            if "query" in params:
                raise InvalidParameter("query", "a direct POST carries the query in the body only")
        else:
            params = parse_qs(text, keep_blank_values=True)
            found = params.get("query", [])
    if len(found) != 1 or not found[0].strip():
        raise InvalidParameter("query", "exactly one non-empty query is required")
    return found[0], params


def _graph_iris(name: str, values: list[str], base_iri: str, data_graphs: bool) -> tuple[str, ...]:
    """The graph IRIs of one dataset parameter; ``data_graphs``: whether the store holds the
    metric values in named graphs (a published remote store does).

    Raises:
        InvalidParameter: a value that is not an absolute IRI, or a data graph where there is
            none (the embedded store keeps the metric values in its default graph).
    """
    iris = []
    for value in values:
        iri = value.strip()
        scheme, colon, rest = iri.partition(":")
        if not colon or not scheme.isalpha() or not rest or any(c in iri for c in ' <>"{}|^`'):
            raise InvalidParameter(name, f"{value!r} is not an absolute IRI")
        if not data_graphs and iri.startswith(base_iri + DATA_PREFIX):
            raise InvalidParameter(
                name,
                f"{iri} is not served as a named graph here: the metric values are part of the"
                " default graph (leave the dataset unnamed to query them)",
            )
        iris.append(iri)
    return tuple(iris)


def _options(
    request: Request, params: dict[str, list[str]], own: bool, state: AppState
) -> QueryOptions:
    base = state.built.manifest.base_iri
    remote = state.remote is not None
    dataset = Dataset(
        _graph_iris(DEFAULT_GRAPH, params.get(DEFAULT_GRAPH, []), base, remote),
        _graph_iris(NAMED_GRAPH, params.get(NAMED_GRAPH, []), base, remote),
    )
    endpoint = str(request.url.replace(query="", fragment=""))
    return QueryOptions(base_iri=endpoint, dataset=dataset, own_dataset=own)


async def _answer(request: Request, state: StateDep) -> Response:
    text, params = await _query_request(request)
    form, own_dataset = inspect_query(text)
    options = _options(request, params, own_dataset, state)
    offered = list(GRAPH_TYPES if form.returns_graph else RESULT_TYPES)
    accept = request.headers.get("accept")
    try:
        media = negotiate(accept, offered)
    except UnsupportedFormat:
        # Plain JSON clients (and SPARQLWrapper's JSON) ask for application/json.
        if accept and "application/json" in accept and not form.returns_graph:
            media = "application/sparql-results+json"
        else:
            raise
    data = await run_in_threadpool(state.sparql.run, text, form, media, options)
    return Response(data, media_type=media, headers={"Vary": "Accept"})


async def _page(request: Request, state: StateDep) -> Response:
    """The query form; with ``?query=``, the result as a table (or Turtle) under it."""
    base_iri = state.built.manifest.base_iri
    shown = examples(base_iri)
    query = request.query_params.get("query", "")
    context: dict[str, Any] = {
        "query": query or shown[0].query,
        "examples": shown,
        "answer": None,
        "turtle": None,
        "error": "",
    }
    status = 200
    if query.strip():
        try:
            form, own_dataset = inspect_query(query)
            options = _options(request, {}, own_dataset, state)
            media = "text/turtle" if form.returns_graph else "application/sparql-results+json"
            data = await run_in_threadpool(state.sparql.run, query, form, media, options)
            if form.returns_graph:
                context["answer"], context["turtle"] = True, data.decode("utf-8")
            else:
                context["answer"] = results_table(data, base_iri)
        except MobilityKGError as error:
            context["error"], status = str(error), error.status
    return TEMPLATES.TemplateResponse(
        request, "sparql.html", context, status_code=status, headers={"Vary": "Accept"}
    )


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (read-only), by GET",
    responses=SPARQL_EXAMPLE,
    response_class=Response,
)
async def sparql_get(request: Request, state: StateDep) -> Response:
    """SELECT and ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle,
    JSON-LD or N-Triples, by Accept. Updates, LOAD and SERVICE are refused before anything runs.
    A browser (Accept: text/html first) gets a query form and the results as an HTML table."""
    if prefers_html(request.headers.get("accept"), [*RESULT_TYPES, *GRAPH_TYPES]):
        return await _page(request, state)
    return await _answer(request, state)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (read-only), by POST",
    responses=SPARQL_EXAMPLE,
    response_class=Response,
)
async def sparql_post(request: Request, state: StateDep) -> Response:
    """The query as an application/sparql-query body or an urlencoded form field ``query``;
    another body type is 415."""
    return await _answer(request, state)
