"""The dataset as RDF: small triples (places, variables, data sets, subgroups) into the
in-memory graph, and the observations, with their percentiles, bulk-loaded into an on-disk
pyoxigraph store without ever holding them all in Python.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, QB, RDF, RDFS, SKOS, XSD

from mobility_kg.data.dataset import iter_observations, read_places, read_provenance
from mobility_kg.data.percentiles import national_and_state
from mobility_kg.data.sources import REPOSITORY, VARIABLES, Level
from mobility_kg.data.table import TableWriter
from mobility_kg.data.upstream import Place, Row
from mobility_kg.data.vocabulary import (
    CUBE_TTL,
    QUALITY_IRIS,
    dataset_iri,
    observation_iri,
    subgroup_iri,
    variable_iri,
)
from mobility_kg.data.vocabulary import (
    QB as QB_IRI,
)
from mobility_kg.data.vocabulary import (
    UMF as UMF_IRI,
)
from mobility_kg.data.vocabulary import (
    XSD as XSD_IRI,
)
from mobility_kg.errors import DataError
from mobility_kg.graph.namespaces import SCHEMA, UMF

PLACE_CLASSES = (UMF.Place, SCHEMA.AdministrativeArea)


def add_data_triples(graph: Graph, base: str, folder: Path) -> dict[str, int]:
    """Add the cube structure, variables, data sets, subgroups and every place to ``graph``.

    Places that already have a document keep their triples and gain the data's (state code,
    counties); the others get a full description from the data. Returns places added by level.

    Raises:
        DataError: the dataset is unreadable.
    """
    provenance = read_provenance(folder)
    graph.parse(data=CUBE_TTL, format="turtle")
    source = URIRef(f"{REPOSITORY}/tree/{provenance['commit']}")
    add = graph.add
    for name, variable in VARIABLES.items():
        node = URIRef(variable_iri(base, name))
        described = provenance["variables"].get(name, {})
        add((node, RDF.type, UMF.Variable))
        add((node, RDFS.label, Literal(variable.label, lang="en")))
        add((node, UMF.variableName, Literal(name)))
        add((node, UMF.variableOf, URIRef(base + variable.metric)))
        add((node, UMF.unit, Literal(str(variable.unit))))
        if variable.higher_is_better is not None:
            add((node, UMF.higherIsBetter, Literal(variable.higher_is_better)))
        for entry in described.get("sources", []):
            file_iri = URIRef(f"{REPOSITORY}/blob/{provenance['commit']}/{entry['path']}")
            add((node, PROV.wasDerivedFrom, file_iri))
            add((file_iri, UMF.upstreamColumn, Literal(entry["column"])))
        for level in sorted({entry["level"] for entry in described.get("sources", [])}):
            dataset = URIRef(dataset_iri(base, name, level))
            years = {y for e in described["sources"] if e["level"] == level for y in e["years"]}
            for year in sorted(years):
                add((dataset, UMF.yearAvailable, Literal(str(year), datatype=XSD.gYear)))
            add((dataset, RDF.type, QB.DataSet))
            add((dataset, QB.structure, UMF.MetricValueStructure))
            add((dataset, UMF.datasetVariable, node))
            add((dataset, UMF.geographicLevel, UMF[f"level-{level}"]))
            add((dataset, RDFS.label, Literal(f"{variable.label}, by {level}", lang="en")))
            add((dataset, DCTERMS.source, source))
    for subgroup_type, label in [("all", "All"), *map(tuple, provenance["subgroups"])]:
        node = URIRef(subgroup_iri(base, subgroup_type, label))
        add((node, RDF.type, UMF.Subgroup))
        add((node, SKOS.inScheme, UMF.SubgroupScheme))
        add((node, SKOS.prefLabel, Literal(label, lang="en")))
        if subgroup_type != "all":
            add((node, SKOS.broader, UMF[f"subgroup-{subgroup_type}"]))
    added = {str(level): 0 for level in Level}
    for place in read_places(folder).values():
        if _add_place(graph, base, place, source):
            added[place.level] += 1
    return added


def _add_place(graph: Graph, base: str, place: Place, source: URIRef) -> bool:
    node = URIRef(f"{base}place/{place.fips}")
    add = graph.add
    add((node, UMF.stateCode, Literal(place.state)))
    for county in place.counties:
        add((node, UMF.inCounty, URIRef(f"{base}place/{county}")))
    if (node, DCTERMS.identifier, None) in graph:
        add((node, SKOS.altLabel, Literal(place.title, lang="en")))
        return False
    for cls in PLACE_CLASSES:
        add((node, RDF.type, cls))
    add((node, DCTERMS.identifier, Literal(f"place/{place.fips}")))
    add((node, UMF.entityType, Literal("place")))
    add((node, RDFS.label, Literal(place.title, lang="en")))
    add((node, DCTERMS.title, Literal(place.title, lang="en")))
    add((node, DCTERMS.source, source))
    add((node, PROV.wasDerivedFrom, source))
    add((node, UMF.fipsCode, Literal(place.fips)))
    add((node, UMF.state, Literal(place.state_name, lang="en")))
    add((node, UMF.geographicLevel, UMF[f"level-{place.level}"]))
    return True


_GYEAR = f"^^<{XSD_IRI}gYear>"
_DOUBLE = f"^^<{XSD_IRI}double>"
_DECIMAL = f"^^<{XSD_IRI}decimal>"
_P = {name: f"<{UMF_IRI}{name}>" for name in (
    "refArea", "refPeriod", "subgroup", "value", "lowerBound", "upperBound", "quality",
    "nationalPercentile", "statePercentile",
)}  # fmt: skip
_DATASET = f"<{QB_IRI}dataSet>"


def _number(value: float) -> str:
    return f"{value:.7g}"


@dataclass(slots=True)
class Tally:
    """What a run of :func:`observation_lines` wrote: observations and triples."""

    observations: int = 0
    triples: int = 0


def observation_lines(
    base: str,
    level: Level,
    rows: Iterable[Row],
    states: dict[str, str],
    table: TableWriter | None = None,
    tally: Tally | None = None,
) -> Iterator[str]:
    """N-Triples of observations, a group (variable, subgroup, year) at a time, with the
    percentiles of the whole population's values (also handed to ``table``); ``tally``
    counts what was written."""
    quality = {k: f"<{v}>" for k, v in QUALITY_IRIS.items()}
    for (variable, st, sg, year), group_iter in groupby(
        rows, key=lambda r: (r[0], r[3], r[4], r[2])
    ):
        group = list(group_iter)
        dataset = f"<{dataset_iri(base, variable, level)}>"
        subgroup = f"<{subgroup_iri(base, st, sg)}>"
        period = f'"{year}"{_GYEAR}'
        national = state = None
        if st == "all":
            national, state = national_and_state(
                [r[5] for r in group], [states[r[1]] for r in group]
            )
            if table is not None:
                table.add(level, group, national, state)
        lines: list[str] = []
        for i, (_, fips, _, _, _, value, lb, ub, q) in enumerate(group):
            s = f"<{observation_iri(base, variable, fips, year, st, sg)}> "
            lines.append(f"{s}{_DATASET} {dataset} .\n")
            lines.append(f"{s}{_P['refArea']} <{base}place/{fips}> .\n")
            lines.append(f"{s}{_P['refPeriod']} {period} .\n")
            lines.append(f"{s}{_P['subgroup']} {subgroup} .\n")
            lines.append(f'{s}{_P["value"]} "{_number(value)}"{_DOUBLE} .\n')
            if lb is not None:
                lines.append(f'{s}{_P["lowerBound"]} "{_number(lb)}"{_DOUBLE} .\n')
            if ub is not None:
                lines.append(f'{s}{_P["upperBound"]} "{_number(ub)}"{_DOUBLE} .\n')
            if q is not None:
                lines.append(f"{s}{_P['quality']} {quality[q]} .\n")
            if national is not None and state is not None:
                lines.append(f'{s}{_P["nationalPercentile"]} "{national[i]:.1f}"{_DECIMAL} .\n')
                lines.append(f'{s}{_P["statePercentile"]} "{state[i]:.1f}"{_DECIMAL} .\n')
        if tally is not None:
            tally.observations += len(group)
            tally.triples += len(lines)
        yield "".join(lines)


class _ChunkReader(io.RawIOBase):
    """A binary stream over an iterator of text chunks, for pyoxigraph's bulk loader."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self._buffer = b""
        self._position = 0
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:  # Any: a writable buffer (memoryview/bytearray)
        if self._position >= len(self._buffer):
            self._buffer = next(self._chunks, "").encode("utf-8")
            self._position = 0
            if not self._buffer:
                return 0
        size = min(len(target), len(self._buffer) - self._position)
        target[:size] = self._buffer[self._position : self._position + size]
        self._position += size
        self.bytes_read += size
        return size


def cube_lines(
    base: str, folder: Path, table: TableWriter | None = None, tally: Tally | None = None
) -> Iterator[str]:
    """Every observation of the dataset in ``folder`` as N-Triples, county then city."""
    states = {fips: fips[:2] for fips in read_places(folder)}
    for level in Level:
        rows = iter_observations(folder, level)
        yield from observation_lines(base, level, rows, states, table, tally)


def build_store(path: Path, base: str, folder: Path, table: TableWriter | None = None) -> Tally:
    """Bulk-load every observation into a new on-disk store at ``path``; what was written.

    Raises:
        DataError: the dataset is unreadable, or the store lost triples while loading.
    """
    tally = Tally()
    load_store(path, cube_lines(base, folder, table, tally), tally)
    return tally


def load_store(path: Path, chunks: Iterator[str], tally: Tally) -> None:
    """Bulk-load N-Triples ``chunks`` (counted into ``tally`` as they are made) into a new
    on-disk store at ``path``, and check that it holds every triple written.

    The observations' structure is the generator's (tested, and SHACL-checked on a sample at
    build), so a full scan of the store for it would only repeat that, at tens of seconds.

    Raises:
        DataError: the store holds fewer triples than were written (a repeated observation).
    """
    import pyoxigraph

    store = pyoxigraph.Store(str(path))
    reader = io.BufferedReader(_ChunkReader(chunks), 1 << 20)
    # lenient: the N-Triples are ours, made from checked rows (skips re-validating IRIs)
    store.bulk_load(reader, format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
    store.flush()
    store.optimize()  # compacted, a place's observations read 5x faster (20 vs 115 ms)
    held = len(store)
    del store
    if held != tally.triples:
        raise DataError(
            path, f"the observation store holds {held} triples of the {tally.triples} written"
        )
