"""Search and ask: turn query parameters into a SearchEngine call."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request, Response
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from mobility_kg.api.deps import StateDep
from mobility_kg.api.problems import PROBLEM_RESPONSES
from mobility_kg.api.schemas import AnswerOut, SearchOut
from mobility_kg.data.query import MetricData
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.ids import EntityType
from mobility_kg.search.answer import answer_question
from mobility_kg.search.engine import MAX_K, MAX_QUERY_CHARS, Filters, SearchMode

router = APIRouter(prefix="/api", tags=["search"], responses=PROBLEM_RESPONSES)


def _not_blank(text: str) -> str:
    """Spaces only are as empty as nothing: the same 422 as ``q=``."""
    if not text.strip():
        raise PydanticCustomError(
            "string_too_short", "String should have at least 1 character", {"min_length": 1}
        )
    return text


QueryText = Annotated[
    str,
    Query(
        min_length=1, max_length=MAX_QUERY_CHARS, examples=["what helps families avoid eviction?"]
    ),
    AfterValidator(_not_blank),
]


@router.get("/search", response_model=SearchOut, summary="Search the corpus, one result per entity")
def search(
    state: StateDep,
    q: QueryText,
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 10,
    mode: SearchMode = SearchMode.HYBRID,
    type: EntityType | None = None,  # the public parameter name
    pillar: Annotated[str | None, Query(examples=["pillar/rewarding-work"])] = None,
    predictor: Annotated[str | None, Query(examples=["predictor/housing-stability"])] = None,
) -> Response:
    """Hybrid (default), dense or BM25 search; filters apply before the top-k cut."""
    response = state.engine.search(q, k, mode, Filters(type, pillar, predictor))
    return json_response(
        {
            "query": response.query,
            "mode": response.mode,
            "k": k,
            "type": type.value if type else None,
            "pillar": pillar,
            "predictor": predictor,
            "count": len(response.results),
            "data": response.results,
        }
    )


@router.get(
    "/ask", response_model=AnswerOut, summary="Answer a question with cited corpus sentences"
)
def ask(request: Request, state: StateDep, q: QueryText) -> Response:
    """An extractive answer: each sentence is a corpus sentence with its citation. A question
    about places' data ("How is Ramsey County doing on housing?") is answered from the data:
    each sentence cites its data set and upstream file, and ``data`` holds the values."""
    from mobility_kg.api.routes.places import get_metric_data

    def metric_data() -> tuple[MetricData, EntityGraph]:
        return get_metric_data(request, state), state.graph

    return json_response(answer_question(state.engine, q, metric_data=metric_data))


def json_response(payload: object) -> Response:
    """The hot routes' JSON, serialised straight from the library's dataclasses by orjson.

    The schema (``response_model``) still documents the shape; the tests and schemathesis
    check that the bodies match it. Skipping pydantic's round trip saves about a millisecond
    a request (benchmarks/load_bench.py).
    """
    return Response(orjson.dumps(payload), media_type="application/json")
