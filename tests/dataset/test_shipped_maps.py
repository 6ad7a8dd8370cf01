"""Maps and place pages over the shipped data built in full (slow)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.conftest import SHIPPED

from mobility_kg.api.app import create_app
from mobility_kg.api.web.charts import number
from mobility_kg.api.web.map_svg import MISSING
from mobility_kg.config import Settings
from mobility_kg.data.geometry import read_geometry
from mobility_kg.data.profile import profile
from mobility_kg.data.sources import Level
from mobility_kg.data.stage import open_metric_data
from mobility_kg.search.embedder import MiniLMEmbedder

pytestmark = pytest.mark.slow
GEOMETRY = read_geometry(SHIPPED / "data" / "counties-albers.json.gz")


@pytest.fixture(scope="module")
def client(shipped_settings: Settings, embedder: MiniLMEmbedder) -> Iterator[TestClient]:
    with TestClient(create_app(shipped_settings, embedder)) as test_client:
        yield test_client


def test_the_national_map_colours_every_county_with_a_firm_value(
    client: TestClient, shipped_settings: Settings
) -> None:
    data, _ = open_metric_data(shipped_settings.data_dir)
    year, rows = data.values("share_employed", Level.COUNTY)
    page = client.get("/metrics/employment-to-population-ratio").text
    fills = dict(
        re.findall(
            r'<a href="/id/place/(\d+)" data-fips="\d+"><title>[^<]*</title><path d="[^"]+" fill="([^"]+)"',
            page,
        )
    )
    assert len(fills) == len(GEOMETRY.counties) == 3142  # every county is a place with a page
    values = dict(rows)
    for fips, fill in fills.items():
        value = values.get(fips)
        if value is None:
            assert fill == MISSING
        elif value.quality == "Weak":
            assert fill == "url(#weak)"
        else:
            assert fill.startswith("#") and fill != MISSING
    assert f"by county, the United States, {year}</h1>" in page


def test_ramsey_county_page_shows_its_profile_and_race_gaps(
    client: TestClient, shipped_settings: Settings
) -> None:
    data, entities = open_metric_data(shipped_settings.data_dir)
    expected = profile(data, entities, "27123")
    page = client.get("/id/place/27123", headers={"Accept": "text/html"}).text
    employed = next(
        v
        for pillar in expected.pillars
        for p in pillar.predictors
        for m in p.metrics
        for v in m.variables
        if v.variable == "share_employed"
    )
    assert f"<strong>{number(employed.value, 'share')}</strong>" in page
    groups = page[page.index('id="groups-title"') :]
    assert "by race and ethnicity" in groups[: groups.index("</summary>")]  # race first
    assert page.count('class="weakest"') == (1 if expected.weakest else 0)
