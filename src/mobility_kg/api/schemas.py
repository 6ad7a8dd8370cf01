"""Public response models: the API's contract, kept apart from internal records."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class HitOut(Public):
    id: str = Field(examples=["strategy/eviction-right-to-counsel"])
    type: str = Field(examples=["strategy"])
    title: str
    score: float
    snippet: str
    section: str
    source_url: str
    about: list[str] = Field(examples=[["predictor/housing-stability"]])


class SearchOut(Public):
    query: str = Field(examples=["what helps families avoid eviction?"])
    mode: str = Field(examples=["hybrid"])
    results: list[HitOut]


class CitationOut(Public):
    id: str
    title: str
    section: str
    source_url: str


class SentenceOut(Public):
    text: str
    score: float
    citation: CitationOut


class LinkedOut(Public):
    id: str
    type: str
    title: str
    relation: str = Field(examples=["strategy"])


class AnswerOut(Public):
    question: str
    answer: list[SentenceOut]
    hits: list[HitOut]
    linked: list[LinkedOut]


class LinkOut(Public):
    property: str = Field(examples=["umf:pillar"])
    id: str
    label: str


class EntityOut(Public):
    id: str = Field(examples=["predictor/housing-stability"])
    type: str
    iri: str
    label: str
    alt_labels: list[str]
    definition: str
    source: str
    sections: list[str]
    links_out: list[LinkOut]
    links_in: list[LinkOut]


class HopOut(Public):
    source: str
    property: str
    target: str


class NeighborOut(Public):
    id: str
    type: str
    label: str
    depth: int
    via: HopOut


class NeighborsOut(Public):
    id: str
    depth: int
    count: int
    data: list[NeighborOut]


class StrategyOut(Public):
    id: str
    label: str
    evidence_strength: str | None
    evidence_rating: str | None
    actors: list[str]
    addresses: list[str]
    source: str


class StrategiesOut(Public):
    predictor: str
    count: int
    data: list[StrategyOut]


class PathsOut(Public):
    model_config = ConfigDict(populate_by_name=True, from_attributes=True)
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    count: int
    data: list[list[HopOut]]


class StatsOut(Public):
    triples: int
    entities: dict[str, int]
    links: dict[str, int]


class HealthOut(Public):
    status: str = Field(examples=["ok"])
    version: str
    entities: int
    chunks: int
