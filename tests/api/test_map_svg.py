"""The map's colour scale, legend and SVG, on values and shapes small enough to check."""

from __future__ import annotations

import re

from mobility_kg.api.web.charts import gap_bars_svg, signed, trend_svg
from mobility_kg.api.web.map_svg import (
    CITY_RADIUS,
    CITY_ZOOMED,
    MISSING,
    VIRIDIS,
    CityMark,
    Scale,
    city_legend,
    legend,
    map_svg,
    quantile_scale,
    view_box,
)
from mobility_kg.api.web.place_page import _map_href
from mobility_kg.data.geometry import Geometry, Shape
from mobility_kg.data.profile import VariableValue
from mobility_kg.data.query import Value
from mobility_kg.data.subgroups import GroupValue


def _value(number: float, quality: str | None = "Strong", year: int = 2023) -> Value:
    return Value(year, number, None, None, quality, None, None)


def _fmt(value: float) -> str:
    return f"{value:g}"


def test_quintiles_split_ten_values_in_pairs_on_the_viridis_ramp() -> None:
    scale = quantile_scale([float(v) for v in range(10, 0, -1)])
    assert scale.breaks == (2.0, 4.0, 6.0, 8.0)
    assert scale.colors == VIRIDIS
    assert [scale.color(v) for v in (1, 2, 3, 8, 9, 10, 11)] == [
        VIRIDIS[0], VIRIDIS[0], VIRIDIS[1], VIRIDIS[3], VIRIDIS[4], VIRIDIS[4], VIRIDIS[4],
    ]  # fmt: skip


def test_few_distinct_values_get_fewer_classes_spread_over_the_ramp() -> None:
    scale = quantile_scale([1.0, 1.0, 1.0, 1.0, 2.0])
    assert scale.breaks == (1.0,)
    assert scale.colors == (VIRIDIS[0], VIRIDIS[4])  # dark and light, never two near shades
    single = quantile_scale([3.0, 3.0])
    assert single.breaks == () and single.color(3.0) == VIRIDIS[2]


def test_legend_counts_the_shown_counties_by_class_then_weak_and_missing() -> None:
    every = {f"0100{i}": _value(float(i)) for i in range(1, 10)} | {"01010": _value(10.0)}
    every["01005"] = _value(5.0, "Weak")
    scale = quantile_scale([v.value for v in every.values() if v.quality != "Weak"])
    shown = {k: every[k] for k in ("01001", "01002", "01005", "01009")}
    entries = legend(scale, every, shown, 7, _fmt)
    # 9 firm values 1-4, 6-10: breaks at the 1st, 3rd, 5th and 7th (1, 3, 6, 8).
    assert scale.breaks == (1.0, 3.0, 6.0, 8.0)
    assert [(e.label, e.count) for e in entries] == [
        ("1", 1),
        ("2 to 3", 1),
        ("4 to 6", 0),
        ("7 to 8", 0),
        ("9 to 10", 1),
        ("Weak quality: value not shown", 1),
        ("No value", 7),
    ]
    assert entries[-1].fill == MISSING and entries[-2].fill.startswith("url(#")


def _geometry() -> Geometry:
    return Geometry(
        100.0,
        50.0,
        {
            "27001": Shape("27001", "A", "M10 10l5 0 0 5z", (10, 10, 15, 15)),
            "27003": Shape("27003", "B", "M20 10l5 0 0 5z", (20, 10, 25, 20)),
            "06001": Shape("06001", "C", "M60 10l5 0 0 5z", (60, 10, 65, 15)),
            "06003": Shape("06003", "D", "M70 10l5 0 0 5z", (70, 10, 75, 15)),
        },
        {"27": Shape("27", "Minnesota", "M10 10l15 0 0 10z", (10, 10, 25, 20))},
        {},
    )


def test_every_county_is_filled_linked_and_titled() -> None:
    values = {"27001": _value(1.0), "27003": _value(2.0, "Weak"), "06001": _value(3.0)}
    scale = Scale((1.5,), (VIRIDIS[0], VIRIDIS[4]))
    names = {"27001": "A County, MN", "27003": "B <&> County, MN", "06001": "C County, CA"}
    svg = map_svg(_geometry(), values, scale, title="T & co", names=names, fmt=_fmt)
    fills = re.findall(r'<path d="[^"]*" fill="([^"]+)"/>', svg)
    assert fills == [VIRIDIS[0], "url(#weak)", VIRIDIS[4], MISSING]
    assert '<a href="/id/place/27001" data-fips="27001"><title>A County, MN: 1</title>' in svg
    assert "<title>B &lt;&amp;&gt; County, MN: 2 (Weak quality)</title>" in svg
    assert 'aria-label="T &amp; co"' in svg and 'viewBox="0.0 0.0 100.0 50.0"' in svg
    assert svg.count("<a ") == 3  # 06003 has no page: drawn, not linked


def test_a_state_zooms_to_its_counties_and_draws_only_them() -> None:
    geometry = _geometry()
    assert view_box(geometry, "27") == (4.0, 4.0, 27.0, 22.0)
    assert view_box(geometry, "99") == (0.0, 0.0, 100.0, 50.0)
    svg = map_svg(geometry, {}, Scale(()), title="t", names={}, fmt=_fmt, state_code="27")
    assert svg.count('fill="#d4d4d4"') == 2 and 'viewBox="4.0 4.0 27.0 22.0"' in svg


def test_cities_are_drawn_over_the_counties_filled_on_their_scale() -> None:
    scale = Scale((1.5,), (VIRIDIS[0], VIRIDIS[4]))
    cities = [
        CityMark("2700001", (12.0, 12.0), "Low <city>, MN", _value(1.0)),
        CityMark("2700002", (22.0, 12.0), "High, MN", _value(2.0)),
        CityMark("2700003", (23.0, 13.0), "Weak, MN", _value(9.0, "Weak")),
        CityMark("2700004", (24.0, 14.0), "None, MN", None),
    ]
    svg = map_svg(_geometry(), {}, scale, title="t", names={}, fmt=_fmt, cities=cities)
    # After the counties and the state lines, so a point is on top and clicked first.
    assert svg.index('<g class="cities"') > svg.index('<g class="states"')
    marks = re.findall(r'data-city="(\d+)"><title>([^<]+)</title><circle ([^>]+)/>', svg)
    assert [m[0] for m in marks] == ["2700001", "2700002", "2700003", "2700004"]
    assert marks[0][1] == "Low &lt;city&gt;, MN (city): 1"
    fills = [re.search(r'fill="([^"]+)"', m[2]).group(1) for m in marks]  # type: ignore[union-attr]
    assert fills == [VIRIDIS[0], VIRIDIS[4], "url(#weak)", MISSING]
    assert "stroke-dasharray" in marks[2][2] and "stroke-dasharray" not in marks[1][2]
    assert f'r="{CITY_RADIUS:g}"' in marks[0][2]  # the whole map: the national size
    zoomed = map_svg(
        _geometry(), {}, scale, title="t", names={}, fmt=_fmt, state_code="27", cities=cities
    )
    radius = float(re.findall(r'<circle [^>]*r="([\d.]+)"', zoomed)[0])
    # Minnesota's view is 27 x 22 of 100 x 50: a circle keeps about its size on screen.
    assert radius == round(CITY_RADIUS * max(27 / 100, 22 / 50) * CITY_ZOOMED, 3)
    counts = [(e.label, e.count, e.city) for e in city_legend(cities)]
    assert counts == [
        ("City of 75,000+ people: coloured as counties", 2, True),
        ("City, Weak quality: value not shown", 1, True),
        ("City without a value", 1, True),
    ]
    assert "data-city" not in map_svg(_geometry(), {}, scale, title="t", names={}, fmt=_fmt)


def test_trend_chart_says_every_year_in_words_and_marks_weak_years() -> None:
    years = {2021: _value(0.5, year=2021), 2023: _value(0.25, "Weak", year=2023)}
    svg = trend_svg("Employed", years, "share")
    assert 'aria-label="Employed, by year: 2021: 50.0%; 2023: 25.0% (weak)"' in svg
    assert svg.count("<circle") == 2 and 'fill="#fff"' in svg  # the Weak year hollow
    assert "<polyline" in svg
    assert "<polyline" not in trend_svg("One", {2021: _value(1.0, year=2021)}, "ratio")


def test_gap_bars_share_one_scale_and_say_the_gap() -> None:
    groups = [GroupValue("Female", _value(0.8), -0.05), GroupValue("Male", _value(0.9), 0.05)]
    bars = gap_bars_svg(groups, _value(0.85), "share")
    assert 'aria-label="Female: 80.0%, \u22125.0 pts from all residents (85.0%)"' in bars["Female"]
    assert 'width="120.0"' in bars["Male"]  # the largest value fills the bar
    assert 'width="106.7"' in bars["Female"]
    assert signed(0.0, "ratio") == "±0.00"


def test_a_variable_links_to_its_county_map_only_with_years_the_counties_have() -> None:
    value = VariableValue(
        "rate_crime_violent", "Violent crimes", "rate per 100,000", False, 2023, 950.0,
        None, None, "Marginal", 17.0, 50.0, 83.0, 2021, None,
    )  # fmt: skip
    href = "/metrics/crime-rates?variable=rate_crime_violent"
    assert _map_href(value, [2021, 2023], "MN") == f"{href}&year=2023&state=MN"
    assert _map_href(value, [2021, 2022], "MN") == f"{href}&state=MN"  # the latest instead
    assert _map_href(value, [], "MN") == ""  # a city-only variable has no county map
