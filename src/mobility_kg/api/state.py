"""What the app holds while it runs: everything opened once in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from mobility_kg.build import BuiltGraph
from mobility_kg.config import Settings
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.search.engine import SearchEngine

if TYPE_CHECKING:
    from mobility_kg.graph.remote import RemoteStore
    from mobility_kg.graph.sparql import QueryForm, QueryOptions


class QueryRunner(Protocol):
    """What the SPARQL endpoint runs checked queries on: a worker over the data dir's store
    (``SparqlRunner``) or the remote store (``RemoteQueryRunner``)."""

    def run(
        self, query: str, form: QueryForm, media_type: str, options: QueryOptions = ...
    ) -> bytes: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    built: BuiltGraph
    graph: EntityGraph
    engine: SearchEngine
    sparql: QueryRunner
    stamp: tuple[int, int] | None = None  # the manifest file it was opened from
    remote: RemoteStore | None = None  # the remote store every read asks, when configured
