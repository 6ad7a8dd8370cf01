"""A place's page: its profile (where to act, pillars and predictors in the framework's order,
every variable's latest value with bounds, quality, percentiles and a trend chart), its
subgroup tables with the gaps between groups, and the text of its document when it has one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from mobility_kg.api.web.charts import gap_bars_svg, number, signed, trend_svg
from mobility_kg.data.profile import PredictorProfile, Profile, VariableValue, profile
from mobility_kg.data.query import MetricData, Value
from mobility_kg.data.sources import VARIABLES, Level
from mobility_kg.data.subgroups import SubgroupTable, subgroup_tables
from mobility_kg.graph.traverse import EntityGraph

# How a subgroup type reads in a table's title ("... by race and ethnicity, 2023").
GROUP_KINDS = {
    "race-ethnicity": "race and ethnicity",
    "race-share": "racial makeup of the neighborhood",
    "mothers-education": "mother's education",
    "poverty": "neighborhood poverty",
}
QUALITY_NOTES = {
    "Strong": "Strong",
    "Marginal": "Marginal: use with care",
    "Weak": "Weak: not reliable",
}


@dataclass(frozen=True, slots=True)
class Row:
    """One variable as the page shows it."""

    value: VariableValue
    shown: str  # the value, prefixed with "≈" when its quality is Weak
    bounds: str
    quality: str
    quality_class: str
    direction: str
    trend: Markup
    map_href: str


@dataclass(frozen=True, slots=True)
class GroupRow:
    label: str
    value: str
    gap: str
    quality: str
    bar: Markup


@dataclass(frozen=True, slots=True)
class GroupTable:
    caption: str
    overall: str
    rows: list[GroupRow]
    subgroup_type: str


def _direction(value: VariableValue) -> str:
    if value.higher_is_better is None:
        return "neither direction is better"
    return "higher is better" if value.higher_is_better else "lower is better"


def _bounds(value: VariableValue | Value, unit: str) -> str:
    if value.lower_bound is None or value.upper_bound is None:
        return "-"
    return f"{number(value.lower_bound, unit)} to {number(value.upper_bound, unit)}"


def _shown(value: float, quality: str | None, unit: str) -> str:
    return ("≈ " if quality == "Weak" else "") + number(value, unit)


def _map_href(value: VariableValue, county_years: list[int], state: str) -> str:
    """The county map of the variable, zoomed to the place's state, at the value's year when
    the counties have that year (a city's year may be one they lack); "" without county data."""
    if not county_years:
        return ""
    metric_slug = VARIABLES[value.variable].metric.removeprefix("metric/")
    year = f"&year={value.year}" if value.year in county_years else ""
    return f"/metrics/{metric_slug}?variable={value.variable}{year}&state={state}"


def _row(value: VariableValue, years: dict[int, Value], state: str, county_years: list[int]) -> Row:
    quality = value.quality or "Not rated"
    return Row(
        value,
        _shown(value.value, value.quality, value.unit),
        _bounds(value, value.unit),
        QUALITY_NOTES.get(quality, quality),
        quality.lower().replace(" ", "-"),
        _direction(value),
        Markup(trend_svg(value.label, years, value.unit)),  # built from escaped parts
        _map_href(value, county_years, state),
    )


def _group_table(table: SubgroupTable, title: str) -> GroupTable:
    unit = str(VARIABLES[table.variable].unit)
    bars = gap_bars_svg(table.groups, table.overall, unit)
    rows = [
        GroupRow(
            g.label,
            _shown(g.value.value, g.value.quality, unit),
            signed(g.gap, unit),
            g.value.quality or "Not rated",
            Markup(bars[g.label]),  # built from escaped parts
        )
        for g in table.groups
    ]
    kind = GROUP_KINDS.get(table.subgroup_type, table.subgroup_type.replace("-", " "))
    return GroupTable(
        f"{title} by {kind}, {table.year}",
        number(table.overall.value, unit) if table.overall else "-",
        rows,
        table.subgroup_type,
    )


def place_context(data: MetricData, entities: EntityGraph, fips: str) -> dict[str, Any]:
    """What place.html needs for the place ``fips`` (which must be one of ``data.places``).

    Raises:
        UnknownEntityError: no such place.
    """
    found: Profile = profile(data, entities, fips)
    observed = data.observations(fips)
    rows: dict[str, Row] = {}
    for pillar in found.pillars:
        for predictor in pillar.predictors:
            for metric in predictor.metrics:
                for value in metric.variables:
                    rows[value.variable] = _row(
                        value,
                        observed.get(value.variable, {}),
                        found.place.state,
                        data.years.get((value.variable, str(Level.COUNTY)), []),
                    )
    by_id: dict[str, PredictorProfile] = {
        p.id: p for pillar in found.pillars for p in pillar.predictors
    }
    labels = {name: v.label for name, v in VARIABLES.items()}
    return {
        "place": found.place,
        "levels": "counties" if found.place.level == "county" else "cities",
        "profile": found,
        "rows": rows,
        "weakest": [by_id[p] for p in found.weakest],
        "groups": [
            _group_table(t, labels[t.variable]) for t in subgroup_tables(data, fips, observed)
        ],
        "counties": [data.places[c] for c in found.place.counties if c in data.places],
    }
