"""The FastAPI app factory. Artifacts are opened once, in the lifespan, and kept on app.state."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from mobility_kg import __version__
from mobility_kg.api import problems
from mobility_kg.api.deps import StateDep
from mobility_kg.api.routes import documents, graph, linked_data, places, search, sparql, web
from mobility_kg.api.schemas import HealthOut
from mobility_kg.api.state import AppState
from mobility_kg.api.web.pages import STATIC_DIR
from mobility_kg.artifacts import artifact_path
from mobility_kg.build import load_built_graph
from mobility_kg.config import Settings
from mobility_kg.graph.sparql import SparqlRunner
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.search.embedder import Embedder
from mobility_kg.search.engine import SearchEngine


def open_state(settings: Settings, embedder: Embedder | None = None) -> AppState:
    """Load the build in the data dir: graph, traversal projection and search engine.

    Raises:
        MissingArtifact, StaleArtifact: no usable build.
    """
    built = load_built_graph(settings.data_dir)
    return AppState(
        settings=settings,
        built=built,
        graph=EntityGraph(built.graph, built.manifest.base_iri),
        engine=SearchEngine.open(settings.data_dir, embedder),
        sparql=SparqlRunner(
            artifact_path(settings.data_dir, built.manifest, "graph"),
            settings.sparql_timeout,
            settings.sparql_max_result_bytes,
            settings.data_dir / built.manifest.files["store"]
            if "store" in built.manifest.files
            else None,
        ),
    )


def create_app(settings: Settings, embedder: Embedder | None = None) -> FastAPI:
    """A new app serving the build in ``settings.data_dir``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = open_state(settings, embedder)
        app.state.kg = state
        # One lock for the app's lifetime: document writes take turns across state swaps.
        app.state.write_lock = threading.Lock()
        try:
            yield
        finally:
            app.state.kg.sparql.close()

    app = FastAPI(
        title="mobility-kg",
        version=__version__,
        summary="Knowledge graph and semantic search over the Upward Mobility Framework",
        lifespan=lifespan,
    )
    problems.install(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
        )
    app.include_router(search.router)
    app.include_router(graph.router)
    app.include_router(linked_data.router)
    app.include_router(sparql.router)
    app.include_router(web.router)
    app.include_router(places.router)  # metric data (issue 9)
    if settings.api_key:
        app.include_router(documents.router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get(
        "/health", response_model=HealthOut, summary="Liveness and what is loaded", tags=["meta"]
    )
    def health(state: StateDep) -> HealthOut:
        """The server is up; how many entities and chunks it serves."""
        entities = sum(state.built.manifest.entities_by_type.values())
        return HealthOut(
            status="ok", version=__version__, entities=entities, chunks=len(state.engine.chunks)
        )

    return app
