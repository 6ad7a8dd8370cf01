"""publish on real servers: a publish killed mid-way leaves each named graph as it was or
complete (a graph the server held: its temporary graph is never swapped in; a new graph: its
one PUT leaves no triple); the API answers 503 while the store is away and recovers when it
is back."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mobility_kg.api.app import create_app
from mobility_kg.build import load_built_graph
from mobility_kg.config import Settings
from mobility_kg.errors import StoreUnavailable
from mobility_kg.graph.named_graphs import framework_graph
from mobility_kg.graph.remote import RemoteStore
from mobility_kg.publish import PUBLISHING, publish
from mobility_kg.search.embedder import MiniLMEmbedder
from tests.servers import Server, restart, start_oxigraph, start_virtuoso, stop


def _triples(settings: Settings) -> int:
    """How many triples the build holds: a framework-only build publishes them all."""
    return len(load_built_graph(settings.data_dir).graph)


pytestmark = pytest.mark.slow


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    start = start_oxigraph if request.param == "oxigraph" else start_virtuoso
    started = start(tmp_path / request.param)
    yield started
    stop(started)


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Server]:
    started = start_oxigraph(tmp_path / "oxigraph")
    yield started
    stop(started)


def _contents(settings: Settings) -> dict[str, list[str]]:
    store = RemoteStore.from_settings(settings)
    try:
        names = store.graph_names(settings.base_iri + "graph/")
        return {name: sorted(store.ntriples([name])) for name in names}
    finally:
        store.close()


def test_a_killed_publish_leaves_each_graph_as_it_was_or_complete(
    mini_settings: Settings, server: Server
) -> None:
    settings = server.settings(mini_settings, 5.0)
    base = mini_settings.base_iri
    framework = framework_graph(base)
    old = f"<{base}old> <{base}was> <{base}here> .\n"
    store = RemoteStore.from_settings(settings)
    store.put(framework, old.encode())
    store.close()
    sent: list[int] = []

    def kill_midway(graph: str, done: int, total: int) -> None:
        sent.append(done)
        if len(sent) == 3:  # three chunks of the framework graph are in its temporary graph
            stop(server, kill=True)

    with pytest.raises(StoreUnavailable):
        publish(settings, kill_midway, chunk_triples=100)
    restarted = restart(server)
    try:
        after = _contents(settings)
        assert after[framework] == [old]  # as it was: the swap never ran
        leftovers = [g for g in after if g.startswith(base + PUBLISHING)]
        assert len(leftovers) == 1 and len(after[leftovers[0]]) in (200, 300)
        report = publish(settings, chunk_triples=100)
        complete = _contents(settings)
        assert sorted(complete) == [framework]  # the leftover is dropped, the graph swapped in
        assert (
            len(complete[framework]) == report.triples == len(sent) * 0 + report.graphs[framework]
        )
        assert old not in complete[framework]
    finally:
        stop(restarted)


def test_a_publish_killed_while_it_sends_a_new_graph_leaves_no_triple_of_it(
    mini_settings: Settings, server: Server
) -> None:
    settings = server.settings(mini_settings, 5.0)
    framework = framework_graph(mini_settings.base_iri)
    sent: list[int] = []

    def kill_midway(graph: str, done: int, total: int) -> None:
        sent.append(done)
        if len(sent) == 3:  # three chunks of the framework graph's one PUT are on their way
            stop(server, kill=True)

    with pytest.raises(StoreUnavailable):
        publish(settings, kill_midway, chunk_triples=100)
    assert sent[:3] == [100, 200, 300]
    restarted = restart(server)
    try:
        assert all(lines == [] for lines in _contents(settings).values())  # not one triple
        report = publish(settings, chunk_triples=100)
        complete = _contents(settings)
        assert report.graphs == {framework: _triples(settings)}
        assert {g: len(lines) for g, lines in complete.items() if lines} == report.graphs
    finally:
        stop(restarted)


def test_a_republish_sends_only_the_graphs_the_server_does_not_hold_as_built(
    mini_settings: Settings, server: Server
) -> None:
    settings = server.settings(mini_settings, 10.0)
    framework = framework_graph(mini_settings.base_iri)
    first = publish(settings)
    built = _contents(settings)
    assert first.unchanged == [] and first.graphs == {framework: _triples(settings)}
    again = publish(settings)
    assert again.unchanged == [framework] and again.graphs == first.graphs
    assert _contents(settings) == built
    store = RemoteStore.from_settings(settings)  # altered by hand: sent again
    store.put(framework, f"<{framework}> <{framework}> <{framework}> .\n".encode())
    store.close()
    third = publish(settings)
    assert third.unchanged == [] and third.graphs == first.graphs
    assert _contents(settings) == built


def test_api_answers_503_while_the_store_is_away_then_recovers(
    mini_settings: Settings, oxigraph: Server, embedder: MiniLMEmbedder
) -> None:
    server = oxigraph
    settings = server.settings(mini_settings, 5.0)
    publish(settings)
    ask = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    accept = {"Accept": "application/sparql-results+json"}
    with TestClient(create_app(settings, embedder)) as client:
        assert client.get(ask, headers=accept).json() == {"head": {}, "boolean": True}
        stop(server, kill=True)
        away = client.get(ask, headers=accept)
        assert away.status_code == 503
        assert away.headers["content-type"] == "application/problem+json"
        problem = away.json()
        assert problem["status"] == 503 and problem["title"] == "Graph store unavailable"
        assert problem["detail"].startswith(server.query_url)
        # the graph is in memory: traversal still answers while the store is away
        assert client.get("/api/entities/predictor/housing-stability").status_code == 200
        restarted = restart(server)
        try:
            assert client.get(ask, headers=accept).json() == {"head": {}, "boolean": True}
        finally:
            stop(restarted)


def test_cli_publish_says_what_it_wrote_and_refuses_without_a_graph_store(
    mini_settings: Settings, oxigraph: Server
) -> None:
    env = {
        **os.environ,
        "MOBILITY_KG_DATA_DIR": str(mini_settings.data_dir),
        "MOBILITY_KG_STORE_QUERY_URL": oxigraph.query_url,
        "MOBILITY_KG_STORE_UPDATE_URL": oxigraph.update_url,
    }
    command = [sys.executable, "-m", "mobility_kg", "publish"]
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    assert refused.stderr == (
        "error: MOBILITY_KG_STORE_GRAPH_URL: not set: writing needs a graph store URL\n"
    )
    env["MOBILITY_KG_STORE_GRAPH_URL"] = oxigraph.graph_url
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    count = _triples(mini_settings)
    assert done.stdout == f"published {count} triples in 1 named graph to {oxigraph.graph_url}\n"
    assert done.stderr == f"publish: graph/framework ({count} of {count} triples)\n"
