"""The shipped dataset built in full (slow): every value in the store, Ramsey County's profile."""

from __future__ import annotations

import pytest

from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.config import Settings
from mobility_kg.data.examples import EXAMPLES
from mobility_kg.data.profile import profile, rank
from mobility_kg.data.stage import open_metric_data
from mobility_kg.graph.sparql import SparqlRunner, check_query

pytestmark = pytest.mark.slow


def test_sparql_counts_every_shipped_value(shipped_settings: Settings) -> None:
    data_dir = shipped_settings.data_dir
    manifest = read_manifest(data_dir)
    runner = SparqlRunner(
        artifact_path(data_dir, manifest, "graph"),
        120.0,
        10_000_000,
        artifact_path(data_dir, manifest, "store"),
    )
    try:
        query = EXAMPLES["count-observations"]
        body = runner.run(query, check_query(query), "text/csv").decode()
    finally:
        runner.close()
    assert body.split() == ["observations", "1575344"]


def test_ramsey_county_profile_and_rank(shipped_settings: Settings) -> None:
    data, entities = open_metric_data(shipped_settings.data_dir)
    assert sum(p.level == "county" for p in data.places.values()) == 3155
    assert sum(p.level == "city" for p in data.places.values()) == 486
    result = profile(data, entities, "Ramsey County, MN")
    assert [p.id for p in result.pillars] == [  # the framework's order
        "pillar/rewarding-work",
        "pillar/opportunity-rich-inclusive-neighborhoods",
        "pillar/high-quality-education",
        "pillar/healthy-environment-health-care",
        "pillar/responsive-just-governance",
    ]
    flagged = [p for pillar in result.pillars for p in pillar.predictors if p.bottom_quartile]
    assert set(result.weakest) == {p.id for p in flagged}
    for predictor in flagged:
        assert predictor.strategies == entities.strategies_for(predictor.id)
    ranking = rank(data, "share_employed", limit=5000)
    assert ranking.total >= 2500 and ranking.year == 2023
    values = [r.value for r in ranking.places]
    assert values == sorted(values, reverse=True)
