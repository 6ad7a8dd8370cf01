"""The training questions of benchmarks/tune_encoder.py: written apart from the evaluation set,
so that a model tuned on them can be scored on the dev and test halves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mobility_kg.build import load_built_graph
from mobility_kg.config import Settings
from mobility_kg.graph.inspect import entity_ids
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.evaluate import read_questions

EVAL = Path(__file__).resolve().parents[1] / "eval"
TRAINING = EVAL / "train.jsonl"
EVALUATION = EVAL / "questions.jsonl"


def test_the_training_questions_are_apart_from_the_evaluation_set() -> None:
    training = read_questions(TRAINING)
    assert len(training) >= 200
    assert all(q.split is None for q in training)
    assert not {q.question for q in training} & {q.question for q in read_questions(EVALUATION)}
    classes = [json.loads(line)["class"] for line in TRAINING.read_text("utf-8").splitlines()]
    assert set(classes) == {"direct", "list", "multi-hop", "ordinal", "vocabulary"}


def test_no_training_question_paraphrases_an_evaluation_question(
    embedder: MiniLMEmbedder,
) -> None:
    """README ("Ranking"): none is within cosine 0.8 of a dev or test question."""
    training = embedder.encode([q.question for q in read_questions(TRAINING)])
    evaluation = embedder.encode([q.question for q in read_questions(EVALUATION)])
    assert float((training @ evaluation.T).max()) < 0.8


@pytest.mark.slow
def test_every_training_answer_is_an_entity_of_the_shipped_corpus(
    shipped_settings: Settings,
) -> None:
    known = set(entity_ids(load_built_graph(shipped_settings.data_dir).graph))
    relevant = {r for q in read_questions(TRAINING) for r in q.relevant}
    assert sorted(relevant - known) == []
