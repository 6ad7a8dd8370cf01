"""Compact ids (``<type>/<slug>``) and their IRIs. Pure functions, no I/O."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import NewType

from mobility_kg.errors import InvalidIdError

CompactId = NewType("CompactId", str)
Iri = NewType("Iri", str)

DEFAULT_BASE_IRI = "https://w3id.org/mobility-kg/id/"


class EntityType(StrEnum):
    """Every kind of entity the graph holds; the value is the id prefix."""

    DIMENSION = "dimension"
    PILLAR = "pillar"
    PREDICTOR = "predictor"
    METRIC = "metric"
    EVIDENCE = "evidence"
    STRATEGY = "strategy"
    TERM = "term"
    POST = "post"
    PLAN = "plan"
    GUIDE = "guide"
    PLACE = "place"
    METHODOLOGY = "methodology"


# The corpus folder of each type, relative to the corpus root.
FOLDERS: dict[EntityType, str] = {
    EntityType.DIMENSION: "framework/dimensions",
    EntityType.PILLAR: "framework/pillars",
    EntityType.PREDICTOR: "framework/predictors",
    EntityType.METRIC: "framework/metrics",
    EntityType.EVIDENCE: "evidence",
    EntityType.STRATEGY: "strategies",
    EntityType.TERM: "glossary",
    EntityType.POST: "posts",
    EntityType.PLAN: "plans",
    EntityType.GUIDE: "guide",
    EntityType.PLACE: "places",
    EntityType.METHODOLOGY: "methodology",
}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def parse_compact_id(value: str) -> tuple[EntityType, str]:
    """Split ``<type>/<slug>`` into its type and slug.

    Raises:
        InvalidIdError: not two parts, an unknown type, or a slug that is not kebab-case.
    """
    type_name, sep, slug = value.partition("/")
    if not sep:
        raise InvalidIdError(value, "a compact id has the form <type>/<slug>")
    try:
        entity_type = EntityType(type_name)
    except ValueError:
        known = ", ".join(t.value for t in EntityType)
        raise InvalidIdError(value, f"unknown type {type_name!r} (known: {known})") from None
    if not _SLUG.match(slug):
        raise InvalidIdError(value, "the slug must be lower-case kebab-case (a-z, 0-9, -)")
    return entity_type, slug


def compact_id(value: str) -> CompactId:
    """Return ``value`` as a checked :data:`CompactId`.

    Raises:
        InvalidIdError: see :func:`parse_compact_id`.
    """
    parse_compact_id(value)
    return CompactId(value)


def entity_type_of(value: CompactId) -> EntityType:
    return parse_compact_id(value)[0]


def to_iri(base_iri: str, value: CompactId) -> Iri:
    return Iri(base_iri + value)


def from_iri(base_iri: str, iri: str) -> CompactId | None:
    """The compact id of an entity IRI under ``base_iri``, or None for any other IRI."""
    if not iri.startswith(base_iri):
        return None
    rest = iri[len(base_iri) :]
    try:
        parse_compact_id(rest)
    except InvalidIdError:
        return None
    return CompactId(rest)


def closest_ids(wanted: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known ids most like ``wanted``: same type first, by slug spelling, then ids whose
    slug shares a whole word with it (``predictor/jobs`` -> ``predictor/jobs-paying-...``)."""
    type_name, _, slug = wanted.rpartition("/")
    pool = [k for k in known if k.startswith(type_name + "/")] or list(known)
    by_slug: dict[str, str] = {}
    for candidate in pool:
        by_slug.setdefault(candidate.rpartition("/")[2], candidate)
    found = [
        by_slug[s] for s in difflib.get_close_matches(slug, list(by_slug), n=limit, cutoff=0.6)
    ]
    words = set(slug.split("-")) - {""}
    for candidate_slug, candidate in sorted(by_slug.items()):
        if len(found) >= limit:
            break
        if candidate not in found and words & set(candidate_slug.split("-")):
            found.append(candidate)
    return found
