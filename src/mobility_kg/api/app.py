"""The FastAPI app factory. Artifacts are opened once, in the lifespan, and kept on app.state."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from mobility_kg import __version__
from mobility_kg.api import problems
from mobility_kg.api.bodies import query_in_utf8
from mobility_kg.api.deps import StateDep
from mobility_kg.api.methods import HeadAsGet
from mobility_kg.api.routes import (
    documents,
    graph,
    linked_data,
    maps,
    places,
    search,
    sparql,
    web,
)
from mobility_kg.api.schemas import HealthOut
from mobility_kg.api.state import AppState, QueryRunner
from mobility_kg.api.web.pages import STATIC_DIR
from mobility_kg.artifacts import artifact_path, manifest_stamp
from mobility_kg.build import added_document_ids
from mobility_kg.config import Settings
from mobility_kg.graph.sparql import SparqlRunner
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.search.embedder import Embedder
from mobility_kg.search.engine import SearchEngine
from mobility_kg.stores import open_graph


def _silent(step: str) -> None:
    """The default progress callback: say nothing."""


def open_state(
    settings: Settings,
    embedder: Embedder | None = None,
    progress: Callable[[str], None] = _silent,
) -> AppState:
    """Load the build in the data dir: graph, traversal projection and search engine.
    ``progress`` is told what is loading before each step.

    Raises:
        MissingArtifact, StaleArtifact: no usable build.
    """
    stamp = manifest_stamp(settings.data_dir)
    where = settings.store_query_url if settings.remote_store else settings.data_dir
    progress(f"loading the graph from {where}")
    opened = open_graph(settings)
    built = opened.built
    graph = EntityGraph(built.graph, built.manifest.base_iri)
    progress(
        f"loading the search index and the embedding model ({len(built.graph)} triples loaded)"
    )
    try:
        engine = SearchEngine.open(
            settings.data_dir,
            embedder,
            settings.query_encoder,
            batch_queries=True,
            pgvector_url=settings.pgvector_url,
            pgvector_ef_search=settings.pgvector_ef_search,
        )
    except BaseException:
        opened.close()
        raise
    runner: QueryRunner
    if opened.remote is not None:
        from mobility_kg.graph.remote import RemoteQueryRunner

        runner = RemoteQueryRunner(
            opened.remote, settings.sparql_timeout, settings.sparql_max_result_bytes
        )
    else:
        runner = SparqlRunner(
            artifact_path(settings.data_dir, built.manifest, "graph"),
            settings.sparql_timeout,
            settings.sparql_max_result_bytes,
            settings.data_dir / built.manifest.files["store"]
            if "store" in built.manifest.files
            else None,
            base_iri=built.manifest.base_iri,
            documents=added_document_ids(settings.data_dir, built.manifest),
        )
    return AppState(
        stamp=stamp,
        settings=settings,
        built=built,
        graph=graph,
        engine=engine,
        sparql=runner,
        remote=opened.remote,
    )


def refresh_state(app: FastAPI) -> AppState:
    """The app's state, reopened first if the data dir's manifest changed since it was opened.

    A stat per request: the manifest is replaced (a new file) by every commit, whichever
    process made it. Requests already running finish on the state they started with.
    """
    state: AppState = app.state.kg
    if manifest_stamp(state.settings.data_dir) == state.stamp:
        return state
    with app.state.reopen_lock:
        state = app.state.kg
        if manifest_stamp(state.settings.data_dir) != state.stamp:
            fresh = open_state(state.settings, app.state.embedder)
            app.state.kg = fresh
            state.sparql.close()
            state.engine.close()
            if state.remote is not None:
                state.remote.close()
            state = fresh
    return state


def app_from_env() -> FastAPI:
    """The app for settings from the environment: what each ``serve --workers N`` worker runs."""
    return create_app(Settings.from_env())


def create_app(
    settings: Settings,
    embedder: Embedder | None = None,
    progress: Callable[[str], None] = _silent,
) -> FastAPI:
    """A new app serving the build in ``settings.data_dir``; ``progress`` hears what the
    start-up is loading."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.embedder = embedder
        app.state.reopen_lock = threading.Lock()
        app.state.kg = open_state(settings, embedder, progress)
        try:
            yield
        finally:
            app.state.kg.sparql.close()
            app.state.kg.engine.close()
            if app.state.kg.remote is not None:
                app.state.kg.remote.close()

    # /docs and /redoc with Swagger UI and ReDoc served from the package, not from a CDN.
    app = FastAPIOffline(
        title="mobility-kg",
        version=__version__,
        summary="Knowledge graph and semantic search over the Upward Mobility Framework",
        lifespan=lifespan,
        static_url="/static/docs",
        dependencies=[Depends(query_in_utf8)],  # every route: a URL query in UTF-8
    )
    problems.install(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type"],
        )
    app.add_middleware(HeadAsGet)  # outermost: HEAD on every GET route (FastAPI adds none)
    app.include_router(search.router)
    app.include_router(graph.router)
    app.include_router(linked_data.router)
    app.include_router(sparql.router)
    app.include_router(web.router)
    app.include_router(places.router)  # metric data (issue 9)
    app.include_router(maps.router)  # maps of the metric data (issue 10)
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
            status="ok",
            version=__version__,
            entities=entities,
            chunks=len(state.engine.chunks),
            query_encoder=state.settings.query_encoder,
            worker=os.getpid(),
        )

    return app
