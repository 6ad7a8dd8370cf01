"""SHACL over the data: the cube's shapes over observations, the corpus's over data places."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS

from mobility_kg.build import load_built_graph
from mobility_kg.config import Settings
from mobility_kg.data.checks import data_places_graph, sample_graph
from mobility_kg.data.vocabulary import SHAPES_TTL
from mobility_kg.graph.namespaces import UMF
from mobility_kg.graph.shapes import validate_graph

QB_DATASET = URIRef("http://purl.org/linked-data/cube#dataSet")


def _sample(settings: Settings) -> tuple[Graph, str]:
    built = load_built_graph(settings.data_dir)
    assert settings.corpus_dir is not None
    base = built.manifest.base_iri
    return sample_graph(built.graph, base, settings.corpus_dir / "data"), base


def test_the_sample_of_observations_conforms(data_settings: Settings) -> None:
    sample, base = _sample(data_settings)
    assert len(set(sample.subjects(QB_DATASET, None))) > 50
    assert validate_graph(sample, SHAPES_TTL, base) == []


def test_broken_observations_are_reported(data_settings: Settings) -> None:
    sample, base = _sample(data_settings)
    first, second = sorted(set(sample.subjects(QB_DATASET, None)))[:2]
    sample.remove((first, UMF.value, None))
    sample.remove((second, UMF.refPeriod, None))
    sample.add((second, UMF.refPeriod, Literal("2021")))  # a string, not a gYear
    messages = sorted(v.message for v in validate_graph(sample, SHAPES_TTL, base))
    assert messages == [
        "an observation has exactly one value",
        "an observation has exactly one year",
    ]


def test_data_places_conform_and_a_nameless_one_is_reported(data_settings: Settings) -> None:
    built = load_built_graph(data_settings.data_dir)
    base = built.manifest.base_iri
    places = data_places_graph(built.graph)
    autauga = URIRef(base + "place/01001")
    assert (autauga, UMF.fipsCode, Literal("01001")) in places
    assert validate_graph(places, built.shapes_ttl, base) == []
    places.remove((autauga, RDFS.label, None))
    places.remove((autauga, DCTERMS.title, None))
    found = validate_graph(places, built.shapes_ttl, base)
    assert found and {v.focus_node for v in found} == {"place/01001"}


def test_the_place_sample_takes_the_first_places_of_each_state_and_level(
    data_settings: Settings,
) -> None:
    built = load_built_graph(data_settings.data_dir)
    everything = data_places_graph(built.graph, per_group=None)
    one_each = data_places_graph(built.graph, per_group=1)
    described = set(one_each.subjects(UMF.fipsCode, None))
    groups = {
        (everything.value(s, UMF.stateCode), everything.value(s, UMF.geographicLevel))
        for s in everything.subjects(UMF.fipsCode, None)
    }
    assert len(described) == len(groups)
