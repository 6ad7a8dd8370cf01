"""The learned last step of hybrid ranking: its features, its weights file, its provenance."""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from mobility_kg.config import Settings
from mobility_kg.errors import RankerFileError
from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.evaluate import read_questions
from mobility_kg.search.known_questions import fingerprint, shipped_known_questions
from mobility_kg.search.learned import (
    SIGNALS,
    UNRANKED,
    CandidateSignals,
    LearnedRanker,
    feature_table,
)
from mobility_kg.search.ranking import RankingParams

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"
SHIPPED = ROOT / "src" / "mobility_kg" / "search" / "ranker.json"


def signals(wanted: str | None = "strategy") -> CandidateSignals:
    return CandidateSignals(
        scores=[0.04, 0.03, 0.01],
        kinds=["strategy", "evidence", "term"],
        best_cosine=[0.6, 0.5, 0.2],
        best_bm25=[8.0, 4.0, 0.0],
        best_sentence_cosine=[0.7, 0.4, 0.1],
        chunk_counts=[2, 7, 1],
        dense_rank=[0, 3, UNRANKED],
        question_best_bm25=10.0,
        wanted_kind=wanted,
        cue_lift=[2.0, 0.0, 0.5],
        anchor_links=[0, 3, 1],
        known_question_cosine=[0.2, 0.82, 0.4],
        known_question_bm25=[0.0, 6.5, 1.25],
    )


def test_each_row_holds_the_signals_then_the_kind() -> None:
    table = feature_table(signals(), ["evidence", "strategy"])
    column = {name: i for i, name in enumerate(SIGNALS)}
    assert table.shape == (3, len(SIGNALS) + 2)
    assert table[:, column["inverse_rank"]].tolist() == [1.0, 0.5, 1 / 3]
    assert table[:, column["log_rank"]].tolist() == pytest.approx([0.0, math.log(2), math.log(3)])
    assert table[:, column["score_share"]].tolist() == pytest.approx([1.0, 0.75, 0.25])
    assert table[:, column["best_bm25_share"]].tolist() == [0.8, 0.4, 0.0]
    assert table[:, column["log_chunks"]].tolist() == pytest.approx(
        [math.log(3), math.log(8), math.log(2)]
    )
    assert table[:, column["inverse_dense_rank"]].tolist() == [1.0, 0.25, 1 / (1 + UNRANKED)]
    assert table[:, column["list_kind"]].tolist() == [1.0, 0.0, 0.0]
    assert table[:, column["cue_lift"]].tolist() == [2.0, 0.0, 0.5]
    assert table[:, column["anchor_links"]].tolist() == pytest.approx(
        [0.0, math.log(4), math.log(2)]
    )
    # The closest known question counts past KNOWN_FLOOR (0.3) only.
    assert table[:, column["known_question_cosine"]].tolist() == pytest.approx([0.0, 0.52, 0.1])
    assert table[:, column["known_question_bm25"]].tolist() == [0.0, 6.5, 1.25]
    # Standardised over the question's candidates: the mean is 0 and the order kept.
    for name in ("best_cosine_z", "best_sentence_z"):
        z = table[:, column[name]]
        assert z.mean() == pytest.approx(0.0) and z.std() == pytest.approx(1.0)
        assert z.tolist() == sorted(z.tolist(), reverse=True)
    # One-hot kinds: the term is of no kind the model knows.
    assert table[:, len(SIGNALS) :].tolist() == [[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]]
    assert feature_table(signals(None), [])[:, column["list_kind"]].tolist() == [0.0] * 3


def test_candidates_that_tie_have_no_spread_to_standardise() -> None:
    tied = replace(signals(), best_cosine=[0.5, 0.5, 0.5])
    column = SIGNALS.index("best_cosine_z")
    assert feature_table(tied, [])[:, column].tolist() == [0.0, 0.0, 0.0]


def test_a_question_without_bm25_matches_scores_no_share() -> None:
    quiet = replace(signals(), best_bm25=[0.0, 0.0, 0.0], question_best_bm25=0.0)
    column = SIGNALS.index("best_bm25_share")
    assert feature_table(quiet, [])[:, column].tolist() == [0.0, 0.0, 0.0]


def test_probabilities_follow_the_weights() -> None:
    ranker = LearnedRanker(("strategy",), np.zeros(len(SIGNALS) + 1), 0.0, {})
    table = feature_table(signals(), ranker.kinds)
    assert ranker.probabilities(table).tolist() == [0.5, 0.5, 0.5]
    weights = np.zeros(len(SIGNALS) + 1)
    weights[SIGNALS.index("best_sentence_cosine")] = 10.0
    chance = LearnedRanker(("strategy",), weights, -5.0, {}).probabilities(table)
    assert chance[0] > chance[1] > chance[2] and 0.0 < chance[2] < 0.5 < chance[0] < 1.0


def test_weights_survive_a_round_trip() -> None:
    ranker = LearnedRanker(("post", "term"), np.arange(len(SIGNALS) + 2) / 7, -0.25, {"c": 1.0})
    again = LearnedRanker.from_json(ranker.to_json(), "ranker.json")
    assert again.kinds == ranker.kinds and again.intercept == -0.25
    assert np.allclose(again.weights, ranker.weights, atol=1e-8)
    assert again.provenance == {"c": 1.0}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("{not json", "line 1"),
        ("[]", "(top level)"),
        (json.dumps({"features": ["log_rank"], "weights": [1.0], "intercept": 0}), "features"),
        (json.dumps({"features": [*SIGNALS, "post"], "weights": [0] * 11, "intercept": 0}), "features"),
        (json.dumps({"features": list(SIGNALS), "weights": [0] * 3, "intercept": 0}), "weights"),
        (json.dumps({"features": list(SIGNALS), "weights": [0] * 10, "intercept": "x"}), "weights"),
        (json.dumps({"features": list(SIGNALS), "weights": [0] * 9 + [1e999], "intercept": 0}), "weights"),
    ],
)  # fmt: skip
def test_a_bad_weights_file_names_the_field_at_fault(text: str, field: str) -> None:
    with pytest.raises(RankerFileError) as raised:
        LearnedRanker.from_json(text, "ranker.json")
    assert raised.value.field == field
    assert str(raised.value).startswith(f"ranker.json: {field}: ")


def test_a_missing_weights_file_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(RankerFileError, match=r"ranker.json: \(file\)"):
        LearnedRanker.load(tmp_path / "ranker.json")


def test_the_shipped_weights_were_learnt_from_this_dev_half() -> None:
    """Editing the evaluation set without training again (benchmarks/train_ranker.py) fails
    here: the weights would no longer say what they were learnt from."""
    ranker = LearnedRanker.shipped()
    on_disk = LearnedRanker.load(SHIPPED)
    assert ranker.kinds == on_disk.kinds and np.array_equal(ranker.weights, on_disk.weights)
    provenance = ranker.provenance
    dev = [q for q in read_questions(QUESTIONS) if q.split == "dev"]
    assert provenance["split"] == "dev" and provenance["question_count"] == len(dev)
    assert provenance["questions"] == "tests/eval/questions.jsonl"
    assert provenance["questions_sha256"] == hashlib.sha256(QUESTIONS.read_bytes()).hexdigest()
    assert provenance["trained_by"] == "benchmarks/train_ranker.py"
    assert (ROOT / provenance["trained_by"]).is_file()
    # One of the signals is the closest known question: editing them means training again.
    assert provenance["known_questions"] == fingerprint(shipped_known_questions())


def test_the_engine_orders_its_candidates_by_the_learned_chance(engine: SearchEngine) -> None:
    plain = replace(engine.params, learned=False)
    question = "what helps families avoid eviction?"
    learned = engine.search(question, k=10).results
    engine.params = plain
    try:
        before = engine.search(question, k=30).results
    finally:
        engine.params = replace(plain, learned=True)
    scores = [hit.score for hit in learned]
    assert scores == sorted(scores, reverse=True) and all(0.0 < s < 1.0 for s in scores)
    # The learned step only reorders the candidates the graph re-ranking found.
    assert {hit.id for hit in learned} <= {hit.id for hit in before}


def test_switched_off_the_engine_reads_no_weights(engine: SearchEngine) -> None:
    plain = SearchEngine(
        engine.embedder,
        engine.dense,
        engine.vectors,
        engine.lexical,
        engine.chunks,
        engine.catalog,
        engine.manifest,
        engine.sentences,
        engine.sentence_vectors,
        RankingParams(learned=False),
    )
    assert plain.ranker is None
    hits = plain.search("what helps families avoid eviction?", k=5).results
    assert len(hits) == 5 and all(hit.score < 1.0 for hit in hits)


@pytest.mark.slow
def test_training_on_the_shipped_build_gives_the_shipped_weights(
    shipped_settings: Settings,
) -> None:
    """ranker.json is data in the repo: its command makes it again from the shipped corpus."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "train_ranker.py"),
            "--data-dir",
            str(shipped_settings.data_dir),
            "--check",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the shipped weights are reproduced" in done.stdout
