"""A place's values by subgroup (race and ethnicity, gender, ...), read in one store query,
for the subgroup tables of its page."""

from __future__ import annotations

from dataclasses import dataclass

from mobility_kg.data.query import _PREFIXES, MetricData, Value, _value
from mobility_kg.data.sources import ALL, VARIABLES

# Race and ethnicity first; other subgroup types follow alphabetically.
TYPE_ORDER = ("race-ethnicity",)


@dataclass(frozen=True, slots=True)
class GroupValue:
    label: str
    value: Value
    gap: float | None  # value minus the whole population's value of the same year


@dataclass(frozen=True, slots=True)
class SubgroupTable:
    """One variable's latest year with subgroup values, for one subgroup type."""

    variable: str
    subgroup_type: str
    year: int
    overall: Value | None
    groups: list[GroupValue]


_QUERY = """
    SELECT ?d ?sg ?y ?v ?lb ?ub ?q ?np ?sp WHERE {
      ?o umf:refArea <PLACE> ; umf:subgroup ?sg ; qb:dataSet ?d ;
         umf:refPeriod ?y ; umf:value ?v .
      OPTIONAL { ?o umf:lowerBound ?lb } OPTIONAL { ?o umf:upperBound ?ub }
      OPTIONAL { ?o umf:quality ?q }
      OPTIONAL { ?o umf:nationalPercentile ?np } OPTIONAL { ?o umf:statePercentile ?sp }
      ALL_FILTER
    }"""


def subgroup_tables(
    data: MetricData, fips: str, whole: dict[str, dict[int, Value]] | None = None
) -> list[SubgroupTable]:
    """Every variable the place has subgroup values for, at the latest year that has them.

    Ordered by subgroup type (race and ethnicity first), then the variables' order; within a table,
    the groups in label order. The gap is to the whole population's value of that year,
    taken from ``whole`` (:meth:`MetricData.observations` of the place) when given, so the
    query skips those rows.
    """
    if data.store is None:
        return []
    by_iri = {f"{data.base}data/subgroup/{key}": pair for pair, key in data.subgroups.items()}
    prefix = f"{data.base}data/dataset/"
    found: dict[tuple[str, str], dict[int, dict[str, Value]]] = {}
    query = _QUERY.replace("PLACE", f"{data.base}place/{fips}")
    if whole is not None:
        query = query.replace("ALL_FILTER", f"FILTER(?sg != <{data.base}data/subgroup/all>)")
        for variable, by_year in whole.items():
            for year, value in by_year.items():
                found.setdefault((variable, "all"), {}).setdefault(year, {})[ALL[1]] = value
    for row in data.store.query(query.replace("ALL_FILTER", ""), prefixes=_PREFIXES):
        variable = row["d"].value.removeprefix(prefix).rpartition("/")[0]
        subgroup_type, label = by_iri.get(row["sg"].value, ALL)
        key = (variable, "all" if (subgroup_type, label) == ALL else subgroup_type)
        found.setdefault(key, {}).setdefault(int(row["y"].value), {})[label] = _value(row)
    tables = []
    for (variable, subgroup_type), years in found.items():
        if subgroup_type == "all":
            continue
        year = max(years)
        overall = found.get((variable, "all"), {}).get(year, {}).get(ALL[1])
        groups = [
            GroupValue(
                label,
                value,
                None if overall is None else round(value.value - overall.value, 10),
            )
            for label, value in sorted(years[year].items())
        ]
        tables.append(SubgroupTable(variable, subgroup_type, year, overall, groups))
    rank = {name: index for index, name in enumerate(TYPE_ORDER)}
    order = {name: index for index, name in enumerate(VARIABLES)}
    tables.sort(
        key=lambda t: (
            rank.get(t.subgroup_type, len(rank)),
            t.subgroup_type,
            order.get(t.variable, len(order)),
        )
    )
    return tables
