"""Place pages and maps over the fixture build (three counties and two cities with data),
through the app with its lifespan; the expected numbers come from MetricData, not from here."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.conftest import SHIPPED

from mobility_kg.api.app import create_app
from mobility_kg.api.web.charts import number, signed
from mobility_kg.api.web.map_svg import MISSING, VIRIDIS, quantile_scale
from mobility_kg.config import Settings
from mobility_kg.data.city_points import CITY_POINTS_FILE, read_city_points
from mobility_kg.data.geometry import read_geometry
from mobility_kg.data.profile import PILLAR_ORDER, profile
from mobility_kg.data.query import MetricData
from mobility_kg.data.sources import Level
from mobility_kg.data.stage import open_metric_data
from mobility_kg.data.subgroups import subgroup_tables
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.search.embedder import MiniLMEmbedder

PROBLEM = "application/problem+json"
HTML = {"Accept": "text/html"}
GEOMETRY = read_geometry(SHIPPED / "data" / "counties-albers.json.gz")


@pytest.fixture(scope="module")
def client(data_settings: Settings, embedder: MiniLMEmbedder) -> Iterator[TestClient]:
    with TestClient(create_app(data_settings, embedder)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def opened(data_settings: Settings) -> tuple[MetricData, EntityGraph]:
    return open_metric_data(data_settings.data_dir)


def test_a_county_page_shows_every_latest_value_in_the_framework_order(
    client: TestClient, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, entities = opened
    page = client.get("/id/place/27123", headers=HTML).text
    expected = profile(data, entities, "27123")
    assert "<h1>Ramsey County, Minnesota</h1>" in page
    # The place document's own text is on the page too.
    assert "took part in both of Urban's local programmes" in page
    positions = [
        page.index(f'<a href="/id/{p.id}">{html.escape(p.label)}</a></h3>')
        for p in expected.pillars
    ]
    assert positions == sorted(positions)
    assert [p.id for p in expected.pillars] == list(PILLAR_ORDER)
    rows = 0
    for pillar in expected.pillars:
        for predictor in pillar.predictors:
            for metric in predictor.metrics:
                for v in metric.variables:
                    row = page[page.index(f">{html.escape(v.label)}</a>") :]
                    row = row[: row.index("</tr>")]
                    shown = ("≈ " if v.quality == "Weak" else "") + number(v.value, v.unit)
                    assert f'<strong>{shown}</strong> <span class="year">in {v.year}</span>' in row
                    if v.lower_bound is not None and v.upper_bound is not None:
                        bounds = (
                            f"{number(v.lower_bound, v.unit)} to {number(v.upper_bound, v.unit)}"
                        )
                        assert bounds in row
                    assert (v.quality or "Not rated") in row
                    national = f"{v.national_percentile:.0f}" if v.national_percentile else "-"
                    assert f">{national} · " in row
                    assert 'class="trend" role="img" aria-label="' in row
                    rows += 1
    assert rows == page.count('<tr role="row" class=') == 19


def test_where_to_act_lists_the_weakest_predictors_with_their_strategies(
    client: TestClient, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, entities = opened
    page = client.get("/id/place/01001", headers=HTML).text
    expected = profile(data, entities, "01001")
    assert len(expected.weakest) == 3
    box = page[page.index('id="act-title"') : page.index('id="profile-title"')]
    hrefs = re.findall(r'href="(/id/[^"]+)"', box)
    wanted = []
    for predictor in expected.weakest:
        wanted.append(f"/id/{predictor}")
        wanted += [f"/id/{s.id}" for s in entities.strategies_for(predictor)]
    assert hrefs == wanted
    strategy = entities.strategies_for(expected.weakest[0])[0]
    assert f"{strategy.evidence_strength or 'unrated'} evidence" in box
    # No weak predictor: the box says so.
    ramsey = client.get("/id/place/27123", headers=HTML).text
    assert "No predictor puts Ramsey County in the bottom quarter of counties" in ramsey


def test_subgroup_tables_show_each_group_and_its_gap(
    client: TestClient, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    tables = subgroup_tables(data, "27123")
    # Given the place's values, the query skips the whole population's rows: same tables.
    assert subgroup_tables(data, "27123", data.observations("27123")) == tables
    table = tables[0]
    assert table.subgroup_type == "gender" and [g.label for g in table.groups] == ["Female", "Male"]
    page = client.get("/id/place/27123", headers=HTML).text
    assert f"<summary>Employed, ages 25-54 by gender, {table.year}" in page
    for group in table.groups:
        assert group.gap is not None and table.overall is not None
        gap = round(group.value.value - table.overall.value, 10)
        assert group.gap == gap
        cell = f'data-label="Gap to all">{signed(gap, "share")}</td>'
        assert cell in page


def test_a_place_without_values_and_rdf_still_work(client: TestClient) -> None:
    page = client.get("/id/place/06001", headers=HTML).text
    assert "The Mobility Metrics data has no values for this place." in page
    assert "Alameda" in page
    turtle = client.get("/id/place/27123", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_the_map_fills_every_county_and_links_those_with_a_page(
    client: TestClient, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    page = client.get("/metrics/injury-deaths").text
    fills = re.findall(r'<path d="[^"]+" fill="([^"]+)"/>', page)
    assert len(fills) == len(GEOMETRY.counties) == 3142
    year, rows = data.values("rate_injury_death", Level.COUNTY)
    with_values = {f for f, _ in rows}
    assert sum(fill != MISSING for fill in fills) == len(with_values & set(GEOMETRY.counties))
    linked = re.findall(r'<a href="/id/place/(\d+)" data-fips="\1"><title>([^<]+)</title>', page)
    assert {f for f, _ in linked} == {f for f in data.places if f in GEOMETRY.counties}
    titles = dict(linked)
    ramsey = dict(rows)["27123"]
    assert titles["27123"] == f"Ramsey County, MN: {number(ramsey.value, 'rate per 100,000')}"
    assert f"by county, the United States, {year}</h1>" in page
    assert page.count('class="legend-entry"') >= 3  # value classes, Weak, missing
    assert any(color in fills for color in VIRIDIS)


def test_a_state_map_zooms_to_the_state(client: TestClient) -> None:
    page = client.get("/metrics/employment-to-population-ratio", params={"state": "mn"}).text
    x0, y0, _, _ = GEOMETRY.state_box("27") or (0, 0, 0, 0)
    assert f'viewBox="{round(x0 - 6, 1)} {round(y0 - 6, 1)} ' in page
    assert len(re.findall(r'<path d="[^"]+" fill="', page)) == sum(
        f.startswith("27") for f in GEOMETRY.counties
    )
    assert '<h2 id="table-title">Counties of MN, lowest value first</h2>' in page
    # A metric with several variables offers them; the chosen one is selected.
    several = client.get("/metrics/crime-rates", params={"variable": "rate_crime_property"}).text
    assert '<option value="rate_crime_property" selected>' in several
    assert '<option value="rate_crime_violent">' in several


def test_metric_pages_link_to_their_map(client: TestClient) -> None:
    page = client.get("/id/metric/injury-deaths", headers=HTML).text
    assert '<a href="/metrics/injury-deaths">Map of' in page


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/metrics/no-such-metric", 404),
        ("/metrics/injury-deaths?year=1999", 400),
        ("/metrics/injury-deaths?year=later", 422),
        ("/metrics/injury-deaths?state=ZZ", 400),
        ("/metrics/injury-deaths?state=Minnesota", 422),
        ("/metrics/injury-deaths?variable=share_employed", 400),
    ],
)
def test_bad_map_requests_are_problems_or_error_pages(
    client: TestClient, url: str, status: int
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["status"] == status
    page = client.get(url, headers=HTML)
    assert page.status_code == status and page.headers["content-type"].startswith("text/html")
    assert f"(Error {status}.)" in page.text


def test_cities_are_points_on_the_scale_of_the_counties_linked_to_their_pages(
    client: TestClient, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    points = read_city_points(SHIPPED / "data" / CITY_POINTS_FILE)
    page = client.get("/metrics/crime-rates").text
    marks = re.findall(
        r'<a href="/id/place/(\d+)" data-city="\1"><title>([^<]+)</title>'
        r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" fill="([^"]+)"',
        page,
    )
    cities = {f for f, p in data.places.items() if p.level == Level.CITY}
    assert {m[0] for m in marks} == cities & set(points)
    year, rows = data.values("rate_crime_violent", Level.CITY)
    values = dict(rows)
    county_rows = data.values("rate_crime_violent", Level.COUNTY, year)[1]
    # The counties' own scale: the same quintiles colour the cities.
    scale = quantile_scale([v.value for _, v in county_rows if v.quality != "Weak"])
    for fips, title, x, y, fill in marks:
        assert (float(x), float(y)) == pytest.approx(points[fips], abs=0.01)
        value = values[fips]
        place = data.places[fips]
        said = number(value.value, "rate per 100,000")
        if value.quality == "Weak":
            assert fill == "url(#weak)" and title.endswith(f"{said} (Weak quality)")
        else:
            assert title == f"{place.name}, {place.state} (city): {said}"
            assert fill == scale.color(value.value) and fill in VIRIDIS
    assert 'class="legend-entry legend-city"' in page
    assert "City of 75,000+ people: coloured as counties" in page
    hidden = client.get("/metrics/crime-rates", params={"cities": "hide"}).text
    assert "data-city=" not in hidden and "legend-city" not in hidden
    assert '<option value="hide" selected>' in hidden


def test_a_state_map_draws_and_lists_its_cities(
    client: TestClient, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    page = client.get("/metrics/crime-rates", params={"state": "MN"}).text
    assert re.findall(r'data-city="(\d+)"', page) == ["2758000"]
    _, rows = data.values("rate_crime_violent", Level.CITY)
    value = dict(rows)["2758000"]
    table = page[page.index('id="city-table-title"') :]
    assert "Cities of MN, lowest value first" in table
    assert (
        f'<a href="/id/place/2758000">St. Paul city, MN</a></th><td>'
        f"{number(value.value, 'rate per 100,000')}</td>"
    ) in table
    assert client.get("/metrics/crime-rates", params={"cities": "some"}).status_code == 422
