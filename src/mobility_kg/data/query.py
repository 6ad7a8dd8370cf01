"""Reading the metric values back: one object that holds the store (read-only) and what the
graph says about places, variables, metrics, predictors and pillars.

Profiles and rankings are indexed SPARQL queries on the store: a place's observations by
``umf:refArea``, a variable's by ``qb:dataSet``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import QB, RDF, RDFS, SKOS

from mobility_kg.data.sources import ALL, QUALITY_LABELS, STATES, VARIABLES, Level, Variable
from mobility_kg.data.table import RankTable, TableRow
from mobility_kg.data.vocabulary import QUALITY_IRIS, observation_iri, slug, subgroup_iri
from mobility_kg.errors import InvalidParameter, UnknownEntityError
from mobility_kg.graph.namespaces import UMF

_QUALITY = {iri: QUALITY_LABELS[n] for n, iri in QUALITY_IRIS.items()}
_PREFIXES = {"qb": "http://purl.org/linked-data/cube#", "umf": str(UMF)}
_ABBREVIATIONS = dict(STATES.values())
_SUFFIXES = re.compile(r"\b(county|city|town|village|borough|municipality|cdp|parish)\b")


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    id: str
    fips: str
    name: str
    state: str
    state_name: str
    level: str
    counties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Value:
    """One observation as a profile or a ranking shows it."""

    year: int
    value: float
    lower_bound: float | None
    upper_bound: float | None
    quality: str | None
    national_percentile: float | None
    state_percentile: float | None


@dataclass(frozen=True, slots=True)
class Framework:
    """Where a variable sits in the framework."""

    metric: str
    metric_label: str
    predictor: str
    predictor_label: str
    pillar: str
    pillar_label: str


def _float(term: Any) -> float | None:
    return None if term is None else float(term.value)


class MetricData:
    """The observation store and the graph's places and framework, opened once.

    ``store`` is a pyoxigraph ``Store`` opened read-only; ``graph`` the built graph.
    """

    def __init__(
        self, store: Any, graph: Graph, base_iri: str, table: RankTable | None = None
    ) -> None:  # store: a pyoxigraph Store, or None for a build without data
        self.store = store
        self.table = table
        self.base = base_iri
        self.places = _places(graph, base_iri)
        self.framework = _framework(graph, base_iri)
        self.subgroups = _subgroups(graph, base_iri)
        self.years = _dataset_years(graph, base_iri)
        self._names = _name_index(self.places)

    @classmethod
    def open(
        cls, store_path: Path, graph: Graph, base_iri: str, table_path: Path | None = None
    ) -> MetricData:
        """Open the store at ``store_path`` read-only, and the rank table if given.

        Raises:
            OSError: the store cannot be opened.
        """
        import pyoxigraph

        table = RankTable(table_path) if table_path is not None else None
        return cls(pyoxigraph.Store.read_only(str(store_path)), graph, base_iri, table)

    # ------------------------------------------------------------------ lookups

    def resolve(self, query: str) -> PlaceInfo:
        """A place by FIPS code, compact id or name ("Ramsey County, MN", "philadelphia").

        Raises:
            InvalidParameter: an empty query.
            UnknownEntityError: nothing matches exactly; the closest places are suggested.
        """
        text = query.strip()
        if not text:
            raise InvalidParameter("place", "must not be empty")
        fips = text.removeprefix("place/")
        if fips in self.places:
            return self.places[fips]
        key = _name_key(text)
        exact = self._names.get(key, [])
        if len(exact) == 1:
            return self.places[exact[0]]
        if not exact:
            # a bare name that is the start of exactly one place's full name ("philadelphia")
            exact = sorted(
                {f for k, fs in self._names.items() if k.startswith(key + " ") for f in fs}
            )
            if len(exact) == 1:
                return self.places[exact[0]]
            if not exact:
                close = difflib.get_close_matches(key, list(self._names), n=5, cutoff=0.6)
                exact = list(dict.fromkeys(f for k in close for f in self._names[k]))
        suggestions = [
            f"place/{f} ({self.places[f].name}, {self.places[f].state})" for f in exact[:8]
        ]
        raise UnknownEntityError(f"place {query!r}", suggestions)

    def variable(self, name: str) -> Variable:
        """A variable by its column name.

        Raises:
            UnknownEntityError: no such variable; the closest names are suggested.
        """
        if name in VARIABLES:
            return VARIABLES[name]
        raise UnknownEntityError(
            f"variable {name!r}", difflib.get_close_matches(name, list(VARIABLES), n=3)
        )

    def subgroup(self, text: str | None) -> tuple[str, str]:
        """A subgroup given as ``type/label`` (``gender/female``) or its label; default All.

        Raises:
            InvalidParameter: no such subgroup.
        """
        if text is None or text.strip().lower() in ("", "all"):
            return ALL
        wanted = text.strip().lower()
        for (subgroup_type, label), key in self.subgroups.items():
            if wanted in (key, slug(label), label.lower()):
                return subgroup_type, label
        known = ", ".join(sorted(self.subgroups.values())[:12])
        raise InvalidParameter("subgroup", f"unknown subgroup {text!r}; known: {known}, ...")

    # ------------------------------------------------------------------ queries

    def observations(
        self, fips: str, subgroup: tuple[str, str] = ALL
    ) -> dict[str, dict[int, Value]]:
        """Every value of one place and subgroup: variable -> year -> value."""
        query = """
            SELECT ?d ?y ?v ?lb ?ub ?q ?np ?sp WHERE {
              ?o umf:refArea ?place ; umf:subgroup ?sg ; qb:dataSet ?d ;
                 umf:refPeriod ?y ; umf:value ?v .
              OPTIONAL { ?o umf:lowerBound ?lb } OPTIONAL { ?o umf:upperBound ?ub }
              OPTIONAL { ?o umf:quality ?q }
              OPTIONAL { ?o umf:nationalPercentile ?np } OPTIONAL { ?o umf:statePercentile ?sp }
            }"""
        found: dict[str, dict[int, Value]] = {}
        if self.store is None:
            return found
        prefix = f"{self.base}data/dataset/"
        query = query.replace("?place", f"<{self.base}place/{fips}>").replace(
            "?sg", f"<{subgroup_iri(self.base, *subgroup)}>"
        )
        for row in self.store.query(query, prefixes=_PREFIXES):
            variable = row["d"].value.removeprefix(prefix).rpartition("/")[0]
            found.setdefault(variable, {})[int(row["y"].value)] = _value(row)
        return found

    def values(
        self,
        variable: str,
        level: Level,
        year: int | None = None,
        subgroup: tuple[str, str] = ALL,
    ) -> tuple[int | None, list[tuple[str, Value]]]:
        """Every place's value of a variable for one year (default: its latest): (year, rows).

        Raises:
            UnknownEntityError: an unknown variable.
            InvalidParameter: a ``level`` or ``year`` its data set has no values for.
        """
        self.variable(variable)
        if self.store is None:
            return year, []
        available = sorted(self.years.get((variable, str(level)), ()), reverse=True)
        if not available:
            raise InvalidParameter("level", f"{variable} has no {level} values")
        if year is not None and year not in available:
            known = ", ".join(str(y) for y in sorted(available)) or "none"
            raise InvalidParameter(
                "year", f"{variable} has no {level} values for {year}; years: {known}"
            )
        candidates = [year] if year is not None else available
        places = [p.fips for p in self.places.values() if p.level == level]
        for candidate in candidates:
            if self.table is not None and subgroup == ALL:
                found = self.table.rows(variable, level, candidate)
                if found is not None:
                    return candidate, [(r.fips, _from_table(r, candidate)) for r in found]
            # Observation IRIs are known, so the store is asked by subject: one indexed lookup
            # per place instead of a scan of the data set.
            nodes = " ".join(
                f"<{observation_iri(self.base, variable, fips, candidate, *subgroup)}>"
                for fips in places
            )
            query = (
                "SELECT ?o ?v ?lb ?ub ?q ?np ?sp WHERE { VALUES ?o { " + nodes + " } "
                "?o umf:value ?v . OPTIONAL { ?o umf:lowerBound ?lb } "
                "OPTIONAL { ?o umf:upperBound ?ub } OPTIONAL { ?o umf:quality ?q } "
                "OPTIONAL { ?o umf:nationalPercentile ?np } "
                "OPTIONAL { ?o umf:statePercentile ?sp } }"
            )
            prefix = f"{self.base}data/observation/{variable}/"
            rows = [
                (row["o"].value.removeprefix(prefix).partition("/")[0], _value(row, candidate))
                for row in self.store.query(query, prefixes=_PREFIXES)
            ]
            if rows:
                return candidate, rows
        return (year, []) if year is not None else (None, [])


def _from_table(row: TableRow, year: int) -> Value:
    return Value(
        year,
        row.value,
        row.lower_bound,
        row.upper_bound,
        row.quality,
        row.national_percentile,
        row.state_percentile,
    )


def _value(row: Any, year: int | None = None) -> Value:
    quality = row["q"]
    return Value(
        year=year if year is not None else int(row["y"].value),
        value=float(row["v"].value),
        lower_bound=_float(row["lb"]),
        upper_bound=_float(row["ub"]),
        quality=_QUALITY.get(quality.value) if quality is not None else None,
        national_percentile=_float(row["np"]),
        state_percentile=_float(row["sp"]),
    )


def _places(graph: Graph, base: str) -> dict[str, PlaceInfo]:
    places: dict[str, PlaceInfo] = {}
    names = dict(STATES.values())
    for node, fips in graph.subject_objects(UMF.fipsCode):
        code = str(graph.value(node, UMF.stateCode) or "")
        level = str(graph.value(node, UMF.geographicLevel) or "").rpartition("level-")[2]
        label = str(graph.value(node, RDFS.label) or fips)
        counties = tuple(
            sorted(str(c).removeprefix(f"{base}place/") for c in graph.objects(node, UMF.inCounty))
        )
        alt = graph.value(node, SKOS.altLabel)
        state_name = names.get(code, "")
        name = (str(alt) if alt is not None else label).removesuffix(f", {state_name}")
        places[str(fips)] = PlaceInfo(
            f"place/{fips}", str(fips), name, code, state_name, level, counties
        )
    return places


def _framework(graph: Graph, base: str) -> dict[str, Framework]:
    def label(node: Any) -> str:
        return str(graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label) or "")

    def compact(node: Any) -> str:
        return str(node).removeprefix(base)

    result: dict[str, Framework] = {}
    for name, variable in VARIABLES.items():
        metric = URIRef(base + variable.metric)
        predictor = graph.value(metric, UMF.measures)
        pillar = graph.value(predictor, UMF.pillar) if predictor is not None else None
        if predictor is None or pillar is None:
            continue
        result[name] = Framework(
            variable.metric,
            label(metric),
            compact(predictor),
            label(predictor),
            compact(pillar),
            label(pillar),
        )
    return result


def _dataset_years(graph: Graph, base: str) -> dict[tuple[str, str], list[int]]:
    """(variable, level) -> the years its data set has values for."""
    prefix = f"{base}data/dataset/"
    result: dict[tuple[str, str], list[int]] = {}
    for node in graph.subjects(RDF.type, QB.DataSet):
        variable, _, level = str(node).removeprefix(prefix).partition("/")
        years = sorted(int(str(y)) for y in graph.objects(node, UMF.yearAvailable))
        result[variable, level] = years
    return result


def _subgroups(graph: Graph, base: str) -> dict[tuple[str, str], str]:
    result: dict[tuple[str, str], str] = {}
    prefix = f"{base}data/subgroup/"
    for node in graph.subjects(RDF.type, UMF.Subgroup):
        key = str(node).removeprefix(prefix)
        label = str(graph.value(node, SKOS.prefLabel) or key)
        subgroup_type = key.partition("/")[0] if "/" in key else "all"
        result[subgroup_type, label] = key
    return result


_SAINTS = {"saint": "st", "sainte": "ste"}  # "Saint Paul", "St. Paul" and "st paul" are one


def _name_key(text: str) -> str:
    """A comparable form of a place name: lower case, state spelled out, words only."""
    text = text.lower().replace(".", "")  # "St. Paul" -> "st paul", "D.C." -> "dc"
    words = [_SAINTS.get(word, word) for word in re.sub(r"[^a-z0-9 ]+", " ", text).split()]
    if words and words[-1].upper() in _ABBREVIATIONS:
        words[-1] = _ABBREVIATIONS[words[-1].upper()].lower()
    return " ".join(words)


def _name_index(places: dict[str, PlaceInfo]) -> dict[str, list[str]]:
    """Name keys -> FIPS codes: "ramsey county minnesota", "ramsey minnesota", "ramsey county"..."""
    index: dict[str, set[str]] = {}
    for place in places.values():
        base = _name_key(place.name.partition(",")[0])
        state = place.state_name.lower()
        short = _SUFFIXES.sub("", base).strip()
        short = " ".join(short.split())
        for key in {base, f"{base} {state}", short, f"{short} {state}"}:
            if key:
                index.setdefault(key, set()).add(place.fips)
    return {k: sorted(v) for k, v in index.items()}
