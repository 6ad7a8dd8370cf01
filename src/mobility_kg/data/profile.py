"""A place's profile, a ranking of places, and a comparison, from :class:`MetricData`.

The profile walks the graph place -> metric -> predictor -> strategy: every variable's latest
value sits under its metric, predictor and pillar; a predictor whose variables place the
place in the bottom quartile nationally (on average, in the direction that is better) is
flagged, and the strategies that address it follow, strongest evidence first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mobility_kg.data.query import MetricData, PlaceInfo, Value
from mobility_kg.data.sources import ALL, STATES, VARIABLES, Level, Variable
from mobility_kg.errors import InvalidParameter
from mobility_kg.graph.traverse import EntityGraph, StrategyLink

WEAK_BELOW = 25.0  # standing (0-100, higher is better) under which a predictor is flagged
# The framework's order of pillars (as upward-mobility.urban.org places them); predictors and
# metrics follow the order of their first variable in VARIABLES (the data dictionary's).
PILLAR_ORDER = (
    "pillar/rewarding-work",
    "pillar/opportunity-rich-inclusive-neighborhoods",
    "pillar/high-quality-education",
    "pillar/healthy-environment-health-care",
    "pillar/responsive-just-governance",
)
_VARIABLE_ORDER = {name: index for index, name in enumerate(VARIABLES)}


def framework_rank(data: MetricData) -> dict[str, int]:
    """Pillar, predictor and metric ids -> their place in the framework's order."""
    order = {pillar: index for index, pillar in enumerate(PILLAR_ORDER)}
    for name in VARIABLES:
        where = data.framework.get(name)
        if where is not None:
            for node in (where.pillar, where.predictor, where.metric):
                order.setdefault(node, len(order))
    return order


@dataclass(frozen=True, slots=True)
class VariableValue:
    variable: str
    label: str
    unit: str
    higher_is_better: bool | None
    year: int
    value: float
    lower_bound: float | None
    upper_bound: float | None
    quality: str | None
    national_percentile: float | None
    state_percentile: float | None
    standing: float | None  # national percentile turned so that higher is better
    first_year: int
    change_since_first_year: float | None


@dataclass(frozen=True, slots=True)
class MetricValues:
    id: str
    label: str
    variables: list[VariableValue]


@dataclass(frozen=True, slots=True)
class PredictorProfile:
    id: str
    label: str
    standing: float | None
    bottom_quartile: bool
    metrics: list[MetricValues]
    strategies: list[StrategyLink] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PillarProfile:
    id: str
    label: str
    predictors: list[PredictorProfile]


@dataclass(frozen=True, slots=True)
class Profile:
    place: PlaceInfo
    subgroup: str
    year: int | None
    pillars: list[PillarProfile]
    weakest: list[str]


def standing(variable: Variable, percentile: float | None) -> float | None:
    """A national percentile turned so that 100 is best, or None without a direction."""
    if percentile is None or variable.higher_is_better is None:
        return None
    return percentile if variable.higher_is_better else 100.0 - percentile


def _latest(years: dict[int, Value], year: int | None) -> Value | None:
    eligible = [y for y in years if year is None or y <= year]
    return years[max(eligible)] if eligible else None


def profile(
    data: MetricData,
    entities: EntityGraph,
    query: str,
    *,
    year: int | None = None,
    subgroup: str | None = None,
) -> Profile:
    """The profile of the place ``query`` names (FIPS, compact id or name).

    ``year`` takes each variable's latest value up to that year. Percentiles, and so the
    flags, exist for the whole population only.

    Raises:
        UnknownEntityError: no such place (with the closest matches).
        InvalidParameter: an unknown subgroup.
    """
    place = data.resolve(query)
    group = data.subgroup(subgroup)
    observed = data.observations(place.fips, group)
    first = min((y for years in observed.values() for y in years), default=None)
    if year is not None and first is not None and year < first:
        raise InvalidParameter(
            "year", f"{place.name} has no values up to {year}; its first are from {first}"
        )
    by_predictor: dict[str, dict[str, list[VariableValue]]] = {}
    for name, years in sorted(observed.items()):
        where = data.framework.get(name)
        latest = _latest(years, year)
        if where is None or latest is None:
            continue
        variable = VARIABLES[name]
        first_year = min(years)
        change = latest.value - years[first_year].value if first_year < latest.year else None
        entry = VariableValue(
            name,
            variable.label,
            str(variable.unit),
            variable.higher_is_better,
            latest.year,
            latest.value,
            latest.lower_bound,
            latest.upper_bound,
            latest.quality,
            latest.national_percentile,
            latest.state_percentile,
            standing(variable, latest.national_percentile),
            first_year,
            change,
        )
        by_predictor.setdefault(where.predictor, {}).setdefault(where.metric, []).append(entry)
    pillars: dict[str, list[PredictorProfile]] = {}
    labels = {}
    for where in data.framework.values():
        labels[where.pillar] = where.pillar_label
        labels[where.predictor] = where.predictor_label
        labels[where.metric] = where.metric_label
    pillar_of = {w.predictor: w.pillar for w in data.framework.values()}
    weakest = []
    order = framework_rank(data)
    for predictor, metrics in sorted(by_predictor.items(), key=lambda item: order[item[0]]):
        scores = [v.standing for vs in metrics.values() for v in vs if v.standing is not None]
        score = round(sum(scores) / len(scores), 1) if scores else None
        weak = score is not None and score < WEAK_BELOW
        strategies = entities.strategies_for(predictor) if weak else []
        if weak:
            weakest.append((score, predictor))
        pillars.setdefault(pillar_of[predictor], []).append(
            PredictorProfile(
                predictor,
                labels[predictor],
                score,
                weak,
                [
                    MetricValues(
                        m, labels[m], sorted(vs, key=lambda v: _VARIABLE_ORDER[v.variable])
                    )
                    for m, vs in sorted(metrics.items(), key=lambda item: order[item[0]])
                ],
                strategies,
            )
        )
    return Profile(
        place,
        data.subgroups.get(group, "all"),
        year,
        [
            PillarProfile(p, labels[p], preds)
            for p, preds in sorted(pillars.items(), key=lambda item: order[item[0]])
        ],
        [predictor for _, predictor in sorted(weakest)],
    )


@dataclass(frozen=True, slots=True)
class RankedPlace:
    rank: int
    place: str
    name: str
    state: str
    value: float
    lower_bound: float | None
    upper_bound: float | None
    quality: str | None
    national_percentile: float | None
    state_percentile: float | None


@dataclass(frozen=True, slots=True)
class Ranking:
    variable: str
    label: str
    unit: str
    level: str
    year: int | None
    subgroup: str
    state: str | None
    order: str
    places: list[RankedPlace]
    total: int


def rank(
    data: MetricData,
    variable: str,
    *,
    level: str = "county",
    state: str | None = None,
    year: int | None = None,
    subgroup: str | None = None,
    worst: bool = False,
    limit: int = 10,
) -> Ranking:
    """Places ordered by one variable, best first (``worst``: worst first).

    "Best" follows the variable's direction; where neither direction is better, the highest
    value comes first. ``state`` is a two-letter code; ``year`` defaults to the latest.

    Raises:
        UnknownEntityError: an unknown variable.
        InvalidParameter: an unknown level, state or subgroup, or a limit below 1.
    """
    described = data.variable(variable)
    try:
        geography = Level(level)
    except ValueError:
        raise InvalidParameter("level", f"must be county or city, got {level!r}") from None
    if limit < 1:
        raise InvalidParameter("limit", f"must be 1 or more, got {limit}")
    state_code = None
    if state is not None:
        codes = {abbr: code for code, (abbr, _) in STATES.items()}
        state_code = codes.get(state.upper())
        if state_code is None:
            raise InvalidParameter("state", f"unknown state {state!r}; use a code such as MN")
    group = data.subgroup(subgroup)
    found_year, rows = data.values(variable, geography, year, group)
    if not rows and group != ALL:
        raise InvalidParameter(
            "subgroup",
            f"{variable} has no {geography} values for the subgroup {data.subgroups[group]}",
        )
    if state_code is not None:
        rows = [(f, v) for f, v in rows if f.startswith(state_code)]
    descending = described.higher_is_better is not False
    if worst:
        descending = not descending
    rows.sort(key=lambda item: (-item[1].value if descending else item[1].value, item[0]))
    places = []
    for position, (fips, value) in enumerate(rows[:limit], start=1):
        info = data.places.get(fips)
        places.append(
            RankedPlace(
                position,
                f"place/{fips}",
                info.name if info else fips,
                info.state if info else "",
                value.value,
                value.lower_bound,
                value.upper_bound,
                value.quality,
                value.national_percentile,
                value.state_percentile,
            )
        )
    return Ranking(
        variable,
        described.label,
        str(described.unit),
        str(geography),
        found_year,
        data.subgroups.get(group, "all"),
        state.upper() if state else None,
        "worst first" if worst else "best first",
        places,
        len(rows),
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    places: list[PlaceInfo]
    subgroup: str
    year: int | None
    variables: dict[str, list[VariableValue | None]]


def compare(
    data: MetricData,
    entities: EntityGraph,
    queries: list[str],
    *,
    year: int | None = None,
    subgroup: str | None = None,
) -> Comparison:
    """Several places side by side: every variable's latest value for each.

    Raises:
        UnknownEntityError: a place that cannot be resolved.
        InvalidParameter: fewer than two places, one place twice, or an unknown subgroup.
    """
    if len(queries) < 2:
        raise InvalidParameter("places", "compare needs two or more places")
    seen: set[str] = set()
    for query in queries:  # resolved first: a repeated place fails before any profile is read
        fips = data.resolve(query).fips
        if fips in seen:
            raise InvalidParameter("places", f"{query!r} names place/{fips} again")
        seen.add(fips)
    profiles = [profile(data, entities, q, year=year, subgroup=subgroup or ALL[0]) for q in queries]
    table: dict[str, list[VariableValue | None]] = {}
    for index, one in enumerate(profiles):
        for pillar in one.pillars:
            for predictor in pillar.predictors:
                for metric in predictor.metrics:
                    for value in metric.variables:
                        row = table.setdefault(value.variable, [None] * len(profiles))
                        row[index] = value
    return Comparison(
        [p.place for p in profiles],
        profiles[0].subgroup,
        year,
        dict(sorted(table.items())),
    )
