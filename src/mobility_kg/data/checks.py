"""Checks on the cube: SHACL over the small data triples and a deterministic sample of
observations.

Running SHACL over millions of observations would take longer than the whole build, so the
shapes see the places, data sets, variables and subgroups in full and the first observations
of every data set and subgroup type. Every observation is written by the same generator
(:func:`mobility_kg.data.cube.observation_lines`, whose output's structure is tested), and the
store is checked to hold every triple written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, QB, RDF
from rdflib.term import Node

from mobility_kg.data.cube import observation_lines
from mobility_kg.data.dataset import iter_observations, read_places
from mobility_kg.data.sources import Level
from mobility_kg.data.upstream import Row
from mobility_kg.data.vocabulary import SHAPES_TTL
from mobility_kg.errors import ShapeViolation
from mobility_kg.graph.namespaces import UMF

SAMPLE_PER_GROUP = 3
PLACES_PER_GROUP = 3


def _sample_rows(folder: Path, level: Level) -> Iterator[Row]:
    """The first rows of every (variable, subgroup type, subgroup) run in file order."""
    seen: dict[tuple[str, str, str], int] = {}
    for row in iter_observations(folder, level):
        key = (row[0], row[3], row[4])
        count = seen.get(key, 0)
        if count < SAMPLE_PER_GROUP:
            seen[key] = count + 1
            yield row


def sample_graph(graph: Graph, base: str, folder: Path) -> Graph:
    """A deterministic sample of observations with the nodes they point at (data sets,
    variables, subgroups and the types of places and metrics), for the cube's shapes."""
    sample = Graph()
    states = {fips: fips[:2] for fips in read_places(folder)}
    for level in Level:
        text = "".join(observation_lines(base, level, _sample_rows(folder, level), states))
        sample.parse(data=text, format="nt")
    for cls in (QB.DataSet, UMF.Variable, UMF.Subgroup, QB.DataStructureDefinition):
        for node in graph.subjects(RDF.type, cls):
            for triple in graph.triples((node, None, None)):
                sample.add(triple)
    for cls in (UMF.Metric, UMF.Place):
        for node in graph.subjects(RDF.type, cls):
            sample.add((node, RDF.type, cls))
    return sample


def data_places_graph(graph: Graph, per_group: int | None = PLACES_PER_GROUP) -> Graph:
    """The places described by the data alone (no document), with the types they point at.

    With ``per_group``, only the first places (by FIPS) of each state and level, and the
    counties those cities lie in: every data place comes from one function over rows the
    importer checked, and pyshacl takes seconds per thousand places.
    """
    chosen: set[Node] = set()
    taken: dict[tuple[str, str], int] = {}
    for node in sorted(graph.subjects(RDF.type, UMF.Place), key=str):
        group = (str(graph.value(node, UMF.stateCode)), str(graph.value(node, UMF.geographicLevel)))
        taken[group] = taken.get(group, 0) + 1
        if per_group is None or taken[group] <= per_group:
            chosen.add(node)
            chosen.update(graph.objects(node, UMF.inCounty))
    places = Graph()
    for node in chosen:
        if (node, DCTERMS.abstract, None) in graph:
            continue  # a corpus document, checked with the corpus
        for triple in graph.triples((node, None, None)):
            places.add(triple)
    for level in set(places.objects(None, UMF.geographicLevel)):
        places.add((level, RDF.type, UMF.GeographicLevel))
    return places


def check_sample(graph: Graph, shapes_ttl: str, base: str, folder: Path) -> None:
    """The corpus's shapes over a sample of the places the data adds (the first of each state
    and level); the cube's shapes over a sample of
    observations and everything they point at.

    Raises:
        ShapeViolation: any violation.
    """
    from mobility_kg.graph.shapes import validate_graph

    results = validate_graph(data_places_graph(graph), shapes_ttl, base)
    results += validate_graph(sample_graph(graph, base, folder), SHAPES_TTL, base)
    violations = [v for v in results if v.severity == "Violation"]
    if violations:
        raise ShapeViolation(violations)
