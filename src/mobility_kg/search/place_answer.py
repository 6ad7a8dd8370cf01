"""Answers from the Mobility Metrics data (issue 10): the values a question about places asks
for, each as a sentence that cites its data set and upstream file, and as a typed record
(:class:`DataValue`), with the framework around them (the predictor, its evidence, its
strategies) as the entities to walk to next."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import PROV

from mobility_kg.data.profile import Ranking, rank
from mobility_kg.data.query import MetricData, PlaceInfo, Value
from mobility_kg.data.sources import STATES, VARIABLES, Level
from mobility_kg.data.vocabulary import variable_iri
from mobility_kg.errors import InvalidParameter
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.search.answer import Answer, AnswerSentence, Citation, LinkedEntity, intent_of
from mobility_kg.search.engine import SearchResponse
from mobility_kg.search.place_question import Kind, PlaceQuestion

MAX_VALUES = 12  # sentences of values in one answer
RANKED = 5  # places named in a ranking
RANK_VARIABLES = 2
STRATEGIES = 3
WEAKEST = 2  # predictors shown for "how is X doing?"
_STATE_NAMES = dict(STATES.values())
_YEARS = re.compile(r"(?<!\d)(20\d\d)(?:-(20\d\d))?(?!\d)")  # "2019-2022", "2023"


@dataclass(frozen=True, slots=True)
class DataValue:
    """One value of the data as an answer gives it; ``rank`` is set in a ranking, ``median``
    (the median of the places compared) in an answer about the median."""

    place: str
    place_name: str
    state: str
    level: str
    variable: str
    label: str
    unit: str
    higher_is_better: bool | None
    year: int
    value: float
    lower_bound: float | None
    upper_bound: float | None
    quality: str | None
    weak: bool
    national_percentile: float | None
    state_percentile: float | None
    dataset: str
    source_url: str
    metric: str
    predictor: str
    rank: int | None = None
    median: float | None = None
    subgroup: str = "all"  # the data's subgroup key ("race-ethnicity/black-non-hispanic")


def format_value(value: float, unit: str) -> str:
    """A value as answers print it: shares as percentages with one decimal ("72.3%"), dollars
    whole ("$61,200"), counts whole, rates with their base ("85.2 per 100,000"), ratios and
    indexes with two decimals below 10, one below 100, whole above."""
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "dollars":
        return f"${value:,.0f}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit.startswith("rate "):
        return f"{value:,.1f} {unit.removeprefix('rate ')}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _percentile(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "n/a"


class _Context:
    """What every sentence of one answer needs: the data, the graph, and the citations."""

    def __init__(self, data: MetricData, entities: EntityGraph) -> None:
        self.data = data
        self.entities = entities

    def title(self, place: PlaceInfo) -> str:
        return f"{place.name}, {place.state}"

    def source(self, variable: str, level: str, year: int) -> str:
        """The upstream file the variable's values of ``level`` come from (its GitHub URL):
        of the level's files, one whose name spans ``year`` and holds the whole population
        ("_all") if there is one."""
        node = URIRef(variable_iri(self.data.base, variable))
        files = sorted(str(f) for f in self.entities.rdf.objects(node, PROV.wasDerivedFrom))
        words = ("county",) if level == "county" else ("city", "place")
        own = [f for f in files if any(w in f.rpartition("/")[2] for w in words)] or files

        def fit(url: str) -> tuple[bool, bool, str]:
            name = url.rpartition("/")[2]
            spans = [(int(a), int(b or a)) for a, b in _YEARS.findall(name)]
            in_years = not spans or any(a <= year <= b for a, b in spans)
            return (not in_years, "_all" not in name and "all_" not in name, url)

        return min(own, key=fit, default="")

    def citation(self, variable: str, level: str, year: int) -> Citation:
        label = VARIABLES[variable].label
        return Citation(
            f"data/dataset/{variable}/{level}",
            f"Mobility Metrics data: {label}, by {level}",
            str(year),
            self.source(variable, level, year),
        )

    def record(
        self,
        place: PlaceInfo,
        variable: str,
        value: Value,
        *,
        position: int | None = None,
        median: float | None = None,
        subgroup: str = "all",
    ) -> DataValue:
        described = VARIABLES[variable]
        where = self.data.framework.get(variable)
        return DataValue(
            place=place.id,
            place_name=self.title(place),
            state=place.state,
            level=place.level,
            variable=variable,
            label=described.label,
            unit=str(described.unit),
            higher_is_better=described.higher_is_better,
            year=value.year,
            value=value.value,
            lower_bound=value.lower_bound,
            upper_bound=value.upper_bound,
            quality=value.quality,
            weak=value.quality == "Weak",
            national_percentile=value.national_percentile,
            state_percentile=value.state_percentile,
            dataset=f"data/dataset/{variable}/{place.level}",
            source_url=self.source(variable, place.level, value.year),
            metric=described.metric,
            predictor=where.predictor if where else "",
            rank=position,
            median=median,
            subgroup=subgroup,
        )

    def group(self, key: str) -> tuple[str, str] | None:
        """The data's (type, label) of a subgroup key, or None when this build has no such
        subgroup."""
        try:
            return self.data.subgroup(key)
        except InvalidParameter:
            return None


def _quality(value: DataValue) -> str:
    if value.quality == "Weak":
        return "quality Weak: too uncertain to rely on"
    return f"quality {value.quality}" if value.quality else "no quality flag"


def _bounds(value: DataValue) -> str:
    if value.lower_bound is None or value.upper_bound is None:
        return ""
    low, high = (format_value(b, value.unit) for b in (value.lower_bound, value.upper_bound))
    return f"bounds {low} to {high}; "


def _direction(value: DataValue) -> str:
    if value.higher_is_better is None:
        return ""
    return " (higher is better)" if value.higher_is_better else " (lower is better)"


def _lower(label: str) -> str:
    """A label inside a sentence: "Deaths from injury" -> "deaths from injury" (not "ELA")."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def describe(value: DataValue, group: str = "") -> str:
    """One value as a sentence that reads on its own; ``group`` names a subgroup's value
    ("Black, Non-Hispanic"), which has no percentiles."""
    state = _STATE_NAMES.get(value.state, value.state)
    who = f"{value.place_name} ({group})" if group else value.place_name
    standing = (
        f"; national percentile {_percentile(value.national_percentile)}, "
        f"{state} percentile {_percentile(value.state_percentile)}"
        if value.national_percentile is not None or value.state_percentile is not None
        else ""
    )
    return (
        f"{who}: {value.label}{_direction(value)} was "
        f"{format_value(value.value, value.unit)} in {value.year} ({_bounds(value)}"
        f"{_quality(value)}){standing}."
    )


def _not_for(asked: PlaceQuestion, what: str) -> str:
    """The opening that says a group's values are missing and everyone's follow."""
    assert asked.subgroup is not None
    return f"The data have no {what} for {asked.subgroup.words}; for all residents: "


def _latest(years: dict[int, Value]) -> Value | None:
    return years[max(years)] if years else None


# A sentence of the answer, the value whose data set it cites, and the records it states.
_Found = tuple[str, DataValue, list[DataValue]]


def answer_from_data(
    response: SearchResponse, asked: PlaceQuestion, data: MetricData, entities: EntityGraph
) -> Answer | None:
    """The answer to a question about places' data, or None when the data has nothing for it
    (a build without the metric data, or places without values of the metric asked)."""
    if data.store is None:
        return None
    context = _Context(data, entities)
    if asked.kind is Kind.RANKING:
        found = _ranking(context, asked)
    elif asked.kind is Kind.MEDIAN:
        found = _median(context, asked)
    else:
        found = _profile(context, asked)
    if not found:
        return None
    return Answer(
        response.query,
        [
            AnswerSentence(text, 1.0, context.citation(v.variable, v.level, v.year), text)
            for text, v, _ in found
        ],
        response.results,
        _framework(context, [v.variable for _, v, _ in found]),
        intent_of(response.query).value,
        data=[record for _, _, records in found for record in records],
        places=asked.places.places,
        data_question=asked.kind.value,
    )


def _places(context: _Context, asked: PlaceQuestion) -> list[PlaceInfo]:
    fips = [p.removeprefix("place/") for p in asked.places.places]
    return [context.data.places[f] for f in fips if f in context.data.places]


def _variables(context: _Context, asked: PlaceQuestion, place: PlaceInfo) -> list[str]:
    """The variables the question asks about, or (asking how a place is doing) those of its
    predictors in the bottom quartile nationally, weakest first."""
    if asked.metric.variables:
        return list(asked.metric.variables)
    from mobility_kg.data.profile import profile

    found = profile(context.data, context.entities, place.id)
    predictors = {p.id: p for pillar in found.pillars for p in pillar.predictors}
    return [
        value.variable
        for weak in found.weakest[:WEAKEST]
        for metric in predictors[weak].metrics
        for value in metric.variables
    ]


def _profile(context: _Context, asked: PlaceQuestion) -> list[_Found]:
    found: list[_Found] = []
    keys = asked.subgroup.keys if asked.subgroup else ()
    groups = [(key, group) for key in keys if (group := context.group(key)) is not None]
    for place in _places(context, asked):
        observed = context.data.observations(place.fips)
        by_group = [(k, g, context.data.observations(place.fips, g)) for k, g in groups]
        for variable in _variables(context, asked, place):
            own = next(
                (
                    (key, group, value)
                    for key, group, values in by_group
                    if (value := _latest(values.get(variable, {}))) is not None
                ),
                None,
            )
            if own is not None:
                key, (_, label), value = own
                record = context.record(place, variable, value, subgroup=key)
                found.append((describe(record, label), record, [record]))
                continue
            latest = _latest(observed.get(variable, {}))
            if latest is not None:
                record = context.record(place, variable, latest)
                missing = (
                    _not_for(asked, f"values of {_lower(record.label)} in {record.place_name}")
                    if asked.subgroup
                    else ""
                )
                found.append((missing + describe(record), record, [record]))
    return found[:MAX_VALUES]


def _median(context: _Context, asked: PlaceQuestion) -> list[_Found]:
    found: list[_Found] = []
    for place in _places(context, asked):
        observed = context.data.observations(place.fips)
        for variable in asked.metric.variables:
            latest = _latest(observed.get(variable, {}))
            if latest is None:
                continue
            _, rows = context.data.values(variable, Level(place.level), latest.year)
            if asked.state_median:
                rows = [(f, v) for f, v in rows if f[:2] == place.fips[:2]]
            if not rows:
                continue
            median = statistics.median(v.value for _, v in rows)
            record = context.record(place, variable, latest, median=median)
            missing = _not_for(asked, "medians by group") if asked.subgroup else ""
            found.append((missing + _against_median(record, asked, len(rows)), record, [record]))
    return found[:MAX_VALUES]


def _against_median(value: DataValue, asked: PlaceQuestion, compared: int) -> str:
    where = (
        f"{_STATE_NAMES.get(value.state, value.state)}'s" if asked.state_median else "the national"
    )
    kind = "counties" if value.level == "county" else "cities of 75,000+ people"
    assert value.median is not None
    above = value.value > value.median
    at = value.value == value.median
    answer = ("No" if above else "Yes") if asked.below else ("Yes" if above else "No")
    if at:
        answer = "No"
    relation = "at" if at else "above" if above else "below"
    percentile = value.state_percentile if asked.state_median else value.national_percentile
    return (
        f"{answer}: {_lower(value.label)}{_direction(value)} in {value.place_name} was "
        f"{format_value(value.value, value.unit)} in {value.year}, {relation} {where} median "
        f"of {format_value(value.median, value.unit)} among {compared:,} {kind} "
        f"(percentile {_percentile(percentile)}; {_bounds(value)}{_quality(value)})."
    )


_ORDER_WORDS = {"highest": "the highest", "lowest": "the lowest", "worst": "the worst",
                "best": "the best"}  # fmt: skip


def _ranking(context: _Context, asked: PlaceQuestion) -> list[_Found]:
    level = asked.places.level or "county"
    state = asked.places.state
    variables = sorted(asked.metric.variables, key=lambda v: VARIABLES[v].higher_is_better is None)[
        :RANK_VARIABLES
    ]
    found: list[_Found] = []
    for variable in variables:
        better = VARIABLES[variable].higher_is_better
        order = asked.order
        if better is None and order in ("worst", "best"):
            order = "highest" if order == "worst" else "lowest"
        worst = {
            "worst": True,
            "best": False,
            "highest": better is False,
            "lowest": better is not False,
        }[order]
        ranking = _ranked(context, asked, variable, level, state, worst)
        if ranking is None or not ranking.places:
            continue
        used = ranking.subgroup
        records = []
        for entry in ranking.places:
            place = context.data.places[entry.place.removeprefix("place/")]
            value = Value(
                ranking.year or 0,
                entry.value,
                entry.lower_bound,
                entry.upper_bound,
                entry.quality,
                entry.national_percentile,
                entry.state_percentile,
            )
            records.append(
                context.record(place, variable, value, position=entry.rank, subgroup=used)
            )
        scope = f"{_STATE_NAMES.get(state, state)} " if state else "US "
        kind = "counties" if level == "county" else "cities"
        listed = "; ".join(
            f"{r.rank}. {r.place_name} {format_value(r.value, r.unit)}"
            + (" (quality Weak)" if r.weak else "")
            for r in records
        )
        label = _lower(VARIABLES[variable].label)
        group = context.group(used)
        among = f" among {group[1]} residents" if used != "all" and group else ""
        missing = (
            _not_for(asked, f"{level} values of {label}")
            if asked.subgroup and used == "all"
            else ""
        )
        text = (
            f"{missing}{scope}{kind} with {_ORDER_WORDS[order]} {label}{among}"
            f"{_direction(records[0])} in {ranking.year}, of {ranking.total:,} with a value: "
            f"{listed}."
        )
        found.append((text, records[0], records))
    return found


def _ranked(
    context: _Context,
    asked: PlaceQuestion,
    variable: str,
    level: str,
    state: str | None,
    worst: bool,
) -> Ranking | None:
    """The ranking of the group asked about where the data have one, else of everyone; None
    when the variable has no values at ``level``."""
    keys = asked.subgroup.keys if asked.subgroup else ()
    for subgroup in [*keys, None]:
        try:
            return rank(
                context.data,
                variable,
                level=level,
                state=state,
                worst=worst,
                limit=RANKED,
                subgroup=subgroup,
            )
        except InvalidParameter:  # no such group here, or no values of it at this level
            continue
    return None


def _framework(context: _Context, variables: list[str]) -> list[LinkedEntity]:
    """The metric, predictor, evidence and best-evidenced strategies of the values given."""
    linked: list[LinkedEntity] = []
    graph = context.entities

    def add(compact: str, relation: str) -> None:
        if compact in graph.nx and all(e.id != compact for e in linked):
            linked.append(
                LinkedEntity(compact, compact.partition("/")[0], graph.label(compact), relation)
            )

    for variable in dict.fromkeys(variables):
        where = context.data.framework.get(variable)
        if where is None:
            continue
        add(where.metric, "metric")
        add(where.predictor, "predictor")
        for source in sorted(graph.nx.predecessors(where.predictor)):
            if "umf:evidenceFor" in graph.nx.get_edge_data(source, where.predictor):
                add(source, "evidence")
        for strategy in graph.strategies_for(where.predictor)[:STRATEGIES]:
            add(strategy.id, "strategy")
    return linked
