"""The build with metric data: places in the graph, the cube in the store, percentiles, and the
profile's walk place -> metric -> predictor -> strategy."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.build import load_built_graph
from mobility_kg.config import Settings
from mobility_kg.data.cube import Tally, load_store, observation_lines
from mobility_kg.data.dataset import iter_observations
from mobility_kg.data.profile import compare, profile, rank
from mobility_kg.data.query import MetricData
from mobility_kg.data.sources import Level
from mobility_kg.data.stage import open_metric_data
from mobility_kg.data.upstream import Row
from mobility_kg.errors import DataError, InvalidParameter, UnknownEntityError
from mobility_kg.graph.namespaces import UMF
from mobility_kg.graph.traverse import EntityGraph


@pytest.fixture(scope="module")
def opened(data_settings: Settings) -> tuple[MetricData, EntityGraph]:
    return open_metric_data(data_settings.data_dir)


def test_every_place_is_an_entity_and_documents_keep_their_text(data_settings: Settings) -> None:
    built = load_built_graph(data_settings.data_dir)
    entities = EntityGraph(built.graph, built.manifest.base_iri)
    assert entities.label("place/01001") == "Autauga County, Alabama"
    # the shipped document of Ramsey County keeps its title; the data adds the state code
    assert entities.label("place/27123") == "Ramsey County, Minnesota"
    assert built.manifest.data["places_from_data"] == {"county": 1, "city": 2}
    assert built.manifest.entities_by_type["place"] == 13  # 10 documents + Autauga + 2 cities


def test_store_holds_every_observation_of_the_fixture(data_settings: Settings) -> None:
    manifest = read_manifest(data_settings.data_dir)
    store = pyoxigraph.Store.read_only(
        str(artifact_path(data_settings.data_dir, manifest, "store"))
    )
    count = next(
        iter(
            store.query(
                "SELECT (COUNT(*) AS ?n) WHERE { ?o <http://purl.org/linked-data/cube#dataSet> ?d }"
            )
        )
    )[0]
    corpus = data_settings.corpus_dir
    assert corpus is not None
    rows = sum(1 for level in Level for _ in iter_observations(corpus / "data", level))
    assert int(count.value) == rows > 500


STRUCTURE_BREAKS = {
    "an observation without exactly one value, place, year, subgroup and data set": """
        SELECT ?o WHERE {
          ?o qb:dataSet ?d .
          { SELECT ?o (COUNT(?p) AS ?n) WHERE {
              VALUES ?p { qb:dataSet umf:value umf:refArea umf:refPeriod umf:subgroup }
              ?o ?p ?x } GROUP BY ?o }
          FILTER(?n != 5)
        }""",
    "a percentile outside 0..100": """
        SELECT ?o WHERE {
          { ?o umf:nationalPercentile ?p } UNION { ?o umf:statePercentile ?p }
          FILTER(?p < 0 || ?p > 100) }""",
    "a bound on the wrong side of its value": """
        SELECT ?o WHERE {
          ?o umf:value ?v . OPTIONAL { ?o umf:lowerBound ?lb } OPTIONAL { ?o umf:upperBound ?ub }
          FILTER((BOUND(?lb) && ?lb > ?v) || (BOUND(?ub) && ?ub < ?v)) }""",
}


@pytest.mark.parametrize("what", sorted(STRUCTURE_BREAKS))
def test_every_observation_in_the_store_is_well_formed(data_settings: Settings, what: str) -> None:
    manifest = read_manifest(data_settings.data_dir)
    store = pyoxigraph.Store.read_only(
        str(artifact_path(data_settings.data_dir, manifest, "store"))
    )
    prefixes = {"qb": "http://purl.org/linked-data/cube#", "umf": str(UMF)}
    broken = list(store.query(STRUCTURE_BREAKS[what], prefixes=prefixes))
    assert broken == [], what


def test_a_store_that_loses_triples_is_refused(tmp_path: Path) -> None:
    row: Row = ("share_employed", "01001", 2023, "all", "All", 0.5, 0.4, 0.6, 1)
    tally = Tally()
    lines = observation_lines(
        "https://example.org/", Level.COUNTY, [row, row], {"01001": "01"}, tally=tally
    )
    with pytest.raises(DataError, match="holds 10 triples of the 20 written"):
        load_store(tmp_path / "store", lines, tally)


def test_percentiles_among_the_fixture_counties(opened: tuple[MetricData, EntityGraph]) -> None:
    data, _ = opened
    # three counties with distinct values: mid-rank percentiles 1/6, 1/2 and 5/6
    year, rows = data.values("pctl_income_50", Level.COUNTY, 2023)
    assert year == 2023
    ordered = sorted(rows, key=lambda r: r[1].value)
    assert [r[1].national_percentile for r in ordered] == [16.7, 50.0, 83.3]  # one decimal
    # each county is alone in its state
    assert {r[1].state_percentile for r in rows} == {50.0}


def test_profile_of_ramsey_county(opened: tuple[MetricData, EntityGraph]) -> None:
    data, entities = opened
    result = profile(data, entities, "Ramsey County, MN")
    assert result.place.id == "place/27123"
    pillars = {p.id: p for p in result.pillars}
    work = {p.id: p for p in pillars["pillar/rewarding-work"].predictors}
    income = work["predictor/opportunities-for-income"].metrics[0]
    assert income.id == "metric/household-income-percentiles"
    median = next(v for v in income.variables if v.variable == "pctl_income_50")
    assert median.year == 2023 and median.first_year == 2014
    assert median.quality is not None
    # the walk: a flagged predictor lists the strategies that address it, strongest first
    for predictor in (p for pillar in result.pillars for p in pillar.predictors):
        if predictor.bottom_quartile:
            assert predictor.id in result.weakest
            assert predictor.strategies == entities.strategies_for(predictor.id)
        else:
            assert predictor.strategies == []


def test_names_resolve_and_misspellings_suggest(opened: tuple[MetricData, EntityGraph]) -> None:
    data, _ = opened
    assert data.resolve("27123").id == "place/27123"
    assert data.resolve("place/2758000").name == "St. Paul city"
    assert data.resolve("saint paul").fips == "2758000"
    assert data.resolve("Autauga County, AL").fips == "01001"
    with pytest.raises(UnknownEntityError) as caught:
        data.resolve("Ramsy County")
    assert caught.value.suggestions[0].startswith("place/27123")
    with pytest.raises(UnknownEntityError) as ambiguous:
        data.resolve("philadelphia")
    assert [s.split(" ")[0] for s in ambiguous.value.suggestions] == [
        "place/42101",
        "place/4260000",
    ]


def test_rank_and_compare(opened: tuple[MetricData, EntityGraph]) -> None:
    data, entities = opened
    best = rank(data, "rate_injury_death", year=2020)
    # fewer injury deaths is better: lowest first
    assert [r.value for r in best.places] == sorted(r.value for r in best.places)
    worst = rank(data, "rate_injury_death", year=2020, worst=True, limit=1)
    assert worst.places[0].value == max(r.value for r in best.places)
    assert rank(data, "share_employed", state="MN").total == 1
    with pytest.raises(InvalidParameter):
        rank(data, "share_employed", level="state")
    with pytest.raises(UnknownEntityError):
        rank(data, "share_employd")
    both = compare(data, entities, ["27123", "42101"])
    assert [p.id for p in both.places] == ["place/27123", "place/42101"]
    assert all(v is not None for v in both.variables["pctl_income_50"])


def test_rank_table_matches_the_store(data_settings: Settings) -> None:
    data, _ = open_metric_data(data_settings.data_dir)
    assert data.table is not None
    from_store = MetricData(data.store, load_built_graph(data_settings.data_dir).graph, data.base)
    for variable in ("pctl_income_50", "rate_injury_death", "share_employed"):
        for year in (2014, 2021, 2023):
            table_year, table_rows = data.values(variable, Level.COUNTY, year)
            store_year, store_rows = from_store.values(variable, Level.COUNTY, year)
            assert table_year == store_year
            assert sorted(table_rows) == sorted(store_rows)
            assert len(table_rows) == 3
