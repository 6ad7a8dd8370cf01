"""The SPARQL 1.1 Protocol's cases, after the W3C protocol test names (query_get,
query_post_form, query_post_direct, query_dataset_*, query_multiple_dataset, bad_query_*,
conneg), against the real server over the mini build; and the named graphs of a build with an
added document, on the SPARQL worker itself."""

from __future__ import annotations

import json

import httpx
import pytest
from rdflib import Graph

from mobility_kg.config import Settings
from mobility_kg.graph.sparql import Dataset, QueryForm, QueryOptions, SparqlRunner

BASE = "https://w3id.org/mobility-kg/id/"
FRAMEWORK = BASE + "graph/framework"
UMF = "PREFIX umf: <https://w3id.org/mobility-kg/ontology#> "
COUNT_PREDICTORS = UMF + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a umf:Predictor }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


def values(response: httpx.Response, name: str) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json"
    return [row[name]["value"] for row in response.json()["results"]["bindings"]]


def problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


# ---------------------------------------------------------------- query, three ways


def test_query_get(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": COUNT_PREDICTORS}, headers=JSON_RESULTS)
    assert values(response, "n") == ["3"]


def test_query_post_form(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        content=httpx.QueryParams({"query": COUNT_PREDICTORS}).__str__(),
        headers={**FORM, **JSON_RESULTS},
    )
    assert values(response, "n") == ["3"]


def test_query_post_direct(client: httpx.Client) -> None:
    response = client.post("/sparql", content=COUNT_PREDICTORS, headers={**DIRECT, **JSON_RESULTS})
    assert values(response, "n") == ["3"]


# ---------------------------------------------------------------- named graphs and datasets


def test_the_graph_is_served_as_named_graphs_and_the_default_graph_is_their_union(
    client: httpx.Client,
) -> None:
    assert values(client.get("/sparql", params={"query": GRAPHS}, headers=JSON_RESULTS), "g") == [
        FRAMEWORK
    ]
    inside = (
        UMF + f"SELECT (COUNT(?p) AS ?n) WHERE {{ GRAPH <{FRAMEWORK}> {{ ?p a umf:Predictor }} }}"
    )
    assert values(client.get("/sparql", params={"query": inside}, headers=JSON_RESULTS), "n") == [
        "3"
    ]


def test_query_dataset_default_graph_get(client: httpx.Client) -> None:
    named = client.get(
        "/sparql",
        params={"query": COUNT_PREDICTORS, "default-graph-uri": FRAMEWORK},
        headers=JSON_RESULTS,
    )
    assert values(named, "n") == ["3"]
    elsewhere = client.get(
        "/sparql",
        params={"query": COUNT_PREDICTORS, "default-graph-uri": "http://example.org/empty"},
        headers=JSON_RESULTS,
    )
    assert values(elsewhere, "n") == ["0"]  # the dataset is what the request names


def test_query_dataset_default_graphs_post_form(client: httpx.Client) -> None:
    body = httpx.QueryParams(
        [
            ("query", COUNT_PREDICTORS),
            ("default-graph-uri", "http://example.org/empty"),
            ("default-graph-uri", FRAMEWORK),
        ]
    )
    response = client.post("/sparql", content=str(body), headers={**FORM, **JSON_RESULTS})
    assert values(response, "n") == ["3"]  # the merge of both graphs


def test_query_dataset_named_graphs_post_direct(client: httpx.Client) -> None:
    """A direct POST takes the dataset from the URL; only named graphs: empty default graph."""
    url = "/sparql?" + str(httpx.QueryParams({"named-graph-uri": FRAMEWORK}))
    graphs = client.post(url, content=GRAPHS, headers={**DIRECT, **JSON_RESULTS})
    assert values(graphs, "g") == [FRAMEWORK]
    default = client.post(url, content=COUNT_PREDICTORS, headers={**DIRECT, **JSON_RESULTS})
    assert values(default, "n") == ["0"]


def test_query_dataset_full(client: httpx.Client) -> None:
    query = UMF + (
        "SELECT ?n ?g WHERE { { SELECT (COUNT(?p) AS ?n) WHERE { ?p a umf:Predictor } }"
        " OPTIONAL { GRAPH ?g { ?x a umf:Pillar } } } LIMIT 1"
    )
    response = client.get(
        "/sparql",
        params={
            "query": query,
            "default-graph-uri": FRAMEWORK,
            "named-graph-uri": "http://example.org/none",
        },
        headers=JSON_RESULTS,
    )
    assert values(response, "n") == ["3"]
    assert "g" not in response.json()["results"]["bindings"][0]  # no such named graph


def test_from_in_the_query_names_the_dataset(client: httpx.Client) -> None:
    query = UMF + "SELECT (COUNT(?p) AS ?n) FROM <{}> WHERE {{ ?p a umf:Predictor }}"
    framework = client.get(
        "/sparql", params={"query": query.format(FRAMEWORK)}, headers=JSON_RESULTS
    )
    assert values(framework, "n") == ["3"]
    other = client.get(
        "/sparql", params={"query": query.format("http://example.org/none")}, headers=JSON_RESULTS
    )
    assert values(other, "n") == ["0"]
    named = "SELECT DISTINCT ?g FROM NAMED <{}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    response = client.get(
        "/sparql", params={"query": named.format(FRAMEWORK)}, headers=JSON_RESULTS
    )
    assert values(response, "g") == [FRAMEWORK]


def test_query_multiple_dataset_the_protocol_overrides_from(client: httpx.Client) -> None:
    query = (
        UMF + "SELECT (COUNT(?p) AS ?n) FROM <http://example.org/none> WHERE { ?p a umf:Predictor }"
    )
    response = client.get(
        "/sparql", params={"query": query, "default-graph-uri": FRAMEWORK}, headers=JSON_RESULTS
    )
    assert values(response, "n") == ["3"]


def test_a_dataset_parameter_that_is_no_iri_or_a_data_graph_is_400(client: httpx.Client) -> None:
    relative = client.get(
        "/sparql", params={"query": COUNT_PREDICTORS, "default-graph-uri": "graph/framework"}
    )
    body = problem(relative, 400)
    assert body["detail"] == "default-graph-uri: 'graph/framework' is not an absolute IRI"
    data = client.get(
        "/sparql",
        params={
            "query": COUNT_PREDICTORS,
            "named-graph-uri": BASE + "graph/data/share_employed-county",
        },
    )
    assert "not served as a named graph here" in str(problem(data, 400)["detail"])


# ---------------------------------------------------------------- relative IRIs


def test_relative_iris_resolve_against_the_endpoint(client: httpx.Client, server: str) -> None:
    response = client.get(
        "/sparql",
        params={"query": "CONSTRUCT { <a> <b> <#c> } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200, response.text
    assert response.text.strip() == f"<{server}/a> <{server}/b> <{server}/sparql#c> ."
    with_base = client.post(
        "/sparql",
        content="BASE <http://example.org/x/> SELECT (STR(<y>) AS ?iri) WHERE {}",
        headers={**DIRECT, **JSON_RESULTS},
    )
    assert values(with_base, "iri") == ["http://example.org/x/y"]  # the query's BASE wins


# ---------------------------------------------------------------- bad requests


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/json", "application/sparql-update", None]
)
def test_bad_query_wrong_media_type_is_415(client: httpx.Client, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/sparql", content=COUNT_PREDICTORS.encode(), headers=headers)
    body = problem(response, 415)
    given = content_type or "(none)"
    assert body["detail"] == (
        f"Content-Type '{given}' is not read here; use application/sparql-query, "
        "application/x-www-form-urlencoded"
    )


def test_bad_query_non_utf8_is_415(client: httpx.Client) -> None:
    content_type = "application/sparql-query; charset=ISO-8859-1"
    query = UMF + 'SELECT ?p WHERE { ?p a umf:Predictor ; ?x "M\u00e9trica" }'
    response = client.post(
        "/sparql", content=query.encode("latin-1"), headers={"Content-Type": content_type}
    )
    assert problem(response, 415)["detail"] == (
        f"Content-Type '{content_type}' is not read here; use application/sparql-query;"
        " charset=UTF-8, application/x-www-form-urlencoded; charset=UTF-8"
    )
    utf8 = client.post(
        "/sparql",
        content=query.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-8", **JSON_RESULTS},
    )
    assert values(utf8, "p") == []


@pytest.mark.parametrize(
    ("content_type", "body", "offset"),
    [
        ("application/sparql-query", b'ASK { FILTER("\xff\xfe" = "x") }', 14),
        ("application/sparql-query; charset=UTF-8", b"ASK {} # caf\xe9", 12),
        ("application/x-www-form-urlencoded", b"query=ASK+%7B%7D&x=\xff", 19),
    ],
)
def test_bad_query_body_not_utf8_is_415_before_it_is_read(
    client: httpx.Client, content_type: str, body: bytes, offset: int
) -> None:
    # Decoded leniently, the first query answered 200 {"boolean": false}.
    response = client.post("/sparql", content=body, headers={"Content-Type": content_type})
    problem_body = problem(response, 415)
    assert (problem_body["title"], problem_body["offset"]) == ("Request body not in UTF-8", offset)
    assert problem_body["detail"] == (
        f"the body is not UTF-8: byte 0x{body[offset]:02x} at offset {offset} does not decode;"
        " send application/sparql-query, application/x-www-form-urlencoded in UTF-8"
    )


def test_bad_multiple_queries_and_missing_query_are_400(client: httpx.Client) -> None:
    twice = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert problem(twice, 400)["detail"] == "query: exactly one non-empty query is required"
    problem(client.post("/sparql", content="", headers=FORM), 400)
    both = client.post("/sparql?query=ASK%20%7B%7D", content="ASK {}", headers=DIRECT)
    problem(both, 400)


def test_bad_query_syntax_and_updates_are_400(client: httpx.Client) -> None:
    problem(client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"}), 400)
    for update in ("CLEAR DEFAULT", "INSERT DATA { <http://a> <http://b> <http://c> }"):
        problem(client.post("/sparql", content=update, headers=DIRECT), 400)


def test_bad_query_method(client: httpx.Client) -> None:
    response = client.put("/sparql", content="ASK {}", headers=DIRECT)
    problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD, POST"  # both routes of /sparql


# ---------------------------------------------------------------- content negotiation


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_conneg_select(client: httpx.Client, accept: str, media: str) -> None:
    response = client.get("/sparql", params={"query": COUNT_PREDICTORS}, headers={"Accept": accept})
    assert (response.status_code, response.headers["content-type"].split(";")[0]) == (200, media)


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_conneg_construct(
    client: httpx.Client, accept: str, media: str, rdflib_format: str
) -> None:
    query = UMF + "CONSTRUCT { ?p a umf:Predictor } WHERE { ?p a umf:Predictor }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert (response.status_code, response.headers["content-type"].split(";")[0]) == (200, media)
    assert len(Graph().parse(data=response.text, format=rdflib_format)) == 3


def test_ask_conneg_and_unacceptable_accept(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON_RESULTS)
    assert response.json()["boolean"] is True
    problem(client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}), 406)


# ---------------------------------------------------------------- an added document's graph


def test_an_added_document_has_its_own_named_graph(mini_copy: Settings) -> None:
    from tests.test_documents import NEW_STRATEGY

    from mobility_kg.artifacts import artifact_path, read_manifest
    from mobility_kg.build import added_document_ids, build
    from mobility_kg.documents import add_document

    build(mini_copy)
    added, _ = add_document(mini_copy, NEW_STRATEGY)
    manifest = read_manifest(mini_copy.data_dir)
    assert added_document_ids(mini_copy.data_dir, manifest) == [added]
    runner = SparqlRunner(
        artifact_path(mini_copy.data_dir, manifest, "graph"),
        30,
        1_000_000,
        base_iri=manifest.base_iri,
        documents=[added],
    )
    media = "application/sparql-results+json"
    try:
        graphs = json.loads(runner.run(GRAPHS, QueryForm.SELECT, media))
        document = BASE + "graph/document/strategy-job-fairs-at-libraries"
        assert [b["g"]["value"] for b in graphs["results"]["bindings"]] == [document, FRAMEWORK]
        subjects = "SELECT DISTINCT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
        only = QueryOptions(dataset=Dataset(default_graphs=(document,)))
        found = json.loads(runner.run(subjects, QueryForm.SELECT, media, only))
        assert [b["s"]["value"] for b in found["results"]["bindings"]] == [BASE + added]
        union = json.loads(runner.run(f"ASK {{ <{BASE + added}> ?p ?o }}", QueryForm.ASK, media))
        assert union["boolean"] is True
    finally:
        runner.close()
