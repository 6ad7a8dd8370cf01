"""Places and metric values (issue 9): a place, its profile, and a metric's values by place."""

from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from mobility_kg.api.data_schemas import PlaceOut, ProfileOut, ValuesOut
from mobility_kg.api.deps import StateDep
from mobility_kg.api.problems import PROBLEM_RESPONSES
from mobility_kg.api.state import AppState
from mobility_kg.artifacts import artifact_path
from mobility_kg.data.profile import profile, rank
from mobility_kg.data.query import MetricData
from mobility_kg.data.sources import VARIABLES
from mobility_kg.errors import InvalidParameter, UnknownEntityError
from mobility_kg.ids import closest_ids

router = APIRouter(prefix="/api", tags=["places"], responses=PROBLEM_RESPONSES)
_OPEN_LOCK = threading.Lock()


def get_metric_data(request: Request, state: StateDep) -> MetricData:
    """The metric data of the build the app serves, opened on first use and kept with it.

    A build without metric data serves no places (404) and no values (an empty list).
    """
    with _OPEN_LOCK:
        cached: tuple[AppState, MetricData] | None = getattr(request.app.state, "metric_data", None)
        if cached is not None and cached[0] is state:
            return cached[1]
        built = state.built
        base = built.manifest.base_iri
        if state.remote is not None:  # the values come from the remote store
            data = MetricData(state.remote, built.graph, base)
        elif "store" in built.manifest.files:
            path = artifact_path(state.settings.data_dir, built.manifest, "store")
            table = (
                artifact_path(state.settings.data_dir, built.manifest, "table")
                if "table" in built.manifest.files
                else None
            )
            data = MetricData.open(path, built.graph, base, table)
        else:
            data = MetricData(None, built.graph, base)
        request.app.state.metric_data = (state, data)
        return data


DataDep = Annotated[MetricData, Depends(get_metric_data)]


def place_suggestions(data: MetricData, fips: str, limit: int = 3) -> list[str]:
    """The places closest to ``fips``, as ids: those whose FIPS starts with it (a partial
    code), then the place a name names, then the closest codes (as for every entity)."""
    found = [f"place/{f}" for f in sorted(data.places) if fips and f.startswith(fips)]
    try:
        found.append(data.resolve(fips).id)  # "/api/places/ramsey-county-mn"
    except UnknownEntityError as error:
        found += [s.partition(" ")[0] for s in error.suggestions]
    found += closest_ids(f"place/{fips}", [p.id for p in data.places.values()], limit)
    return list(dict.fromkeys(found))[:limit]


def _place(data: MetricData, fips: str) -> Any:
    """The place with this FIPS code.

    Raises:
        UnknownEntityError: none (the closest places are suggested).
    """
    if fips not in data.places:
        raise UnknownEntityError(f"place/{fips}", place_suggestions(data, fips))
    return data.places[fips]


def metric_variables(slug: str) -> list[str]:
    """The variables of ``metric/<slug>``, in the data dictionary's order.

    Raises:
        UnknownEntityError: no metric with data has that slug (the closest are suggested).
    """
    metric = f"metric/{slug}"
    names = [name for name, v in VARIABLES.items() if v.metric == metric]
    if not names:
        metrics = sorted({v.metric for v in VARIABLES.values()})
        raise UnknownEntityError(metric, closest_ids(metric, metrics))
    return names


@router.get("/places/{fips}", response_model=PlaceOut, summary="One county or city")
def place(data: DataDep, fips: str) -> PlaceOut:
    """A county (5-digit FIPS) or city (7-digit state + place FIPS): name, state, level and,
    for a city, the counties it lies in."""
    return PlaceOut.model_validate(asdict(_place(data, fips)))


@router.get("/places/{fips}/profile", response_model=ProfileOut, summary="A place's metric profile")
def place_profile(
    data: DataDep,
    state: StateDep,
    fips: str,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="Latest up to this year.")
    ] = None,
    subgroup: Annotated[str | None, Query(description="type/label, e.g. gender/female.")] = None,
) -> ProfileOut:
    """Every variable's latest value by pillar and predictor, with bounds, quality, national
    and state percentiles and the change since the first year; predictors in the bottom
    quartile nationally are flagged, with the strategies that address them."""
    _place(data, fips)
    result = profile(data, state.graph, fips, year=year, subgroup=subgroup)
    return ProfileOut.model_validate(asdict(result))


@router.get(
    "/metrics/{slug}/values", response_model=ValuesOut, summary="A metric's values by place"
)
def metric_values(
    data: DataDep,
    slug: str,
    variable: Annotated[str | None, Query(description="Default: the metric's first.")] = None,
    level: Annotated[str, Query(pattern="^(county|city)$")] = "county",
    state: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    subgroup: str | None = None,
    worst: bool = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 10,
) -> ValuesOut:
    """Places ranked by one of the metric's variables, best first (``worst``: worst first)."""
    metric = f"metric/{slug}"
    names = metric_variables(slug)
    chosen = variable or names[0]
    if chosen not in names:
        raise InvalidParameter("variable", f"{metric} has the variables {', '.join(names)}")
    result = rank(
        data,
        chosen,
        level=level,
        state=state,
        year=year,
        subgroup=subgroup,
        worst=worst,
        limit=limit,
    )
    body = asdict(result)
    places = body.pop("places")
    return ValuesOut.model_validate(
        {**body, "metric": metric, "count": len(places), "data": places}
    )
