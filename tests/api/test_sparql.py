"""The SPARQL 1.1 Protocol endpoint, driven by a real SPARQL client (SPARQLWrapper)."""

import csv
import io
import re
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

PREFIXES = "PREFIX umf: <https://w3id.org/mobility-kg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
PREDICTOR_IDS = "SELECT ?id WHERE { ?p a umf:Predictor ; dcterms:identifier ?id } ORDER BY ?id"
EXPECTED = [
    "predictor/employment-opportunities",
    "predictor/housing-affordability",
    "predictor/housing-stability",
]


def _client(server: str, query: str, return_format: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(PREFIXES + query)
    client.setReturnFormat(return_format)
    return client


def test_select_as_json_over_get(server: str) -> None:
    result = _client(server, PREDICTOR_IDS, JSON).queryAndConvert()
    assert [b["id"]["value"] for b in result["results"]["bindings"]] == EXPECTED


@pytest.mark.parametrize("method", [POSTDIRECTLY, URLENCODED])
def test_select_over_post_as_query_body_and_as_form(server: str, method: str) -> None:
    client = _client(server, PREDICTOR_IDS, JSON)
    client.setMethod(POST)
    client.setRequestMethod(method)
    result = client.queryAndConvert()
    assert [b["id"]["value"] for b in result["results"]["bindings"]] == EXPECTED


def test_select_as_xml_csv_tsv(server: str) -> None:
    xml = _client(server, PREDICTOR_IDS, XML).query().response.read()
    names = ElementTree.fromstring(xml).iter("{http://www.w3.org/2005/sparql-results#}literal")
    assert [n.text for n in names] == EXPECTED
    rows = list(
        csv.reader(io.StringIO(_client(server, PREDICTOR_IDS, CSV).queryAndConvert().decode()))
    )
    assert rows == [["id"], *([i] for i in EXPECTED)]
    lines = _client(server, PREDICTOR_IDS, TSV).queryAndConvert().decode().split()
    assert lines == ["?id", *(f'"{i}"' for i in EXPECTED)]


def test_ask(server: str) -> None:
    query = "ASK { ?m umf:measures ?p . ?p dcterms:identifier 'predictor/housing-stability' }"
    assert _client(server, query, JSON).queryAndConvert()["boolean"] is True


@pytest.mark.parametrize(
    ("return_format", "rdflib_format"), [(TURTLE, "turtle"), (JSONLD, "json-ld")]
)
def test_construct_as_turtle_and_jsonld(
    server: str, return_format: str, rdflib_format: str
) -> None:
    query = "CONSTRUCT { ?p umf:pillar ?x } WHERE { ?p umf:pillar ?x }"
    data = _client(server, query, return_format).query().response.read()
    assert len(Graph().parse(data=data, format=rdflib_format)) == 3


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "Query not allowed"),
        ("LOAD <http://example.org/data.ttl>", "Query not allowed"),
        ("DELETE WHERE { ?s ?p ?o }", "Query not allowed"),
        (
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "Query not allowed",
        ),
        ("SELECT * WHERE { ?s ?p }", "SPARQL syntax error"),
    ],
)
def test_refused_before_running(client: httpx.Client, query: str, title: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert (response.status_code, response.headers["content-type"]) == (
        400,
        "application/problem+json",
    )
    assert response.json()["title"] == title


def test_update_refused_over_post_too(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400


def test_query_past_the_time_limit_is_stopped_and_the_endpoint_recovers(
    client: httpx.Client,
) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = client.get("/sparql", params={"query": heavy})
    assert response.status_code == 503
    assert response.json()["detail"] == "the query ran past the 2 s limit and was stopped"
    again = client.get(
        "/sparql",
        params={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert again.json() == {"head": {}, "boolean": True}


def test_result_past_the_size_limit_is_refused(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o . ?x a ?t } LIMIT 20000"}
    )
    assert response.status_code == 422
    assert response.json()["title"] == "Query result too large"


def test_body_over_the_limit_is_413(client: httpx.Client) -> None:
    body = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000
    response = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_missing_query_and_bad_accept(client: httpx.Client) -> None:
    assert client.get("/sparql").status_code == 400
    response = client.get(
        "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "image/png"}
    )
    assert response.status_code == 406


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_gets_a_labelled_query_form_with_examples(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<label for="query">SPARQL query</label>' in page
    assert '<textarea id="query" name="query"' in page
    examples = re.findall(r'<li><a href="(/sparql\?query=[^"]+)">', page)
    assert len(examples) == 5
    for href in examples:  # every example runs
        ran = client.get(href.replace("&amp;", "&"), headers={"Accept": BROWSER_ACCEPT})
        assert ran.status_code == 200 and 'id="results-title"' in ran.text


def test_a_browser_gets_select_results_as_a_table_with_entity_links(client: httpx.Client) -> None:
    page = client.get(
        "/sparql",
        params={"query": PREFIXES + "SELECT ?p WHERE { ?p a umf:Predictor } ORDER BY ?p"},
        headers={"Accept": BROWSER_ACCEPT},
    ).text
    assert '<th scope="col">p</th>' in page
    cells = re.findall(r'<td><a href="(/id/[^"]+)">([^<]+)</a></td>', page)
    assert cells == [(f"/id/{i}", i) for i in EXPECTED]
    assert "<p>3 rows.</p>" in page


def test_a_browser_gets_ask_and_describe_and_errors_as_html(client: httpx.Client) -> None:
    ask = client.get(
        "/sparql",
        params={"query": PREFIXES + "ASK { ?p a umf:Predictor }"},
        headers={"Accept": BROWSER_ACCEPT},
    ).text
    assert '<p class="ask">Yes (true)</p>' in ask
    described = client.get(
        "/sparql",
        params={"query": "DESCRIBE <https://w3id.org/mobility-kg/id/predictor/housing-stability>"},
        headers={"Accept": BROWSER_ACCEPT},
    ).text
    assert '<pre class="turtle"' in described and "ontology#Predictor&gt;" in described
    refused = client.get(
        "/sparql", params={"query": "DROP ALL"}, headers={"Accept": BROWSER_ACCEPT}
    )
    assert refused.status_code == 400
    assert (
        '<p class="error" role="alert">updates (INSERT, DELETE, LOAD, CLEAR...) are refused'
        in refused.text
    )


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", "application/sparql-results+json"]
)
def test_api_clients_keep_the_protocol_answers(client: httpx.Client, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    missing = client.get("/sparql", headers=headers)
    assert missing.status_code == 400
    assert missing.headers["content-type"] == "application/problem+json"
    found = client.get("/sparql", params={"query": PREFIXES + PREDICTOR_IDS}, headers=headers)
    assert found.headers["content-type"] == "application/sparql-results+json"
