"""A result past the size limit is stopped while it is written, not built whole first."""

from __future__ import annotations

import pytest

from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.config import Settings
from mobility_kg.errors import ResultTooLarge
from mobility_kg.graph.sparql import CappedBuffer, PastLimit, QueryForm, SparqlRunner

EVERY_TRIPLE = "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
JSON = "application/sparql-results+json"


def test_the_buffer_never_holds_more_than_its_limit() -> None:
    buffer = CappedBuffer(10)
    buffer.write(b"12345")
    buffer.write(b"67890")
    with pytest.raises(PastLimit):
        buffer.write(b"x")
    assert buffer.getvalue() == b"1234567890"


def test_a_result_one_byte_over_the_limit_is_refused(mini_settings: Settings) -> None:
    manifest = read_manifest(mini_settings.data_dir)
    graph = artifact_path(mini_settings.data_dir, manifest, "graph")
    whole = SparqlRunner(graph, 30, 10_000_000)
    try:
        size = len(whole.run(EVERY_TRIPLE, QueryForm.SELECT, JSON))
    finally:
        whole.close()
    exact, short = SparqlRunner(graph, 30, size), SparqlRunner(graph, 30, size - 1)
    try:
        assert len(exact.run(EVERY_TRIPLE, QueryForm.SELECT, JSON)) == size
        with pytest.raises(ResultTooLarge, match=f"passed the limit of {size - 1:,} bytes"):
            short.run(EVERY_TRIPLE, QueryForm.SELECT, JSON)
        # the worker goes on answering after a refusal
        assert short.run("ASK { ?s ?p ?o }", QueryForm.ASK, JSON) == b'{"head":{},"boolean":true}'
    finally:
        exact.close()
        short.close()
