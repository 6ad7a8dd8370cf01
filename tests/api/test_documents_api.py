"""POST and DELETE /api/documents on a server with an API key, over its own copy of the build."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.api.conftest import running_server
from tests.test_documents import NEW_STRATEGY

from mobility_kg.config import Settings

KEY = "test-key-0123456789"
MARKDOWN = {"Content-Type": "text/markdown", "X-API-Key": KEY}


@pytest.fixture(scope="module")
def writable(
    mini_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    root = tmp_path_factory.mktemp("writable")
    shutil.copytree(mini_settings.data_dir, root / "data")
    assert mini_settings.corpus_dir is not None
    env = {"MOBILITY_KG_API_KEY": KEY, "MOBILITY_KG_CORPUS": str(mini_settings.corpus_dir)}
    with (
        running_server(root / "data", root / "server.log", **env) as base,
        httpx.Client(base_url=base, timeout=120) as http,
    ):
        yield http


def _manifest(client: httpx.Client) -> int:
    return int(client.get("/health").json()["entities"])


def test_add_then_search_then_remove(writable: httpx.Client) -> None:
    before = _manifest(writable)
    added = writable.post("/api/documents", content=NEW_STRATEGY, headers=MARKDOWN)
    assert added.status_code == 201
    assert added.json() == {
        "id": "strategy/job-fairs-at-libraries",
        "action": "added",
        "embedded": 1,
        "reused": 24,
    }
    assert _manifest(writable) == before + 1
    hits = writable.get(
        "/api/search", params={"q": "hiring events at the library branch", "k": 1}
    ).json()["data"]
    assert hits[0]["id"] == "strategy/job-fairs-at-libraries"
    again = writable.post("/api/documents", content=NEW_STRATEGY, headers=MARKDOWN)
    assert (again.status_code, again.json()["title"]) == (409, "Document conflict")
    removed = writable.delete(
        "/api/documents/strategy/job-fairs-at-libraries", headers={"X-API-Key": KEY}
    )
    assert (removed.status_code, removed.json()["action"]) == (200, "removed")
    assert _manifest(writable) == before
    assert writable.get("/api/entities/strategy/job-fairs-at-libraries").status_code == 404


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"Content-Type": "text/markdown"}, NEW_STRATEGY, 401),
        ({"Content-Type": "text/markdown", "X-API-Key": "wrong-key-000"}, NEW_STRATEGY, 403),
        ({"Content-Type": "application/pdf", "X-API-Key": KEY}, NEW_STRATEGY, 415),
        ({"Content-Type": "application/json", "X-API-Key": KEY}, NEW_STRATEGY, 415),
        (MARKDOWN, NEW_STRATEGY.encode() + b"\xff\xfe", 415),
        (MARKDOWN, NEW_STRATEGY.replace("employment-opportunities", "employment"), 422),
        (MARKDOWN, "x" * 300_000, 413),
    ],
)
def test_refused_documents_change_nothing(
    writable: httpx.Client, headers: dict[str, str], body: str | bytes, status: int
) -> None:
    before = _manifest(writable)
    response = writable.post("/api/documents", content=body, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert _manifest(writable) == before


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/x-www-form-urlencoded", "application/pdf", None],
)
def test_a_body_of_another_type_is_415_naming_the_accepted_types(
    writable: httpx.Client, content_type: str | None
) -> None:
    # application/x-www-form-urlencoded is what curl sends for --data without -H.
    headers = {"X-API-Key": KEY} | ({"Content-Type": content_type} if content_type else {})
    response = writable.post("/api/documents", content=NEW_STRATEGY, headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (415, "Unsupported media type")
    assert body["supported"] == ["text/markdown", "text/plain", "text/turtle"]
    assert body["detail"] == (
        f"Content-Type '{content_type or '(none)'}' is not read here;"
        " use text/markdown, text/plain, text/turtle"
    )


def test_a_body_not_in_utf8_is_415_before_it_is_parsed(writable: httpx.Client) -> None:
    # A broken document in Latin-1: read leniently it reached the parser and SHACL (422).
    broken = NEW_STRATEGY.replace("employment-opportunities", "employment") + "\ncaf\u00e9\n"
    response = writable.post("/api/documents", content=broken.encode("latin-1"), headers=MARKDOWN)
    assert response.status_code == 415
    body = response.json()
    offset = broken.index("\u00e9")
    assert (body["title"], body["offset"]) == ("Request body not in UTF-8", offset)
    assert body["detail"] == (
        f"the body is not UTF-8: byte 0xe9 at offset {offset} does not decode;"
        " send text/markdown, text/plain, text/turtle in UTF-8"
    )
    latin1 = writable.post(
        "/api/documents",
        content=NEW_STRATEGY.encode(),
        headers={**MARKDOWN, "Content-Type": "text/markdown; charset=ISO-8859-1"},
    )
    assert latin1.status_code == 415
    assert latin1.json()["supported"] == [
        "text/markdown; charset=UTF-8",
        "text/plain; charset=UTF-8",
        "text/turtle; charset=UTF-8",
    ]


def test_the_write_routes_name_their_methods_in_a_405(writable: httpx.Client) -> None:
    head = writable.head("/api/documents", headers={"X-API-Key": KEY})
    assert (head.status_code, head.headers["allow"], head.content) == (405, "POST", b"")
    get = writable.get("/api/documents/strategy/housing-choice-vouchers")
    assert (get.status_code, get.headers["allow"]) == (405, "DELETE")
    assert get.json()["detail"] == (
        "/api/documents/strategy/housing-choice-vouchers does not take GET requests."
    )


def test_shipped_documents_cannot_be_deleted(writable: httpx.Client) -> None:
    response = writable.delete(
        "/api/documents/strategy/housing-choice-vouchers", headers={"X-API-Key": KEY}
    )
    assert response.status_code == 409


def test_routes_are_off_without_a_key(client: httpx.Client) -> None:
    assert client.post("/api/documents", content=NEW_STRATEGY, headers=MARKDOWN).status_code == 404


def test_turtle_over_http(writable: httpx.Client) -> None:
    from tests.test_documents import TURTLE_STRATEGY

    added = writable.post(
        "/api/documents",
        content=TURTLE_STRATEGY,
        headers={"Content-Type": "text/turtle", "X-API-Key": KEY},
    )
    assert (added.status_code, added.json()["id"]) == (201, "strategy/bike-share-discounts")
    assert (
        writable.get("/api/entities/strategy/bike-share-discounts").json()["links_out"][0]["id"]
        == "predictor/employment-opportunities"
    )
    broken = writable.post(
        "/api/documents",
        content="<a> <b> .",
        headers={"Content-Type": "text/turtle", "X-API-Key": KEY},
    )
    assert (broken.status_code, broken.json()["title"]) == (422, "Invalid corpus document")
    assert (
        writable.delete(
            "/api/documents/strategy/bike-share-discounts", headers={"X-API-Key": KEY}
        ).status_code
        == 200
    )


def test_a_document_added_through_one_worker_is_served_by_every_worker(
    mini_settings: Settings, tmp_path: Path
) -> None:
    shutil.copytree(mini_settings.data_dir, tmp_path / "data")
    assert mini_settings.corpus_dir is not None
    env = {"MOBILITY_KG_API_KEY": KEY, "MOBILITY_KG_CORPUS": str(mini_settings.corpus_dir)}
    with running_server(
        tmp_path / "data", tmp_path / "server.log", args=("--workers", "2"), **env
    ) as base:
        with httpx.Client(base_url=base, timeout=120) as http:
            writer = http.get("/health").json()["worker"]
            added = http.post("/api/documents", content=NEW_STRATEGY, headers=MARKDOWN)
            assert added.status_code == 201
        seen: dict[int, int] = {}
        for _ in range(200):  # fresh connections until both workers have answered
            # One connection is served by one worker: /health names it, the lookup follows.
            with httpx.Client(base_url=base, timeout=60) as http:
                worker = http.get("/health").json()["worker"]
                found = http.get("/api/entities/strategy/job-fairs-at-libraries")
                assert found.status_code == 200, (worker, found.text)
                seen[worker] = seen.get(worker, 0) + 1
            if len(seen) == 2:
                break
        assert len(seen) == 2 and writer in seen, seen
