"""`mobility-kg serve` on the shipped corpus: API, SPARQL, linked data and the web page."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph
from tests.api.conftest import running_server

from mobility_kg.config import Settings

pytestmark = pytest.mark.slow


def test_the_shipped_build_is_served(
    shipped_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    log = tmp_path_factory.mktemp("shipped-server") / "server.log"
    with (
        running_server(shipped_settings.data_dir, log) as base,
        httpx.Client(base_url=base, timeout=60) as http,
    ):
        counts = shipped_settings.data_dir / "manifest.json"
        assert http.get("/health").json()["entities"] == sum(
            __import__("json").loads(counts.read_text())["entities_by_type"].values()
        )
        hits = http.get(
            "/api/search", params={"q": "does preschool pay off later?", "k": 5}
        ).json()["data"]
        assert any(
            h["id"] in {"predictor/access-to-preschool", "evidence/access-to-preschool"}
            for h in hits
        )
        query = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/mobility-kg/ontology#Predictor> }"
        result = http.get("/sparql", params={"query": query}).json()
        assert result["results"]["bindings"][0]["n"]["value"] == "24"
        turtle = http.get("/id/predictor/housing-stability", headers={"Accept": "text/turtle"}).text
        assert len(Graph().parse(data=turtle, format="turtle")) > 20
        page = http.get("/", params={"q": "what helps families avoid eviction?"}).text
        assert 'id="answer-title"' in page and 'class="hit-title"' in page
        strategies = http.get("/api/predictors/housing-stability/strategies").json()
        assert strategies["count"] >= 2
