"""Place pages and maps in Chromium (marked browser): values checked against MetricData,
axe-core's WCAG 2.1 AA rules, the map's fills and legend, a click on a county, keyboard
order and phone width. The server runs over the fixture build (three counties with data)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.api.conftest import running_server
from tests.api.test_accessibility import _focus_sequence, _violations

from mobility_kg.api.web.charts import number
from mobility_kg.config import Settings
from mobility_kg.data.profile import profile
from mobility_kg.data.stage import open_metric_data

pytestmark = pytest.mark.browser
PAGES = [
    "/id/place/27123",
    "/id/place/01001",
    "/id/place/2758000",
    "/metrics/injury-deaths",
    "/metrics/crime-rates?variable=rate_crime_property&state=PA",
    "/?q=How+is+Ramsey+County+doing+on+housing%3F",
]


@pytest.fixture(scope="module")
def data_server(data_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("data-server") / "server.log"
    with running_server(data_settings.data_dir, log) as base:
        yield base


def test_a_county_page_shows_the_values_of_the_data(
    browser, data_server: str, data_settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    data, entities = open_metric_data(data_settings.data_dir)
    expected = profile(data, entities, "27123")
    values = {
        v.variable: v
        for pillar in expected.pillars
        for p in pillar.predictors
        for m in p.metrics
        for v in m.variables
    }
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(data_server + "/id/place/27123")
    for name in ("share_employed", "pctl_income_50", "rate_injury_death"):
        v = values[name]
        row = page.locator(
            "table.values tr", has=page.get_by_role("link", name=v.label, exact=True)
        )
        cells = row.locator("td")
        assert cells.nth(0).inner_text() == f"{number(v.value, v.unit)} in {v.year}"
        assert cells.nth(2).inner_text() == (v.quality or "Not rated")
        assert cells.nth(3).inner_text().startswith(f"{v.national_percentile:.0f} · ")
        chart = cells.nth(4).get_by_role("img")
        assert f"{v.year}: {number(v.value, v.unit)}" in (chart.get_attribute("aria-label") or "")
    page.close()


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_wcag_violation_and_nothing_is_wider_than_the_screen(
    browser, data_server: str, path: str, width: int
) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(data_server + path)
    assert _violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_the_map_fills_every_county_has_a_legend_and_a_click_opens_the_county(
    browser, data_server: str
) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(data_server + "/metrics/injury-deaths")
    fills = page.eval_on_selector_all(
        "svg.map g.counties path", "ps => ps.map(p => getComputedStyle(p).fill)"
    )
    assert len(fills) == 3142
    assert all(fill not in ("none", "") for fill in fills)
    assert page.locator("#legend-title").is_visible()
    assert page.locator(".legend-entry").filter(has_text="No value").is_visible()
    page.goto(data_server + "/metrics/injury-deaths?state=MN")
    page.locator('a[data-fips="27123"]').click()
    page.wait_for_url("**/id/place/27123")
    assert page.locator("h1").inner_text() == "Ramsey County, Minnesota"
    page.close()


def test_a_city_point_renders_and_a_click_opens_the_city(browser, data_server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(data_server + "/metrics/crime-rates?state=MN")
    point = page.locator('a[data-city="2758000"] circle')
    point.scroll_into_view_if_needed()
    assert point.is_visible()
    box = point.bounding_box()
    assert box is not None and box["width"] >= 6  # a point one can see and click
    fill = point.evaluate("c => getComputedStyle(c).fill")
    assert fill not in ("none", "")
    assert page.locator(".legend-city").first.is_visible()
    # The point is drawn over the county: a click at its centre opens the city, not Ramsey.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/id/place/2758000")
    assert page.locator("h1").inner_text().startswith("St. Paul")  # the city, not its county
    page.close()


def test_tab_reaches_the_where_to_act_links_in_order(
    browser, data_server: str, data_settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    data, entities = open_metric_data(data_settings.data_dir)
    expected = profile(data, entities, "01001")
    wanted = []
    for predictor in expected.weakest:
        wanted.append(f"/id/{predictor}")
        wanted += [f"/id/{s.id}" for s in entities.strategies_for(predictor)]
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(data_server + "/id/place/01001")
    sequence = _focus_sequence(page, 3 + len(wanted))
    # The skip link, home, the place's source, then the box: each predictor, its strategies.
    assert sequence == ["#main", "/", page.locator("main a").first.get_attribute("href"), *wanted]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{wanted[-1]}")
    page.close()


def test_the_map_form_works_by_keyboard(browser, data_server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(data_server + "/metrics/crime-rates")
    page.locator("#variable").select_option("rate_crime_property")
    page.locator("#state").select_option("PA")
    page.locator("#state").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "cities"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Show map"
    page.keyboard.press("Enter")
    page.wait_for_url("**state=PA**")
    assert "Property crimes" in page.locator("h1").inner_text()
    assert "Pennsylvania" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()
