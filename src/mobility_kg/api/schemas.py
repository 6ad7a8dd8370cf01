"""Public response models: the API's contract, kept apart from internal records.

Every model carries an example (built from the shared constants below), so every route's
response is illustrated in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

HIT = {
    "id": "strategy/eviction-right-to-counsel",
    "type": "strategy",
    "title": "Right to counsel in eviction cases",
    "score": 0.0328,
    "snippet": "Tenants facing an eviction get a free lawyer in housing court.",
    "section": "Summary",
    "anchor": "",
    "source_url": "https://www.urban.org/research/publication/right-counsel-eviction-cases",
    "about": ["predictor/housing-stability"],
}
CITATION = {
    "id": "evidence/housing-stability",
    "title": "Evidence: Housing stability",
    "section": "What the research finds",
    "source_url": "https://upward-mobility.urban.org/framework/neighborhoods/stability",
}
SENTENCE = {
    "text": "Legal help in housing court keeps families housed.",
    "score": 0.61,
    "citation": CITATION,
    "quote": "Legal help in housing court keeps families housed.",
}
LINKED = {
    "id": "predictor/housing-stability",
    "type": "predictor",
    "title": "Housing stability",
    "relation": "predictor",
}
LINK = {
    "property": "umf:measuredBy",
    "id": "metric/student-homelessness",
    "label": "Student homelessness",
}
HOP = {
    "source": "strategy/housing-choice-vouchers",
    "property": "umf:addresses",
    "target": "predictor/housing-stability",
}
NEIGHBOR = {
    "id": "strategy/housing-choice-vouchers",
    "type": "strategy",
    "label": "Housing choice vouchers",
    "depth": 1,
    "via": HOP,
}
STRATEGY = {
    "id": "strategy/housing-choice-vouchers",
    "label": "Housing choice vouchers",
    "evidence_strength": "moderate",
    "evidence_rating": "What Works for Health: Some Evidence",
    "actors": ["housing-authorities"],
    "addresses": ["predictor/housing-stability"],
    "source": "https://www.countyhealthrankings.org/",
}


def _example(example: dict[str, Any], *, by_name: bool = False) -> ConfigDict:
    return ConfigDict(
        from_attributes=True, populate_by_name=by_name, json_schema_extra={"examples": [example]}
    )


class HitOut(BaseModel):
    model_config = _example(HIT)
    id: str
    type: str
    title: str
    score: float
    snippet: str
    section: str
    anchor: str = Field(
        description="Fragment of the matched section in the entity's IRI ('' for the summary)"
    )
    source_url: str
    about: list[str]


class SearchOut(BaseModel):
    """The list envelope every list uses: the query echoed back, a count, the data."""

    model_config = _example(
        {
            "query": "what helps families avoid eviction?",
            "mode": "hybrid",
            "k": 10,
            "type": None,
            "pillar": None,
            "predictor": None,
            "count": 1,
            "data": [HIT],
        }
    )
    query: str
    mode: str
    k: int
    type: str | None
    pillar: str | None
    predictor: str | None
    count: int
    data: list[HitOut]


class CitationOut(BaseModel):
    model_config = _example(CITATION)
    id: str
    title: str
    section: str
    source_url: str


class SentenceOut(BaseModel):
    model_config = _example(SENTENCE)
    text: str
    score: float
    citation: CitationOut
    quote: str = Field(description="The corpus sentence the text rests on, word for word")


class LinkedOut(BaseModel):
    model_config = _example(LINKED)
    id: str
    type: str
    title: str
    relation: str


class DataValueOut(BaseModel):
    """One value of the Mobility Metrics data stated by an answer (issue 10)."""

    place: str = Field(description="The place's compact id, place/<FIPS>")
    place_name: str
    state: str
    level: str = Field(description="county or city")
    variable: str
    label: str
    unit: str
    higher_is_better: bool | None
    year: int
    value: float
    lower_bound: float | None
    upper_bound: float | None
    quality: str | None = Field(description="Strong, Marginal or Weak (too uncertain to rely on)")
    weak: bool
    national_percentile: float | None
    state_percentile: float | None
    dataset: str = Field(description="The qb:DataSet's id, data/dataset/<variable>/<level>")
    source_url: str = Field(description="The upstream file (UI-Research/mobility-from-poverty)")
    metric: str
    predictor: str
    rank: int | None = Field(None, description="Its position, in an answer that ranks places")
    median: float | None = Field(None, description="The median it is compared with")
    subgroup: str = Field(
        "all",
        description="The group of people the value is for: `all`, or a subgroup such as "
        "`race-ethnicity/black-non-hispanic` when the question names one the data break down",
    )


class AnswerOut(BaseModel):
    model_config = _example(
        {
            "question": "what helps families avoid eviction?",
            "answer": [SENTENCE],
            "hits": [HIT],
            "linked": [LINKED],
            "intent": "action",
            "abstained": False,
            "message": "",
        }
    )
    question: str
    answer: list[SentenceOut]
    hits: list[HitOut]
    linked: list[LinkedOut]
    intent: str = Field(
        description=(
            "What the question asks for: action, figure, definition, evidence, list, other"
        )
    )
    abstained: bool = Field(description="True when nothing in the corpus answers the question")
    message: str = Field(description="Says so when the answer is empty")
    data: list[DataValueOut] = Field(
        [], description="The data's values that an answer about places states"
    )
    places: list[str] = Field([], description="The places a question about places' data names")
    data_question: str = Field(
        "", description="What a question about places' data asks: profile, median or ranking"
    )


class LinkOut(BaseModel):
    model_config = _example(LINK)
    property: str
    id: str
    label: str


SECTION_TEXT = {
    "anchor": "why-it-matters-for-mobility",
    "title": "Why it matters for mobility",
    "text": "A forced move can cost a worker a job and a child a school year.",
}


class SectionTextOut(BaseModel):
    model_config = _example(SECTION_TEXT)
    anchor: str = Field(description="The fragment of the section's IRI and its page anchor.")
    title: str
    text: str = Field(description="The section's text, Markdown.")


class EntityOut(BaseModel):
    model_config = _example(
        {
            "id": "predictor/housing-stability",
            "type": "predictor",
            "iri": "https://w3id.org/mobility-kg/id/predictor/housing-stability",
            "label": "Housing stability",
            "alt_labels": ["Housing instability and homelessness"],
            "definition": "Whether families can stay in their homes without forced moves.",
            "source": "https://upward-mobility.urban.org/framework/neighborhoods/stability",
            "sections": ["Why it matters for mobility"],
            "links_out": [LINK],
            "links_in": [],
            "section_texts": [SECTION_TEXT],
        }
    )
    id: str
    type: str
    iri: str
    label: str
    alt_labels: list[str]
    definition: str
    source: str
    sections: list[str]
    links_out: list[LinkOut]
    links_in: list[LinkOut]
    section_texts: list[SectionTextOut]


class HopOut(BaseModel):
    model_config = _example(HOP)
    source: str
    property: str
    target: str


class NeighborOut(BaseModel):
    model_config = _example(NEIGHBOR)
    id: str
    type: str
    label: str
    depth: int
    via: HopOut


class NeighborsOut(BaseModel):
    model_config = _example(
        {
            "id": "predictor/housing-stability",
            "depth": 1,
            "type": None,
            "count": 1,
            "data": [NEIGHBOR],
        }
    )
    id: str
    depth: int
    type: str | None = Field(None, description="The type the neighbours were filtered on")
    count: int
    data: list[NeighborOut]


class StrategyOut(BaseModel):
    model_config = _example(STRATEGY)
    id: str
    label: str
    evidence_strength: str | None
    evidence_rating: str | None
    actors: list[str]
    addresses: list[str]
    source: str


class StrategiesOut(BaseModel):
    model_config = _example(
        {"predictor": "predictor/housing-stability", "count": 1, "data": [STRATEGY]}
    )
    predictor: str
    count: int
    data: list[StrategyOut]


class PathsOut(BaseModel):
    model_config = _example(
        {
            "from": "post/philadelphia-prioritizing-data-collection",
            "to": "strategy/housing-choice-vouchers",
            "count": 1,
            "data": [[HOP]],
        },
        by_name=True,
    )
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    count: int
    data: list[list[HopOut]]


class StatsOut(BaseModel):
    model_config = _example(
        {"triples": 7650, "entities": {"predictor": 24}, "links": {"umf:addresses": 159}}
    )
    triples: int
    entities: dict[str, int]
    links: dict[str, int]


class HealthOut(BaseModel):
    model_config = _example(
        {
            "status": "ok",
            "version": "0.1.0",
            "entities": 243,
            "chunks": 644,
            "query_encoder": "onnx",
            "worker": 4242,
        }
    )
    status: str
    version: str
    entities: int
    chunks: int
    query_encoder: str
    worker: int = Field(description="Process id of the worker that answered")
