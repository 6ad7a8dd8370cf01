"""The corpus around the framework: evidence, strategies, glossary, posts, plans, guide steps."""

from __future__ import annotations

import re

import pyoxigraph
import pytest

from mobility_kg.build import load_built_graph
from mobility_kg.config import Settings
from mobility_kg.graph.export import RdfFormat, serialize
from mobility_kg.graph.traverse import EntityGraph
from tests.test_shipped_corpus import PREFIXES, ROOT, canonical_framework

pytestmark = pytest.mark.slow


def _select(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(term.value for term in row) for row in store.query(PREFIXES + query))


@pytest.fixture(scope="module")
def shipped_turtle(shipped_settings: Settings) -> pyoxigraph.Store:
    built = load_built_graph(shipped_settings.data_dir)
    store = pyoxigraph.Store()
    store.load(
        serialize(built.graph, RdfFormat.NTRIPLES, built.manifest.base_iri).encode(),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    return store


# Every glossary term that shared/reference/umf-facts.md (section 6) holds, as term slugs.
FACTS_GLOSSARY = [
    "equity",
    "local-leaders",
    "mobility-action-plans-and-planning",
    "mobility-metrics",
    "racial-equity",
    "upward-mobility-cohort",
    "mobility-action-learning-network",
    "systems-change",
    "mobility-coalition",
    "data-walk",
    "community-advisory-board",
    "high-poverty-neighborhood",
    "living-wage",
    "economic-connectedness",
    "results-based-accountability",
]


@pytest.fixture(scope="module")
def shipped_graph(shipped_settings: Settings) -> EntityGraph:
    built = load_built_graph(shipped_settings.data_dir)
    return EntityGraph(built.graph, built.manifest.base_iri)


def test_one_evidence_document_per_predictor(shipped_turtle: pyoxigraph.Store) -> None:
    rows = _select(
        shipped_turtle,
        "SELECT ?e ?p WHERE { ?x a umf:EvidenceDocument ; dcterms:identifier ?e ; umf:evidenceFor ?y . "
        "?y dcterms:identifier ?p }",
    )
    _, pillar_of, _ = canonical_framework()
    assert rows == sorted(("evidence/" + p.partition("/")[2], p) for p in pillar_of)


def test_every_predictor_has_at_least_two_strategies(shipped_graph: EntityGraph) -> None:
    _, pillar_of, _ = canonical_framework()
    counts = {p: len(shipped_graph.strategies_for(p)) for p in pillar_of}
    assert {p: n for p, n in counts.items() if n < 2} == {}


def test_every_glossary_term_of_the_facts_is_present(shipped_turtle: pyoxigraph.Store) -> None:
    rows = {
        r[0]
        for r in _select(
            shipped_turtle, "SELECT ?id WHERE { ?t a umf:Term ; dcterms:identifier ?id }"
        )
    }
    assert sorted(f"term/{slug}" for slug in FACTS_GLOSSARY if f"term/{slug}" not in rows) == []


def test_posts_have_urls_and_plans_have_places(shipped_turtle: pyoxigraph.Store) -> None:
    posts = _select(shipped_turtle, "SELECT ?id WHERE { ?p a umf:Post ; dcterms:identifier ?id }")
    with_url = _select(
        shipped_turtle,
        "SELECT ?id WHERE { ?p a umf:Post ; dcterms:identifier ?id ; <https://schema.org/url> ?u }",
    )
    assert len(posts) >= 14
    assert with_url == posts
    plans = _select(
        shipped_turtle,
        "SELECT ?id ?fips WHERE { ?p a umf:MobilityActionPlan ; dcterms:identifier ?id ; umf:place ?x . ?x umf:fipsCode ?fips }",
    )
    assert len(plans) == 8
    steps = _select(shipped_turtle, "SELECT ?n WHERE { ?s a umf:GuideStep ; umf:stepNumber ?n }")
    assert sorted(int(n) for (n,) in steps) == list(range(1, 11))


def test_every_post_reaches_a_strategy(shipped_graph: EntityGraph) -> None:
    posts = [n for n, d in shipped_graph.nx.nodes(data=True) if d["type"] == "post"]
    strategies = [n for n, d in shipped_graph.nx.nodes(data=True) if d["type"] == "strategy"]
    unreachable = [p for p in posts if not shipped_graph.paths(p, strategies[0])]
    assert unreachable == []


def test_every_entity_cites_an_http_source(shipped_turtle: pyoxigraph.Store) -> None:
    missing = _select(
        shipped_turtle,
        "SELECT ?id WHERE { ?e dcterms:identifier ?id FILTER NOT EXISTS { ?e dcterms:source ?s "
        "FILTER(STRSTARTS(STR(?s), 'http')) } }",
    )
    assert missing == []


def test_no_document_repeats_a_long_run_of_another() -> None:
    from mobility_kg.ingest.corpus import load_corpus

    run = 12
    seen: dict[tuple[str, ...], str] = {}
    repeats: list[str] = []
    for doc in load_corpus(ROOT / "corpus").documents:
        text = " ".join([doc.lead, *(s.text for s in doc.sections)])
        words = re.findall(r"[a-z0-9']+", text.lower())
        for start in range(len(words) - run + 1):
            shingle = tuple(words[start : start + run])
            owner = seen.setdefault(shingle, doc.id)
            if owner != doc.id:
                repeats.append(f"{doc.id} repeats {owner}: {' '.join(shingle)}")
    assert repeats[:10] == []
