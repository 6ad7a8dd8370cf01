"""/metrics/{slug}: a US county map of one of a metric's variables for one year, optionally
zoomed to a state (server-rendered SVG; works without JavaScript and offline)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from mobility_kg.api.deps import StateDep
from mobility_kg.api.problems import PROBLEM_RESPONSES
from mobility_kg.api.routes.places import DataDep, metric_variables
from mobility_kg.api.state import AppState
from mobility_kg.api.web.charts import number
from mobility_kg.api.web.map_svg import (
    LEGEND_PATTERN,
    CityMark,
    LegendEntry,
    city_legend,
    hatch_pattern,
    legend,
    map_svg,
    quantile_scale,
)
from mobility_kg.api.web.pages import TEMPLATES, title_of
from mobility_kg.config import shipped_corpus_dir
from mobility_kg.data.city_points import CITY_POINTS_FILE, read_city_points
from mobility_kg.data.geometry import GEOMETRY_FILE, Geometry, read_geometry
from mobility_kg.data.query import MetricData
from mobility_kg.data.sources import STATES, VARIABLES, Level
from mobility_kg.errors import InvalidParameter, MissingArtifact

router = APIRouter(tags=["web"], responses=PROBLEM_RESPONSES)
CACHE_SIZE = 32  # rendered maps kept per process (a national map is about 1 MB of SVG)
_LOCK = threading.Lock()


class MapCache:
    """The geometry and city points, read once, and the last rendered maps, least recently
    used first out."""

    def __init__(
        self,
        geometry: Geometry,
        city_points: dict[str, tuple[float, float]] | None = None,
        size: int = CACHE_SIZE,
    ) -> None:
        self.geometry = geometry
        self.city_points = city_points or {}
        self.size = size
        self._maps: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> dict[str, Any] | None:
        with self._lock:
            found = self._maps.get(key)
            if found is not None:
                self._maps.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], value: dict[str, Any]) -> None:
        with self._lock:
            self._maps[key] = value
            self._maps.move_to_end(key)
            while len(self._maps) > self.size:
                self._maps.popitem(last=False)


def geometry_path(state: AppState, name: str = GEOMETRY_FILE) -> Path:
    """A map file (default the geometry): the corpus's ``data/`` first, else the shipped
    corpus's.

    Raises:
        MissingArtifact: neither has it.
    """
    folders = [state.settings.corpus_dir, shipped_corpus_dir()]
    for folder in folders:
        if folder is not None and (folder / "data" / name).is_file():
            return folder / "data" / name
    command = "map" if name == GEOMETRY_FILE else "cities"
    raise MissingArtifact(name, f"not found; write it with `mobility-kg data {command}`")


def map_cache(request: Request, state: AppState) -> MapCache:
    """The app's map cache, made on first use."""
    with _LOCK:
        cache: MapCache | None = getattr(request.app.state, "map_cache", None)
        if cache is None:
            try:  # the maps work without city points, as before they existed
                points = read_city_points(geometry_path(state, CITY_POINTS_FILE))
            except MissingArtifact:
                points = {}
            cache = MapCache(read_geometry(geometry_path(state)), points)
            request.app.state.map_cache = cache
        return cache


def _state_code(state: str | None) -> tuple[str | None, str | None]:
    """(2-digit FIPS, name) of a state abbreviation.

    Raises:
        InvalidParameter: not a state.
    """
    if not state:
        return None, None
    for code, (abbreviation, name) in STATES.items():
        if abbreviation == state.upper():
            return code, name
    raise InvalidParameter("state", f"unknown state {state!r}; use a code such as MN")


def _cities(
    data: MetricData, cache: MapCache, variable: str, year: int | None, code: str | None
) -> list[CityMark]:
    """The cities with a point (of the state ``code`` only, when given), with their values
    of ``year`` when the variable has city values that year."""
    values: dict[str, Any] = {}
    if year is not None and year in data.years.get((variable, str(Level.CITY)), []):
        values = dict(data.values(variable, Level.CITY, year)[1])
    return [
        CityMark(
            fips, point, f"{data.places[fips].name}, {data.places[fips].state}", values.get(fips)
        )
        for fips, point in sorted(cache.city_points.items())
        if fips in data.places and (code is None or fips.startswith(code))
    ]


def _render(
    data: MetricData,
    cache: MapCache,
    variable: str,
    year: int | None,
    state: str | None,
    show_cities: bool = True,
) -> dict[str, Any]:
    code, state_name = _state_code(state)
    years = data.years.get((variable, str(Level.COUNTY)), [])
    if year is not None and year not in years:
        known = ", ".join(str(y) for y in years) or "none"
        raise InvalidParameter(
            "year", f"{variable} has no county values for {year}; years: {known}"
        )
    found_year, rows = data.values(variable, Level.COUNTY, year)
    described = VARIABLES[variable]
    unit = str(described.unit)
    values = dict(rows)
    shown = {f: v for f, v in values.items() if code is None or f.startswith(code)}
    geometry = cache.geometry
    in_view = [f for f in geometry.counties if code is None or f.startswith(code)]
    scale = quantile_scale([v.value for v in values.values() if v.quality != "Weak"])

    def fmt(value: float) -> str:
        return number(value, unit)

    names = {
        f: f"{data.places[f].name}, {data.places[f].state}" for f in in_view if f in data.places
    }
    where = state_name or "the United States"
    title = f"{described.label} by county, {where}, {found_year or 'no year'}"
    cities = _cities(data, cache, variable, found_year, code) if show_cities else []
    svg = map_svg(
        geometry,
        shown,
        scale,
        title=title,
        names=names,
        fmt=fmt,
        state_code=code,
        cities=cities,
    )
    missing = sum(1 for f in in_view if f not in shown)
    entries: list[LegendEntry] = legend(scale, values, shown, missing, fmt)
    ordered = sorted(
        ((f, v) for f, v in shown.items() if f in data.places),
        key=lambda item: (item[1].value, item[0]),
    )
    city_rows = sorted(
        (c for c in cities if c.value is not None),
        key=lambda c: (c.value.value if c.value else 0.0, c.fips),
    )
    return {
        "svg": svg,
        "cities_drawn": len(cities),
        "city_legend": city_legend(cities) if cities else [],
        "city_rows": [
            {
                "id": f"place/{c.fips}",
                "name": c.name,
                "value": ("≈ " if c.value.quality == "Weak" else "") + fmt(c.value.value),
                "quality": c.value.quality or "Not rated",
            }
            for c in city_rows
            if c.value is not None
        ],
        "legend_pattern": hatch_pattern(LEGEND_PATTERN, 5, 2),
        "legend": entries,
        "title": title,
        "year": found_year,
        "years": years,
        "drawn": len(in_view),
        "with_values": len(shown),
        "weak": sum(1 for v in shown.values() if v.quality == "Weak"),
        "rows": [
            {
                "id": f"place/{f}",
                "name": names.get(f, f),
                "value": ("≈ " if v.quality == "Weak" else "") + fmt(v.value),
                "quality": v.quality or "Not rated",
            }
            for f, v in ordered
        ],
    }


@router.get(
    "/metrics/{slug}",
    response_class=HTMLResponse,
    summary="A county map of a metric's variable (HTML with an SVG map)",
    responses={
        200: {"content": {"text/html": {"example": '<!doctype html><html lang="en">...</html>'}}}
    },
)
def metric_map(
    request: Request,
    state: StateDep,
    data: DataDep,
    slug: str,
    variable: Annotated[str | None, Query(description="Default: the metric's first.")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Default: latest.")] = None,
    state_filter: Annotated[
        str | None,
        Query(alias="state", pattern="^[A-Za-z]{0,2}$", description="Zoom to a state: MN."),
    ] = None,
    cities: Annotated[
        Literal["show", "hide"], Query(description="Draw the cities as points (default show).")
    ] = "show",
) -> HTMLResponse:
    """Counties coloured by one variable's value in one year (viridis quintiles; Weak values
    hatched, missing grey), each a link to its place page, and the cities as points on the
    same scale (``cities=hide`` leaves them out); ``state`` zooms to a state."""
    names = metric_variables(slug)
    chosen = variable or names[0]
    if chosen not in names:
        raise InvalidParameter("variable", f"metric/{slug} has the variables {', '.join(names)}")
    cache = map_cache(request, state)
    key = (id(state), chosen, year, (state_filter or "").upper(), cities)
    rendered = cache.get(key)
    if rendered is None:
        rendered = _render(data, cache, chosen, year, state_filter or None, cities == "show")
        cache.put(key, rendered)
    described = VARIABLES[chosen]
    context = {
        **rendered,
        "metric": f"metric/{slug}",
        "metric_label": title_of(
            state.built.graph, state.built.manifest.base_iri, f"metric/{slug}"
        ),
        "slug": slug,
        "variables": [(n, VARIABLES[n].label) for n in names],
        "variable": chosen,
        "direction": (
            "neither direction is better"
            if described.higher_is_better is None
            else "higher is better"
            if described.higher_is_better
            else "lower is better"
        ),
        "states": sorted(STATES.values(), key=lambda pair: pair[1]),
        "state": (state_filter or "").upper(),
        "cities": cities,
    }
    return TEMPLATES.TemplateResponse(request, "map.html", context)
