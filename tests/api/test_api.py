"""The JSON API as a client meets it, over HTTP against a real uvicorn server."""

from typing import Any

import httpx
import pytest

from mobility_kg.ids import EntityType


def test_health_counts_what_is_served(client: httpx.Client, expected: dict[str, Any]) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["entities"] == sum(expected["entities"].values())


def test_search_has_the_cli_result_shape(client: httpx.Client) -> None:
    body = client.get(
        "/api/search", params={"q": "a free lawyer for tenants in housing court", "k": 2}
    ).json()
    assert {k: v for k, v in body.items() if k != "data"} == {
        "query": "a free lawyer for tenants in housing court",
        "mode": "hybrid",
        "k": 2,
        "type": None,
        "pillar": None,
        "predictor": None,
        "count": 2,
    }
    assert len(body["data"]) == 2
    assert body["data"][0]["id"] == "strategy/eviction-right-to-counsel"
    assert sorted(body["data"][0]) == [
        "about",
        "anchor",
        "id",
        "score",
        "section",
        "snippet",
        "source_url",
        "title",
        "type",
    ]


def test_search_filters(client: httpx.Client) -> None:
    body = client.get(
        "/api/search", params={"q": "eviction", "k": 5, "type": "strategy", "mode": "bm25"}
    ).json()
    assert [h["id"] for h in body["data"]] == ["strategy/eviction-right-to-counsel"]
    assert (body["type"], body["mode"], body["count"]) == ("strategy", "bm25", 1)


def test_ask_cites_every_sentence(client: httpx.Client) -> None:
    body = client.get(
        "/api/ask", params={"q": "how can a county keep families from losing their homes?"}
    ).json()
    assert len(body["answer"]) == 3
    assert all(s["citation"]["source_url"].startswith("https://") for s in body["answer"])


def test_entity_with_links(client: httpx.Client) -> None:
    body = client.get("/api/entities/metric/student-homelessness").json()
    assert (body["id"], body["type"], body["label"]) == (
        "metric/student-homelessness",
        "metric",
        "Share of public-school children ever homeless during the school year",
    )
    assert body["links_out"] == [
        {
            "property": "umf:measures",
            "id": "predictor/housing-stability",
            "label": "Housing stability",
        }
    ]
    assert body["links_in"] == [
        {
            "property": "umf:measuredBy",
            "id": "predictor/housing-stability",
            "label": "Housing stability",
        }
    ]


def test_entity_gives_every_section_with_its_text(client: httpx.Client) -> None:
    body = client.get("/api/entities/evidence/housing-stability").json()
    assert body["definition"] == (
        "Losing a home through an eviction sets off losses in work, school and health."
    )
    assert body["sections"] == [
        "Why it matters for mobility",
        "What the research finds",
        "What local and state actors can do",
    ]
    assert body["section_texts"] == [
        {
            "anchor": "why-it-matters-for-mobility",
            "title": "Why it matters for mobility",
            "text": "A forced move can cost a worker a job and a child a school year.",
        },
        {
            "anchor": "what-the-research-finds",
            "title": "What the research finds",
            "text": "Evicted workers are more likely to be laid off afterwards.",
        },
        {
            "anchor": "what-local-and-state-actors-can-do",
            "title": "What local and state actors can do",
            "text": "Legal help in housing court and rental vouchers keep families housed.",
        },
    ]


def test_neighbors_envelope(client: httpx.Client) -> None:
    body = client.get(
        "/api/entities/metric/student-homelessness/neighbors",
        params={"depth": 2, "entity_type": "strategy"},
    ).json()
    assert (body["id"], body["depth"], body["type"], body["count"]) == (
        "metric/student-homelessness",
        2,
        "strategy",
        2,
    )
    assert [n["id"] for n in body["data"]] == [
        "strategy/eviction-right-to-counsel",
        "strategy/housing-choice-vouchers",
    ]


def test_strategies_for_a_predictor(client: httpx.Client) -> None:
    body = client.get("/api/predictors/housing-stability/strategies").json()
    assert body["count"] == 2
    assert [(s["id"], s["evidence_strength"]) for s in body["data"]] == [
        ("strategy/housing-choice-vouchers", "strong"),
        ("strategy/eviction-right-to-counsel", None),
    ]


def test_path_between_post_and_strategy(client: httpx.Client) -> None:
    body = client.get(
        "/api/path",
        params={
            "from": "post/philadelphia-data-dashboard",
            "to": "strategy/housing-choice-vouchers",
        },
    ).json()
    assert body["from"] == "post/philadelphia-data-dashboard"
    assert body["data"] == [
        [
            {
                "source": "post/philadelphia-data-dashboard",
                "property": "dcterms:subject",
                "target": "predictor/housing-stability",
            },
            {
                "source": "strategy/housing-choice-vouchers",
                "property": "umf:addresses",
                "target": "predictor/housing-stability",
            },
        ]
    ]


def test_stats(client: httpx.Client, expected: dict[str, Any]) -> None:
    body = client.get("/api/stats").json()
    assert body["links"] == expected["links_by_property"]


# One known-bad request per route, and the status it must get (STYLE principle 5).
BAD_REQUESTS = [
    ("/api/search", {"q": ""}, 422),
    ("/api/search", {"q": "   "}, 422),
    ("/api/search", {"q": "jobs", "k": 0}, 422),
    ("/api/search", {"q": "jobs", "mode": "fuzzy"}, 422),
    ("/api/search", {"q": "jobs", "pillar": "pillar/nope"}, 404),
    ("/api/ask", {}, 422),
    ("/api/ask", {"q": ""}, 422),
    ("/api/ask", {"q": "  "}, 422),
    ("/api/entities/predictor/housing-stabilty", {}, 404),
    ("/api/entities/poem/housing-stability", {}, 422),
    ("/api/entities/predictor/housing-stability/neighbors", {"depth": 0}, 422),
    ("/api/predictors/jobs/strategies", {}, 404),
    ("/api/path", {"from": "post/x"}, 422),
    ("/api/path", {"from": "post/x", "to": "strategy/housing-choice-vouchers"}, 404),
    ("/api/path", {"from": "nonsense", "to": "strategy/housing-choice-vouchers"}, 400),
    ("/no/such/route", {}, 404),
]


@pytest.mark.parametrize(("path", "params", "status"), BAD_REQUESTS)
def test_every_error_is_problem_json(
    client: httpx.Client, path: str, params: dict[str, Any], status: int
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)


TYPES = ", ".join(t.value for t in EntityType)


@pytest.mark.parametrize(
    ("path", "params", "detail"),
    [
        ("/api/search", {"q": "jobs", "type": "banana"}, f"type: 'banana' is not one of {TYPES}"),
        (
            "/api/search",
            {"q": "jobs", "mode": "fuzzy"},
            "mode: 'fuzzy' is not one of hybrid, dense, bm25",
        ),
        ("/api/search", {"q": "jobs", "k": 0}, "k: must be 1 or more, got 0"),
        ("/api/search", {"q": "jobs", "k": 101}, "k: must be 100 or less, got 101"),
        ("/api/search", {"q": "jobs", "k": "ten"}, "k: must be a whole number, got 'ten'"),
        ("/api/search", {"q": ""}, "q: must not be empty"),
        ("/api/search", {"q": "   "}, "q: must not be empty"),
        ("/api/ask", {}, "q: is required"),
        ("/api/ask", {"q": " "}, "q: must not be empty"),
        ("/api/entities/banana/housing-stability", {}, f"type: 'banana' is not one of {TYPES}"),
    ],
)
def test_validation_errors_speak_the_users_words(
    client: httpx.Client, path: str, params: dict[str, Any], detail: str
) -> None:
    body = client.get(path, params=params).json()
    assert (body["status"], body["detail"]) == (422, detail)
    assert body["errors"][0]["msg"] == detail


@pytest.mark.parametrize(
    "path",
    [
        "/health",
        "/",
        "/api/search?q=housing",
        "/api/entities/predictor/housing-stability",
        "/api/entities/predictor/housing-stabilty",  # a 404: the same problem's headers
        "/id/predictor/housing-stability",
        "/sparql?query=ASK%20%7B%7D",
        "/graph?format=nt",
        "/openapi.json",
        "/docs",
        "/static/style.css",
    ],
)
def test_head_answers_like_get_without_a_body(client: httpx.Client, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert {k: v for k, v in head.headers.items() if k != "date"} == {
        k: v for k, v in got.headers.items() if k != "date"
    }
    assert int(head.headers["content-length"]) == len(got.content)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/sparql", "GET, HEAD, POST"),
        ("DELETE", "/api/search", "GET, HEAD"),
        ("POST", "/health", "GET, HEAD"),
        ("POST", "/id/predictor/housing-stability", "GET, HEAD"),
        ("PATCH", "/api/places/27123", "GET, HEAD"),
        ("POST", "/static/style.css", "GET, HEAD"),
    ],
)
def test_a_wrong_method_is_405_with_the_allowed_methods(
    client: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == f"{path} does not take {method} requests."


def test_unknown_entity_problem_carries_suggestions(client: httpx.Client) -> None:
    body = client.get("/api/entities/predictor/housing-stabilty").json()
    assert body["suggestions"] == ["predictor/housing-stability", "predictor/housing-affordability"]


def test_every_route_is_documented(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    undocumented = [
        f"{method} {path}"
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if not op.get("summary")
    ]
    assert undocumented == []


def test_cors_allows_only_the_configured_origin(client: httpx.Client) -> None:
    allowed = client.get("/health", headers={"Origin": "https://planner.example.org"})
    assert allowed.headers["access-control-allow-origin"] == "https://planner.example.org"
    other = client.get("/health", headers={"Origin": "https://elsewhere.example.com"})
    assert "access-control-allow-origin" not in other.headers


def test_every_route_has_a_response_example(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            ok = next(r for code, r in operation["responses"].items() if code.startswith("2"))
            contents = ok.get("content", {})
            has = any("example" in c or "examples" in c for c in contents.values())
            for content in contents.values():
                reference = content.get("schema", {}).get("$ref", "")
                if reference and "examples" in components[reference.rsplit("/", 1)[1]]:
                    has = True
            if not has:
                missing.append(f"{method.upper()} {path}")
    assert missing == []


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("/api/search?q=caf%E9", "q: its value is not UTF-8 once percent-decoded (byte 3)"),
        (
            "/sparql?query=ASK%20%7B%7D%FF",
            "query: its value is not UTF-8 once percent-decoded (byte 6)",
        ),
        ("/api/search?q=jobs&%FF=1", "\ufffd: its name is not UTF-8 once percent-decoded (byte 0)"),
    ],
)
def test_a_url_query_not_in_utf8_is_400(client: httpx.Client, url: str, detail: str) -> None:
    response = client.get(url)
    assert (response.status_code, response.headers["content-type"]) == (
        400,
        "application/problem+json",
    )
    assert response.json()["detail"] == detail
    assert client.get("/api/search?q=caf%C3%A9").status_code == 200  # UTF-8 percent-encoded
