"""The search page at / (server-rendered: works without JavaScript)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from mobility_kg.api.deps import StateDep
from mobility_kg.api.validation import not_one_of
from mobility_kg.api.web.pages import TEMPLATES, section_href, title_of
from mobility_kg.errors import InvalidParameter, MobilityKGError
from mobility_kg.ids import EntityType
from mobility_kg.search.answer import answer_question
from mobility_kg.search.engine import Filters, Hit

router = APIRouter(tags=["web"])


def _entity_type(name: str) -> EntityType | None:
    """The type chosen in the form, if any.

    Raises:
        InvalidParameter: not a type (said in the user's words).
    """
    if not name:
        return None
    try:
        return EntityType(name)
    except ValueError:
        raise InvalidParameter("type", not_one_of(name, [t.value for t in EntityType])) from None


@router.get(
    "/",
    response_class=HTMLResponse,
    summary="The web page: ask a question, browse the hits",
    responses={
        200: {"content": {"text/html": {"example": '<!doctype html><html lang="en">...</html>'}}}
    },
)
def home(
    request: Request,
    state: StateDep,
    q: Annotated[str, Query(max_length=1000)] = "",
    type: Annotated[str, Query()] = "",
) -> HTMLResponse:
    """The search form; with ``q``, the answer with citations and the hits."""
    results: list[Hit] | None = None
    answer = None
    error = ""
    if q.strip():
        try:
            entity_type = _entity_type(type)
            if entity_type is None:
                answer = answer_question(state.engine, q)
                results = state.engine.search(q, 10).results
            else:
                results = state.engine.search(
                    q, 10, filters=Filters(entity_type=entity_type)
                ).results
        except MobilityKGError as failure:
            error = str(failure)
    context = {
        "query": q,
        "results": results,
        "answer": answer,
        "error": error,
        "types": [t.value for t in EntityType],
        "selected_type": type,
        "section_href": lambda entity_id, section: section_href(
            state.built.graph, state.built.manifest.base_iri, entity_id, section
        ),
        "title_of": lambda entity_id: title_of(
            state.built.graph, state.built.manifest.base_iri, entity_id
        ),
    }
    return TEMPLATES.TemplateResponse(
        request, "search.html", context, status_code=400 if error else 200
    )
