"""The SPARQL 1.1 Protocol endpoint: GET ?query=, POST as sparql-query or as a form."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from mobility_kg.api.deps import StateDep
from mobility_kg.api.negotiation import negotiate
from mobility_kg.api.problems import PROBLEM_RESPONSES
from mobility_kg.errors import InvalidParameter, RequestTooLarge, UnsupportedFormat
from mobility_kg.graph.sparql import GRAPH_TYPES, RESULT_TYPES, check_query

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
    },
)


async def _query_text(request: Request) -> str:
    if request.method == "GET":
        found = request.query_params.getlist("query")
    else:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            raise RequestTooLarge(f"the body is {len(body)} bytes; the limit is {MAX_BODY_BYTES}")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            found = [body.decode("utf-8", errors="replace")]
        elif kind == "application/x-www-form-urlencoded":
            found = parse_qs(body.decode("utf-8", errors="replace")).get("query", [])
        else:
            raise UnsupportedFormat(
                kind or "(none)", ["application/sparql-query", "application/x-www-form-urlencoded"]
            )
    if len(found) != 1 or not found[0].strip():
        raise InvalidParameter("query", "exactly one non-empty query is required")
    return found[0]


async def _answer(request: Request, state: StateDep) -> Response:
    text = await _query_text(request)
    form = check_query(text)
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
    data = await run_in_threadpool(state.sparql.run, text, form, media)
    return Response(data, media_type=media, headers={"Vary": "Accept"})


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (read-only), by GET",
    responses=SPARQL_EXAMPLE,
    response_class=Response,
)
async def sparql_get(request: Request, state: StateDep) -> Response:
    """SELECT and ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle,
    JSON-LD or N-Triples, by Accept. Updates, LOAD and SERVICE are refused before anything runs."""
    return await _answer(request, state)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (read-only), by POST",
    responses=SPARQL_EXAMPLE,
    response_class=Response,
)
async def sparql_post(request: Request, state: StateDep) -> Response:
    """The query as an application/sparql-query body or an urlencoded form field ``query``."""
    return await _answer(request, state)
