"""Entities, their links, strategies, paths and counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mobility_kg.api.deps import StateDep
from mobility_kg.api.problems import PROBLEM_RESPONSES
from mobility_kg.api.schemas import EntityOut, NeighborsOut, PathsOut, StatsOut, StrategiesOut
from mobility_kg.graph.inspect import graph_stats, show_entity
from mobility_kg.ids import EntityType

router = APIRouter(prefix="/api", tags=["graph"], responses=PROBLEM_RESPONSES)


@router.get("/entities/{type}/{slug}", response_model=EntityOut, summary="One entity and its links")
def entity(state: StateDep, type: EntityType, slug: str) -> EntityOut:
    """Labels, definition (the lead), source, sections with their text, links in and out."""
    built = state.built
    return EntityOut.model_validate(
        show_entity(built.graph, built.manifest.base_iri, f"{type.value}/{slug}")
    )


@router.get(
    "/entities/{type}/{slug}/neighbors",
    response_model=NeighborsOut,
    summary="Entities within N links",
)
def neighbors(
    state: StateDep,
    type: EntityType,
    slug: str,
    depth: Annotated[int, Query(ge=1, le=5)] = 1,
    entity_type: Annotated[
        EntityType | None, Query(description="Only entities of this type.")
    ] = None,
) -> NeighborsOut:
    """Entities linked within ``depth`` links, in either direction, nearest first."""
    start = f"{type.value}/{slug}"
    found = state.graph.neighbors(start, depth, entity_type)
    return NeighborsOut.model_validate(
        {
            "id": start,
            "depth": depth,
            "type": entity_type.value if entity_type else None,
            "count": len(found),
            "data": found,
        }
    )


@router.get(
    "/predictors/{slug}/strategies",
    response_model=StrategiesOut,
    summary="Strategies for a predictor",
)
def strategies(state: StateDep, slug: str) -> StrategiesOut:
    """The strategies that address the predictor, strongest evidence first."""
    predictor = f"predictor/{slug}"
    found = state.graph.strategies_for(predictor)
    return StrategiesOut.model_validate(
        {"predictor": predictor, "count": len(found), "data": found}
    )


@router.get("/path", response_model=PathsOut, summary="Shortest paths between two entities")
def path(
    state: StateDep,
    from_: Annotated[str, Query(alias="from", examples=["post/using-pandemic-recovery-funds"])],
    to: Annotated[str, Query(examples=["strategy/housing-trust-funds"])],
    limit: Annotated[int, Query(ge=1, le=10)] = 3,
) -> PathsOut:
    """Up to ``limit`` shortest paths, each link with its property."""
    found = state.graph.paths(from_, to, limit)
    return PathsOut.model_validate({"from": from_, "to": to, "count": len(found), "data": found})


@router.get(
    "/stats", response_model=StatsOut, summary="Entities by type, triples, links by property"
)
def stats(state: StateDep) -> StatsOut:
    """Counts over the whole graph."""
    return StatsOut.model_validate(graph_stats(state.built.graph, state.built.manifest.base_iri))
