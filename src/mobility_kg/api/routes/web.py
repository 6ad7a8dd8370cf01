"""The search page at / (server-rendered: works without JavaScript)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from mobility_kg.api.deps import StateDep
from mobility_kg.api.state import AppState
from mobility_kg.api.validation import not_one_of
from mobility_kg.api.web.charts import percentile_svg
from mobility_kg.api.web.pages import TEMPLATES, section_href, title_of
from mobility_kg.errors import InvalidParameter, MobilityKGError
from mobility_kg.ids import EntityType
from mobility_kg.search.answer import Answer, MetricSource, answer_question
from mobility_kg.search.engine import Filters, Hit
from mobility_kg.search.place_answer import format_value

if TYPE_CHECKING:
    from mobility_kg.data.query import MetricData
    from mobility_kg.graph.traverse import EntityGraph

router = APIRouter(tags=["web"])


def _metric_data(request: Request, state: AppState) -> MetricSource:
    """Opens the served build's metric data, for an answer about places' data."""
    from mobility_kg.api.routes.places import get_metric_data

    def opened() -> tuple[MetricData, EntityGraph]:
        return get_metric_data(request, state), state.graph

    return opened


def data_rows(answer: Answer) -> list[dict[str, str]]:
    """The values a data answer states, as table cells: the place and measure linked to their
    pages, the value as a reader expects it (Weak ones marked), and where it stands."""
    rows = []
    for value in answer.data:
        shown = format_value(value.value, value.unit)
        if value.lower_bound is not None and value.upper_bound is not None:
            shown += (
                f" ({format_value(value.lower_bound, value.unit)} to "
                f"{format_value(value.upper_bound, value.unit)})"
            )
        metric = value.metric.removeprefix("metric/")
        rows.append(
            {
                "place": value.place,
                "place_name": value.place_name,
                "label": value.label + (f" ({value.subgroup})" if value.subgroup != "all" else ""),
                "map": f"/metrics/{metric}?variable={value.variable}&state={value.state}",
                "year": str(value.year),
                "value": ("≈ " if value.weak else "") + shown,
                "quality": value.quality or "",
                "weak": "weak" if value.weak else "",
                "percentile": percentile_svg(
                    f"{value.place_name}, {value.label}", value.national_percentile
                ),
                "source_url": value.source_url,
            }
        )
    return rows


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
                answer = answer_question(state.engine, q, metric_data=_metric_data(request, state))
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
        "data_rows": data_rows(answer) if answer is not None else [],
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
