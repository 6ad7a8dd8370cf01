"""Typed records: one pydantic model per entity type, validating a file's front matter.

Records hold references as compact ids; whether the named entity exists is checked in
:mod:`mobility_kg.ingest.corpus`, which sees the whole corpus.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Annotated, ClassVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from mobility_kg.errors import InvalidIdError
from mobility_kg.ids import EntityType, parse_compact_id
from mobility_kg.vocabulary import ACTORS, EVIDENCE_STRENGTHS, GEOGRAPHIC_LEVELS, SUBGROUPS

# Control characters (Unicode category Cc) other than tab and newline: no text may hold them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The planning guide (Boosting Upward Mobility: A Planning Guide for Local Action) has ten steps.
GUIDE_STEPS = 10


def _kind_of(value: object) -> str:
    """How a YAML value that is not text reads in an error message."""
    if value is None:
        return "an empty value"
    if isinstance(value, bytes):
        return "binary data (!!binary)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dt.datetime):
        return f"the timestamp {value.isoformat(sep=' ')}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _plain_text(value: object) -> object:
    """Only a YAML string is text (pydantic would turn !!binary bytes into one), and text holds
    no control characters but tab and newline."""
    if not isinstance(value, str):
        # YAML reads 2021-02-03, 1984 and yes as a date, a number and a boolean.
        quotable = isinstance(value, dt.date | int | float)
        hint = "; quote it to use it as text" if quotable else ""
        raise ValueError(f"must be text, got {_kind_of(value)}{hint}")
    if problem := control_character_in(value):
        raise ValueError(problem)
    return value


def control_character_in(text: str) -> str | None:
    """What is wrong with ``text`` if it holds a control character other than tab and newline."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    return (
        f"must not contain the control character U+{ord(found.group()):04X} "
        "(text may hold tabs and newlines only)"
    )


def _whole_number(value: object) -> object:
    """A whole number: YAML's integers (or digits in quotes), not a boolean or a float."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"must be a whole number, got {_kind_of(value)}")
    return value


def _guide_step(value: int) -> int:
    if not 1 <= value <= GUIDE_STEPS:
        raise ValueError(
            f"must be a step of the planning guide, from 1 to {GUIDE_STEPS}, got {value}"
        )
    return value


def _date_only(value: object) -> object:
    """A date as YAML reads it (2022-03-01) or as a quoted ISO string; not a number, which
    pydantic would read as seconds since 1970."""
    if isinstance(value, dt.date | str) and not isinstance(value, dt.datetime):
        return value
    raise ValueError(f"must be a date like 2022-03-01, got {_kind_of(value)}")


# Every string field is built on Str: text fields, URLs, ids and controlled values alike.
Str = Annotated[str, BeforeValidator(_plain_text)]
Text = Annotated[Str, StringConstraints(strip_whitespace=True, min_length=1)]
Date = Annotated[dt.date, BeforeValidator(_date_only)]


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


Url = Annotated[Str, AfterValidator(_check_url)]


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


AnyId = Annotated[Str, AfterValidator(_id_of())]
DimensionId = Annotated[Str, AfterValidator(_id_of(EntityType.DIMENSION))]
PillarId = Annotated[Str, AfterValidator(_id_of(EntityType.PILLAR))]
PredictorId = Annotated[Str, AfterValidator(_id_of(EntityType.PREDICTOR))]
StrategyId = Annotated[Str, AfterValidator(_id_of(EntityType.STRATEGY))]
PlaceId = Annotated[Str, AfterValidator(_id_of(EntityType.PLACE))]
Level = Annotated[Str, AfterValidator(_one_of(GEOGRAPHIC_LEVELS, "geographic level"))]
Subgroup = Annotated[Str, AfterValidator(_one_of(SUBGROUPS, "subgroup"))]
Actor = Annotated[Str, AfterValidator(_one_of(ACTORS, "actor"))]
Strength = Annotated[Str, AfterValidator(_one_of(EVIDENCE_STRENGTHS, "evidence strength"))]


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
    years: tuple[Annotated[int, BeforeValidator(_whole_number), Field(ge=1900, le=2100)], ...] = ()


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
    date: Date | None = None
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
    date: Date | None = None


class GuideRecord(Record):
    entity_type = EntityType.GUIDE
    step: Annotated[int, BeforeValidator(_whole_number), AfterValidator(_guide_step)]


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
