"""Fixtures of the search tests: the mini corpus's search engine (a test module may define its
own ``engine``), and a real PostgreSQL server with pgvector, started once per session for the
tests that use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.pg_server import PgTestServer

from mobility_kg.config import Settings
from mobility_kg.search.engine import SearchEngine


@pytest.fixture(scope="module")
def engine(mini_settings: Settings) -> SearchEngine:
    """The mini corpus's search engine with the build's ONNX query encoder."""
    return SearchEngine.open(mini_settings.data_dir)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgTestServer]:
    server = PgTestServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgTestServer) -> str:
    """An empty database of its own for each test."""
    return pg_server.new_database()
