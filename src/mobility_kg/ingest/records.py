"""Typed records: one pydantic model per entity type, validating a file's front matter.

Records hold references as compact ids; whether the named entity exists is checked in
:mod:`mobility_kg.ingest.corpus`, which sees the whole corpus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Annotated, ClassVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from mobility_kg.errors import InvalidIdError
from mobility_kg.ids import EntityType, parse_compact_id
from mobility_kg.vocabulary import ACTORS, EVIDENCE_STRENGTHS, GEOGRAPHIC_LEVELS, SUBGROUPS

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


Url = Annotated[str, AfterValidator(_check_url)]


def _id_of(*types: EntityType) -> Callable[[str], str]:
    names = " or ".join(t.value for t in types)

    def check(value: str) -> str:
        try:
            entity_type, _ = parse_compact_id(value)
        except InvalidIdError as error:
            raise ValueError(error.reason) from None
        if types and entity_type not in types:
            raise ValueError(f"{value!r} must be the id of a {names}")
        return value

    return check


def _one_of(allowed: Mapping[str, str], what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not a known {what} (allowed: {', '.join(allowed)})")
        return value

    return check


AnyId = Annotated[str, AfterValidator(_id_of())]
DimensionId = Annotated[str, AfterValidator(_id_of(EntityType.DIMENSION))]
PillarId = Annotated[str, AfterValidator(_id_of(EntityType.PILLAR))]
PredictorId = Annotated[str, AfterValidator(_id_of(EntityType.PREDICTOR))]
StrategyId = Annotated[str, AfterValidator(_id_of(EntityType.STRATEGY))]
PlaceId = Annotated[str, AfterValidator(_id_of(EntityType.PLACE))]
Level = Annotated[str, AfterValidator(_one_of(GEOGRAPHIC_LEVELS, "geographic level"))]
Subgroup = Annotated[str, AfterValidator(_one_of(SUBGROUPS, "subgroup"))]
Actor = Annotated[str, AfterValidator(_one_of(ACTORS, "actor"))]
Strength = Annotated[str, AfterValidator(_one_of(EVIDENCE_STRENGTHS, "evidence strength"))]


class Record(BaseModel):
    """Fields every corpus file has."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    entity_type: ClassVar[EntityType]
    # Fields that name other entities, so the corpus check can resolve them.
    reference_fields: ClassVar[tuple[str, ...]] = ()

    id: AnyId
    title: Text
    alt_titles: tuple[Text, ...] = ()
    source: Url
    see_also: tuple[Url, ...] = ()
    note: Text | None = None

    def references(self) -> dict[str, tuple[str, ...]]:
        """Every field that names other entities, as field name -> compact ids."""
        found: dict[str, tuple[str, ...]] = {}
        for name in self.reference_fields:
            value = getattr(self, name)
            if value is None:
                continue
            found[name] = (value,) if isinstance(value, str) else tuple(value)
        return found


class DimensionRecord(Record):
    entity_type = EntityType.DIMENSION


class PillarRecord(Record):
    entity_type = EntityType.PILLAR
    reference_fields = ("supports",)
    supports: tuple[DimensionId, ...] = Field(min_length=1)


class PredictorRecord(Record):
    entity_type = EntityType.PREDICTOR
    reference_fields = ("pillar",)
    pillar: PillarId


class MetricRecord(Record):
    entity_type = EntityType.METRIC
    reference_fields = ("predictor",)
    predictor: PredictorId
    data_sources: tuple[Text, ...] = Field(min_length=1)
    geographic_levels: tuple[Level, ...] = Field(min_length=1)
    subgroups: tuple[Subgroup, ...]
    variables: tuple[Text, ...] = ()
    years: tuple[Annotated[int, Field(ge=1900, le=2100)], ...] = ()


class EvidenceRecord(Record):
    entity_type = EntityType.EVIDENCE
    reference_fields = ("predictor", "subjects")
    predictor: PredictorId
    subjects: tuple[AnyId, ...] = ()


class StrategyRecord(Record):
    entity_type = EntityType.STRATEGY
    reference_fields = ("addresses",)
    addresses: tuple[PredictorId, ...] = Field(min_length=1)
    actors: tuple[Actor, ...] = Field(min_length=1)
    evidence_strength: Strength | None = None
    evidence_rating: Text | None = None


class TermRecord(Record):
    entity_type = EntityType.TERM
    reference_fields = ("related",)
    related: tuple[AnyId, ...] = ()


class PostRecord(Record):
    entity_type = EntityType.POST
    reference_fields = ("subjects",)
    date: dt.date | None = None
    authors: tuple[Text, ...] = ()
    subjects: tuple[AnyId, ...] = Field(min_length=1)


class PlaceRecord(Record):
    entity_type = EntityType.PLACE
    state: Text
    level: Level


class PlanRecord(Record):
    entity_type = EntityType.PLAN
    reference_fields = ("place", "priorities", "strategies")
    place: PlaceId
    priorities: tuple[PredictorId, ...] = Field(min_length=1)
    strategies: tuple[StrategyId, ...] = ()
    date: dt.date | None = None


class GuideRecord(Record):
    entity_type = EntityType.GUIDE
    step: int = Field(ge=1)


class MethodologyRecord(Record):
    """How the framework was made: its predictors, metrics, data or evidence library."""

    entity_type = EntityType.METHODOLOGY
    reference_fields = ("subjects",)
    subjects: tuple[AnyId, ...] = Field(min_length=1)


RECORD_TYPES: Mapping[EntityType, type[Record]] = {
    cls.entity_type: cls
    for cls in (
        DimensionRecord,
        PillarRecord,
        PredictorRecord,
        MetricRecord,
        EvidenceRecord,
        StrategyRecord,
        TermRecord,
        PostRecord,
        PlaceRecord,
        PlanRecord,
        GuideRecord,
        MethodologyRecord,
    )
}
