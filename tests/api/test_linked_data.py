"""Entity IRIs dereference on the server, and /graph serves the graph, by Accept or ?format=."""

import httpx
import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from mobility_kg.api.negotiation import negotiate
from mobility_kg.build import BuiltGraph
from mobility_kg.errors import UnsupportedFormat

OFFERED = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json;q=0.5, text/turtle;q=0.9", "text/turtle"),
        ("text/*;q=0.3, application/n-triples", "application/n-triples"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ],
)
def test_negotiation_follows_q_values(accept: str | None, chosen: str) -> None:
    assert negotiate(accept, OFFERED) == chosen


def test_nothing_acceptable_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormat):
        negotiate("image/png", OFFERED)


def test_entity_iri_as_turtle_describes_it(client: httpx.Client, mini_built: BuiltGraph) -> None:
    response = client.get("/id/predictor/housing-stability", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    described = Graph().parse(data=response.text, format="turtle")
    node = URIRef(mini_built.manifest.base_iri + "predictor/housing-stability")
    expected = set(mini_built.graph.triples((node, None, None))) | set(
        mini_built.graph.triples((None, None, node))
    )
    assert expected <= set(described)
    assert {s for s, _, _ in described} - {node} <= {
        s for s, _, o in mini_built.graph.triples((None, None, node))
    }


@pytest.mark.parametrize(
    ("name", "media", "ox"),
    [
        ("jsonld", "application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
        ("nt", "application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
    ],
)
def test_format_parameter_overrides_accept(
    client: httpx.Client, name: str, media: str, ox: pyoxigraph.RdfFormat
) -> None:
    response = client.get(
        "/id/strategy/housing-choice-vouchers",
        params={"format": name},
        headers={"Accept": "text/html"},
    )
    assert response.headers["content-type"].startswith(media)
    store = pyoxigraph.Store()
    store.load(response.content, format=ox)
    assert len(store) > 10


def test_browser_gets_html_with_links(client: httpx.Client) -> None:
    response = client.get(
        "/id/predictor/housing-stability", headers={"Accept": "text/html,*/*;q=0.8"}
    )
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Housing stability</h1>" in response.text
    assert '<a href="/id/metric/student-homelessness">' in response.text


def test_whole_graph_round_trips(client: httpx.Client, mini_built: BuiltGraph) -> None:
    response = client.get("/graph", headers={"Accept": "application/n-triples"})
    assert isomorphic(Graph().parse(data=response.text, format="nt"), mini_built.graph)


@pytest.mark.parametrize(
    ("path", "params", "headers", "status"),
    [
        ("/id/predictor/nope", {}, {}, 404),
        ("/id/predictor/housing-stability", {"format": "rdfxml"}, {}, 400),
        ("/graph", {"format": "xml"}, {}, 400),
        ("/graph", {"format": "html"}, {}, 400),  # only an entity has an HTML page
        ("/graph", {}, {"Accept": "image/png"}, 406),
        ("/id/poem/x", {}, {}, 422),
    ],
)
def test_linked_data_errors_are_problems(
    client: httpx.Client, path: str, params: dict[str, str], headers: dict[str, str], status: int
) -> None:
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status


@pytest.mark.parametrize(
    ("path", "offered"),
    [
        ("/id/predictor/housing-stability", "turtle, jsonld, nt, html"),
        ("/graph", "turtle, jsonld, nt"),
    ],
)
def test_a_bad_format_parameter_is_a_bad_parameter_not_a_failed_negotiation(
    client: httpx.Client, path: str, offered: str
) -> None:
    # 406 is for an Accept header; a ``format`` value out of the list is a 400 like the
    # other parameters the routes check themselves, even with an Accept it could satisfy.
    response = client.get(path, params={"format": "xml"}, headers={"Accept": "text/turtle"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["title"], body["name"]) == ("Invalid parameter", "format")
    assert body["detail"] == f"format: 'xml' is not one of {offered}"
    assert (
        client.get(path, params={"format": "TTL"}).headers["content-type"].startswith("text/turtle")
    )
