"""Search with the real model and the real FAISS index over the mini corpus."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.errors import InvalidParameter, StaleArtifact, UnknownEntityError
from mobility_kg.ids import EntityType
from mobility_kg.search.answer import answer_question
from mobility_kg.search.dense import FaissIndex, NumpyIndex
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.engine import Filters, SearchEngine, SearchMode
from mobility_kg.search.records import INDEX_FORMAT


@pytest.fixture(scope="module")
def engine(mini_settings: Settings, embedder: MiniLMEmbedder) -> SearchEngine:
    return SearchEngine.open(mini_settings.data_dir, embedder)


# Questions phrased without the entities' names, and the entity each must put first.
TOP_HITS = [
    ("a free lawyer for tenants in housing court", "strategy/eviction-right-to-counsel"),
    ("share of prime-age adults with a job", "metric/employment-to-population-ratio"),
    (
        "children without a fixed place to sleep at night during the school year",
        "metric/student-homelessness",
    ),
    ("which county made a dashboard of local measures", "post/philadelphia-data-dashboard"),
]


@pytest.mark.parametrize(("question", "expected"), TOP_HITS)
def test_expected_entity_ranks_first_in_hybrid(
    engine: SearchEngine, question: str, expected: str
) -> None:
    assert engine.search(question, k=3).results[0].id == expected


def test_results_are_one_per_entity(engine: SearchEngine) -> None:
    ids = [h.id for h in engine.search("eviction and housing", k=20).results]
    assert len(ids) == len(set(ids))
    assert "evidence/housing-stability" in ids  # four chunks, one result


def test_hit_carries_snippet_section_source_and_about(engine: SearchEngine) -> None:
    hit = engine.search(
        "what can local actors do to keep families housed", k=1, mode=SearchMode.DENSE
    ).results[0]
    assert hit.id == "evidence/housing-stability"
    assert (hit.type, hit.section) == ("evidence", "What local and state actors can do")
    assert hit.snippet == "Legal help in housing court and rental vouchers keep families housed."
    assert hit.source_url == "https://upward-mobility.urban.org/framework/neighborhoods/stability"
    assert hit.about == [
        "predictor/housing-stability",
        "strategy/eviction-right-to-counsel",
        "pillar/opportunity-rich-inclusive-neighborhoods",
    ]


def test_type_filter_applies_before_the_cut(engine: SearchEngine) -> None:
    results = engine.search(
        "eviction", k=2, filters=Filters(entity_type=EntityType.STRATEGY)
    ).results
    assert [h.id for h in results] == [
        "strategy/eviction-right-to-counsel",
        "strategy/housing-choice-vouchers",
    ]


REWARDING_WORK = {
    "pillar/rewarding-work",
    "predictor/employment-opportunities",
    "metric/employment-to-population-ratio",
    "strategy/sectoral-job-training",
    "plan/philadelphia-mobility-action-plan",
}


@pytest.mark.parametrize("mode", list(SearchMode))
def test_pillar_filter_keeps_only_that_pillar(engine: SearchEngine, mode: SearchMode) -> None:
    results = engine.search(
        "jobs and work", k=10, mode=mode, filters=Filters(pillar="pillar/rewarding-work")
    )
    # Each of the five has "job" or "work" in its text, so BM25 finds them all too.
    assert {h.id for h in results.results} == REWARDING_WORK


def test_predictor_filter(engine: SearchEngine) -> None:
    ids = {
        h.id
        for h in engine.search(
            "rent", k=10, filters=Filters(predictor="predictor/housing-affordability")
        ).results
    }
    assert ids == {
        "predictor/housing-affordability",
        "metric/affordable-housing-ratio",
        "strategy/housing-choice-vouchers",
    }


def test_bm25_finds_nothing_for_unknown_words(engine: SearchEngine) -> None:
    assert engine.search("zyxwv qwerty", mode=SearchMode.BM25).results == []


@pytest.mark.parametrize(
    ("query", "k", "message"),
    [
        ("   ", 10, "query: must not be empty"),
        ("x" * 1001, 10, "query: is 1001 characters; the limit is 1000"),
        ("eviction", 0, "k: must be between 1 and 100, got 0"),
        ("eviction", 101, "k: must be between 1 and 100, got 101"),
    ],
)
def test_bad_queries_are_invalid_parameters(
    engine: SearchEngine, query: str, k: int, message: str
) -> None:
    with pytest.raises(InvalidParameter) as caught:
        engine.search(query, k=k)
    assert str(caught.value) == message


def test_filter_naming_no_pillar_suggests_one(engine: SearchEngine) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        engine.search("jobs", filters=Filters(pillar="pillar/rewarding-wrk"))
    assert caught.value.suggestions == ["pillar/rewarding-work"]


def test_faiss_flat_returns_the_exact_top_k_of_brute_force(engine: SearchEngine) -> None:
    queries = engine.embedder.encode(["eviction", "jobs", "data dashboard", "planning guide"])
    exact = NumpyIndex(engine.vectors.shape[1])
    exact.add(engine.vectors)
    flat = FaissIndex(engine.vectors.shape[1], "flat")
    flat.add(engine.vectors)
    exact_scores, exact_ids = exact.search(queries, 5)
    faiss_scores, faiss_ids = flat.search(queries, 5)
    assert np.array_equal(exact_ids, faiss_ids)
    assert np.allclose(exact_scores, faiss_scores, atol=1e-5)


def test_vectors_are_normalised(engine: SearchEngine) -> None:
    assert np.allclose(np.linalg.norm(engine.vectors, axis=1), 1.0, atol=1e-4)


def test_answer_sentences_are_corpus_sentences_with_citations(engine: SearchEngine) -> None:
    answer = answer_question(engine, "how can a county keep families from losing their homes?")
    assert len(answer.answer) == 3
    assert answer.intent == "action" and not answer.abstained
    for sentence in answer.answer:
        chunk_bodies = [engine.chunks[r].body for r in engine.rows_of(sentence.citation.id)]
        assert any(sentence.quote in body for body in chunk_bodies)
        assert sentence.quote in sentence.text or "the county" in sentence.quote.lower()
        assert sentence.citation.source_url.startswith("https://")
    linked = [(e.relation, e.id) for e in answer.linked]
    assert ("predictor", "predictor/housing-stability") in linked
    assert ("strategy", "strategy/eviction-right-to-counsel") in linked


def test_incremental_rebuild_embeds_only_changed_chunks(
    mini_copy: Settings, embedder: MiniLMEmbedder
) -> None:
    first = build(mini_copy, embedder=embedder)
    assert (first.embedded, first.reused) == (first.manifest.search["chunks"], 0)
    assert mini_copy.corpus_dir is not None
    evidence = mini_copy.corpus_dir / "evidence" / "housing-stability.md"
    evidence.write_text(
        evidence.read_text().replace("laid off afterwards", "let go in the months after")
    )
    second = build(mini_copy, embedder=embedder)
    assert (second.embedded, second.reused) == (1, first.manifest.search["chunks"] - 1)
    # Only the edited sentence is embedded again for answers.
    assert first.sentences_embedded == first.manifest.search["sentences"]
    assert second.sentences_embedded == 1
    reopened = SearchEngine.open(mini_copy.data_dir, embedder)
    # The new words are found through both indexes: the re-embedded vector and the new BM25.
    for mode in (SearchMode.DENSE, SearchMode.BM25):
        found = reopened.search("let go in the months after an eviction", k=1, mode=mode)
        assert found.results[0].id == "evidence/housing-stability", mode


def test_index_from_another_model_is_stale(mini_copy: Settings, embedder: MiniLMEmbedder) -> None:
    build(mini_copy, embedder=embedder)
    path = mini_copy.data_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["search"]["model"] = "other-model"
    path.write_text(json.dumps(manifest))
    with pytest.raises(
        StaleArtifact, match="index made with model 'other-model', loading 'all-MiniLM-L6-v2'"
    ):
        SearchEngine.open(mini_copy.data_dir, embedder)


def test_missing_index_file_is_reported(
    mini_copy: Settings, embedder: MiniLMEmbedder, tmp_path: Path
) -> None:
    result = build(mini_copy, embedder=embedder)
    (mini_copy.data_dir / result.manifest.files["dense"]).unlink()
    with pytest.raises(Exception, match="file named by the manifest is missing; rebuild"):
        SearchEngine.open(mini_copy.data_dir, embedder)


def test_index_of_an_older_format_is_stale_and_rebuilt(
    mini_copy: Settings, embedder: MiniLMEmbedder
) -> None:
    build(mini_copy, embedder=embedder)
    path = mini_copy.data_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["search"]["index_format"] = 1
    path.write_text(json.dumps(manifest))
    with pytest.raises(StaleArtifact, match=f"index format 1, this version reads {INDEX_FORMAT}"):
        SearchEngine.open(mini_copy.data_dir, embedder)
    again = build(mini_copy, embedder=embedder)
    assert again.changed
    assert again.embedded == 0  # the chunk texts did not change: every vector is reused
