"""The remote store on real servers (the Oxigraph server and Virtuoso, on loopback): publish
writes every named graph whole, and every read gives the embedded store's answers."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from tests.servers import Server

from mobility_kg.api.app import create_app
from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.config import Settings
from mobility_kg.data.examples import EXAMPLES
from mobility_kg.data.profile import profile, rank
from mobility_kg.data.query import MetricData
from mobility_kg.data.sources import VARIABLES
from mobility_kg.errors import InvalidParameter, ResultTooLarge
from mobility_kg.graph.inspect import show_entity
from mobility_kg.graph.named_graphs import dataset_graph, framework_graph
from mobility_kg.graph.remote import RemoteQueryRunner, RemoteStore
from mobility_kg.graph.sparql import QueryForm, SparqlRunner
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.publish import publish
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.stores import dataset_iris, open_graph, open_metric_data

pytestmark = pytest.mark.slow

SERVERS = ["oxigraph_server", "virtuoso_server", "oxigraph_union_server"]


@pytest.fixture(scope="module", params=SERVERS)
def remote(request: pytest.FixtureRequest, data_settings: Settings) -> Settings:
    """The data fixture's build published to one server; settings that read from it."""
    settings = request.getfixturevalue(request.param).settings(data_settings, 30.0)
    publish(settings)
    return settings


@pytest.fixture(scope="module")
def embedded(data_settings: Settings) -> tuple[MetricData, EntityGraph]:
    return open_metric_data(data_settings)


def _dump(settings: Settings, graphs: list[str]) -> dict[str, list[str]]:
    store = RemoteStore.from_settings(settings)
    try:
        return {graph: sorted(store.ntriples([graph])) for graph in graphs}
    finally:
        store.close()


def _local_cube(settings: Settings) -> pyoxigraph.Store:
    manifest = read_manifest(settings.data_dir)
    return pyoxigraph.Store.read_only(str(artifact_path(settings.data_dir, manifest, "store")))


def test_publish_writes_each_named_graph_whole_and_twice_is_the_same(
    remote: Settings, data_settings: Settings
) -> None:
    opened = open_graph(data_settings)
    base = opened.built.manifest.base_iri
    datasets = dataset_iris(opened.built.graph)
    graphs = [framework_graph(base), *(dataset_graph(base, d) for d in datasets)]
    before = _dump(remote, graphs)
    report = publish(remote)
    assert sorted(report.graphs) == sorted(graphs)
    assert sorted(report.unchanged) == sorted(graphs)  # held as the build has them: not sent
    # the data sets are known by the build's data key: their triples were not read again
    assert sorted(report.known_by_key) == sorted(graphs[1:])
    assert report.triples == len(opened.built.graph) + len(_local_cube(remote))
    after = _dump(remote, graphs)
    assert after == before
    assert {g: len(lines) for g, lines in after.items()} == report.graphs
    # the framework graph holds exactly the build's triples (as terms: Virtuoso writes
    # booleans as 1 and 0)
    framework = Graph().parse(data="".join(after[framework_graph(base)]), format="nt")
    assert set(framework) == set(opened.built.graph)
    store = RemoteStore.from_settings(remote)
    try:
        assert store.graph_names(base + "graph/") == sorted(graphs)
    finally:
        store.close()


def test_a_data_set_altered_on_the_server_or_recorded_without_a_data_key_is_checked_again(
    remote: Settings, data_settings: Settings
) -> None:
    opened = open_graph(data_settings)
    base = opened.built.manifest.base_iri
    first, second, *_ = (dataset_graph(base, d) for d in dataset_iris(opened.built.graph))
    state = base + "publish-record"
    store = RemoteStore.from_settings(remote)
    try:
        before = _dump(remote, [first, second])
        # one graph loses a triple by hand; the other's record predates data keys
        line = before[first][0].strip().removesuffix(".")
        store.update(f"DELETE DATA {{ GRAPH <{first}> {{ {line} }} }}")
        store.update(
            f"DELETE WHERE {{ GRAPH <{state}> {{ <{second}> <{base}publish-record#data-key> ?k }} }}"
        )
        report = publish(remote)
        assert first not in report.unchanged  # its count no longer matches: sent again
        assert second in report.unchanged and second not in report.known_by_key  # hashed
        assert _dump(remote, [first, second]) == before
        again = publish(remote)  # both recorded with the data key now
        assert {first, second} <= set(again.known_by_key)
    finally:
        store.close()


def test_graph_reads_match_embedded(remote: Settings, data_settings: Settings) -> None:
    local = open_graph(data_settings).built
    opened = open_graph(remote)
    try:
        assert opened.remote is not None
        far = opened.built
        assert set(far.graph) == set(local.graph)
        base = local.manifest.base_iri
        here, there = EntityGraph(local.graph, base), EntityGraph(far.graph, base)
        for entity in ("predictor/housing-stability", "pillar/rewarding-work", "place/27123"):
            assert asdict(show_entity(far.graph, base, entity)) == asdict(
                show_entity(local.graph, base, entity)
            )
            assert there.neighbors(entity, 2) == here.neighbors(entity, 2)
        assert there.strategies_for("predictor/housing-stability") == here.strategies_for(
            "predictor/housing-stability"
        )
        route = ("strategy/eviction-right-to-counsel", "pillar/rewarding-work")
        assert there.paths(*route) == here.paths(*route)
    finally:
        opened.close()


def test_profile_and_rank_match_embedded(
    remote: Settings, embedded: tuple[MetricData, EntityGraph]
) -> None:
    data, entities = embedded
    far, far_entities = open_metric_data(remote)
    assert far.table is None and data.table is not None  # remote: every value from the store
    try:
        for fips in sorted(data.places):
            for subgroup in (None, "gender/female"):
                try:
                    expected = asdict(profile(data, entities, fips, subgroup=subgroup))
                except Exception as error:  # the same refusal on both sides
                    with pytest.raises(type(error)):
                        profile(far, far_entities, fips, subgroup=subgroup)
                    continue
                assert asdict(profile(far, far_entities, fips, subgroup=subgroup)) == expected
        for variable in VARIABLES:
            for level in ("county", "city"):
                try:
                    expected = asdict(rank(data, variable, level=level, limit=100))
                except InvalidParameter as error:  # no values at that level: the same refusal
                    with pytest.raises(InvalidParameter, match=re.escape(str(error))):
                        rank(far, variable, level=level, limit=100)
                    continue
                assert asdict(rank(far, variable, level=level, limit=100)) == expected
        assert asdict(rank(far, "share_employed", worst=True, subgroup="gender/female")) == asdict(
            rank(data, "share_employed", worst=True, subgroup="gender/female")
        )
    finally:
        assert isinstance(far.store, RemoteStore)
        far.store.close()


def _value(term: dict[str, str] | None, digits: int | None) -> str:
    if term is None:
        return ""
    if digits is not None and term.get("datatype", "").endswith(("#double", "#float")):
        return f"{float(term['value']):.{digits}g}"
    return term["value"]


def _solutions(payload: bytes, digits: int | None = None) -> list[tuple[str, ...]]:
    """The rows as sorted tuples of values; doubles to ``digits`` significant digits."""
    result = json.loads(payload)
    names = result["head"]["vars"]
    rows = [
        tuple(_value(row.get(n), digits) for n in names) for row in result["results"]["bindings"]
    ]
    return sorted(rows)


def test_sparql_answers_match_embedded(remote: Settings, data_settings: Settings) -> None:
    manifest = read_manifest(data_settings.data_dir)
    local = SparqlRunner(
        artifact_path(data_settings.data_dir, manifest, "graph"),
        30,
        20_000_000,
        artifact_path(data_settings.data_dir, manifest, "store"),
    )
    opened = open_graph(remote)
    assert opened.remote is not None
    far = RemoteQueryRunner(opened.remote, 30, 20_000_000)
    try:
        media = "application/sparql-results+json"
        for name, query in EXAMPLES.items():
            # the fixture's counties: Minnesota's, any percentile
            text = query.replace('"KY"', '"MN"').replace("< 10)", "< 101)")
            # Virtuoso writes doubles in results with 6 significant digits (README)
            digits = 6 if remote.store_auth == "digest" else None
            expected = _solutions(local.run(text, QueryForm.SELECT, media), digits)
            assert expected, name
            assert _solutions(far.run(text, QueryForm.SELECT, media), digits) == expected, name
        ask = "ASK { ?o <http://purl.org/linked-data/cube#dataSet> ?d }"
        assert json.loads(far.run(ask, QueryForm.ASK, media))["boolean"] is True
    finally:
        local.close()
        opened.close()


def test_the_protocol_dataset_and_base_reach_the_remote_store(
    remote: Settings, embedder: MiniLMEmbedder
) -> None:
    base = read_manifest(remote.data_dir).base_iri
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    media = {"Accept": "application/sparql-results+json"}
    with TestClient(create_app(remote, embedder)) as client:

        def counted(**params: str) -> int:
            answer = client.get("/sparql", params={"query": count, **params}, headers=media)
            assert answer.status_code == 200, answer.text
            return int(answer.json()["results"]["bindings"][0]["n"]["value"])

        everything = counted()
        framework = counted(**{"default-graph-uri": framework_graph(base)})
        values = counted(
            **{
                "default-graph-uri": dataset_graph(
                    base, base + "data/dataset/share_employed/county"
                )
            }
        )
        assert 0 < values < framework < everything
        # a relative IRI resolves against the endpoint's URL
        answer = client.get(
            "/sparql",
            params={"query": "SELECT ?x WHERE { BIND(<relative> AS ?x) }"},
            headers=media,
        )
        bound = answer.json()["results"]["bindings"][0]["x"]["value"]
        assert bound == "http://testserver/relative"


def _app_answers(settings: Settings, embedder: MiniLMEmbedder) -> dict[str, Any]:
    paths = [
        "/api/entities/predictor/housing-stability",
        "/api/entities/predictor/housing-stability/neighbors?depth=2",
        "/api/predictors/housing-stability/strategies",
        "/api/path?from=strategy/eviction-right-to-counsel&to=pillar/rewarding-work",
        "/api/places/27123/profile",
        "/api/metrics/employment-to-population-ratio/values?level=county",
    ]
    with TestClient(create_app(settings, embedder)) as client:
        answers: dict[str, Any] = {path: client.get(path).json() for path in paths}
        page = client.get("/id/predictor/housing-stability", headers={"Accept": "text/html"})
        answers["page"] = page.status_code, page.text
        triples = client.get("/id/predictor/housing-stability?format=nt")
        answers["nt"] = sorted(triples.text.splitlines())
    return answers


def test_the_api_answers_as_embedded(
    remote: Settings, data_settings: Settings, embedder: MiniLMEmbedder
) -> None:
    expected = _app_answers(data_settings, embedder)
    assert expected["page"][0] == 200
    assert _app_answers(remote, embedder) == expected


@pytest.mark.parametrize("server_name", SERVERS)
def test_a_result_past_the_servers_cap_comes_back_whole(
    request: pytest.FixtureRequest, data_settings: Settings, server_name: str
) -> None:
    server: Server = request.getfixturevalue(server_name)
    settings = server.settings(data_settings, 30.0)
    scratch = "http://example.org/scratch/many"
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    sent = [
        f'<http://example.org/s{i}> <http://example.org/p> "{i}"^^{integer} .\n'
        for i in range(12_345)
    ]
    store = RemoteStore.from_settings(settings)
    try:
        store.put(scratch, "".join(sent).encode())
        # paged: all 12,345 rows, though Virtuoso answers at most 10,000 per request
        back = list(store.ntriples([scratch]))
        assert len(back) == 12_345
        parsed = Graph().parse(data="".join(back), format="nt")
        assert set(parsed) == set(Graph().parse(data="".join(sent), format="nt"))
        # one request for everything: Virtuoso says it cut the result, and so do we
        whole = "SELECT ?s WHERE { ?s ?p ?o }"
        media = "application/sparql-results+json"
        if server.name == "virtuoso":
            with pytest.raises(ResultTooLarge, match="cut the result at 10000 rows"):
                store.raw(whole, media, dataset=[scratch])
        else:
            assert len(_solutions(store.raw(whole, media, dataset=[scratch]))) == 12_345
    finally:
        store.update(f"DROP SILENT GRAPH <{scratch}>")
        store.close()
