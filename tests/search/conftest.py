"""A real PostgreSQL server with pgvector, started once per session for the tests that use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.pg_server import PgTestServer


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
