"""Response models of the metric-data routes (issue 9), each with an example."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


def _example(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(from_attributes=True, json_schema_extra={"examples": [example]})


PLACE = {
    "id": "place/27123",
    "fips": "27123",
    "name": "Ramsey County",
    "state": "MN",
    "state_name": "Minnesota",
    "level": "county",
    "counties": [],
}
VALUE = {
    "variable": "share_employed",
    "label": "Employed, ages 25-54",
    "unit": "share",
    "higher_is_better": True,
    "year": 2023,
    "value": 0.81,
    "lower_bound": 0.79,
    "upper_bound": 0.83,
    "quality": "Strong",
    "national_percentile": 71.2,
    "state_percentile": 40.5,
    "standing": 71.2,
    "first_year": 2014,
    "change_since_first_year": 0.02,
}
STRATEGY = {
    "id": "strategy/housing-choice-vouchers",
    "label": "Housing choice vouchers",
    "evidence_strength": "moderate",
    "evidence_rating": None,
    "actors": ["housing-authorities"],
    "addresses": ["predictor/housing-stability"],
    "source": "https://upward-mobility.urban.org/framework/neighborhoods/stability",
}
PREDICTOR = {
    "id": "predictor/employment-opportunities",
    "label": "Employment opportunities",
    "standing": 71.2,
    "bottom_quartile": False,
    "metrics": [
        {
            "id": "metric/employment-to-population-ratio",
            "label": "Employment-to-population ratio",
            "variables": [VALUE],
        }
    ],
    "strategies": [],
}
RANKED = {
    "rank": 1,
    "place": "place/27123",
    "name": "Ramsey County",
    "state": "MN",
    "value": 0.81,
    "lower_bound": 0.79,
    "upper_bound": 0.83,
    "quality": "Strong",
    "national_percentile": 71.2,
    "state_percentile": 40.5,
}


class PlaceOut(BaseModel):
    model_config = _example(PLACE)
    id: str
    fips: str
    name: str
    state: str
    state_name: str
    level: str
    counties: list[str]


class VariableValueOut(BaseModel):
    model_config = _example(VALUE)
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
    standing: float | None
    first_year: int
    change_since_first_year: float | None


class MetricValuesOut(BaseModel):
    model_config = _example(PREDICTOR["metrics"][0])  # type: ignore[index]
    id: str
    label: str
    variables: list[VariableValueOut]


class StrategyLinkOut(BaseModel):
    model_config = _example(STRATEGY)
    id: str
    label: str
    evidence_strength: str | None
    evidence_rating: str | None
    actors: list[str]
    addresses: list[str]
    source: str


class PredictorProfileOut(BaseModel):
    model_config = _example(PREDICTOR)
    id: str
    label: str
    standing: float | None
    bottom_quartile: bool
    metrics: list[MetricValuesOut]
    strategies: list[StrategyLinkOut]


class PillarProfileOut(BaseModel):
    model_config = _example(
        {"id": "pillar/rewarding-work", "label": "Rewarding Work", "predictors": [PREDICTOR]}
    )
    id: str
    label: str
    predictors: list[PredictorProfileOut]


class ProfileOut(BaseModel):
    model_config = _example(
        {
            "place": PLACE,
            "subgroup": "all",
            "year": None,
            "pillars": [
                {
                    "id": "pillar/rewarding-work",
                    "label": "Rewarding Work",
                    "predictors": [PREDICTOR],
                }
            ],
            "weakest": ["predictor/safety-from-trauma"],
        }
    )
    place: PlaceOut
    subgroup: str
    year: int | None
    pillars: list[PillarProfileOut]
    weakest: list[str]


class RankedPlaceOut(BaseModel):
    model_config = _example(RANKED)
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


class ValuesOut(BaseModel):
    model_config = _example(
        {
            "metric": "metric/employment-to-population-ratio",
            "variable": "share_employed",
            "label": "Employed, ages 25-54",
            "unit": "share",
            "level": "county",
            "year": 2023,
            "subgroup": "all",
            "state": "MN",
            "order": "best first",
            "total": 87,
            "count": 1,
            "data": [RANKED],
        }
    )
    metric: str
    variable: str
    label: str
    unit: str
    level: str
    year: int | None
    subgroup: str
    state: str | None
    order: str
    total: int
    count: int
    data: list[RankedPlaceOut]
