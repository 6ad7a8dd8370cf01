"""What the app holds while it runs: everything opened once in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from mobility_kg.build import BuiltGraph
from mobility_kg.config import Settings
from mobility_kg.graph.sparql import SparqlRunner
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.search.engine import SearchEngine


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    built: BuiltGraph
    graph: EntityGraph
    engine: SearchEngine
    sparql: SparqlRunner
    stamp: tuple[int, int] | None = None  # the manifest file it was opened from
