"""The second held-out set (tests/eval/fresh.jsonl): written after the ranking was frozen, by
writers who saw neither the evaluation set nor the known questions, and scored once (docs/search-quality.md,
"Peer benchmark"). These tests keep it what that page says it is."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mobility_kg.build import load_built_graph
from mobility_kg.config import Settings
from mobility_kg.graph.inspect import entity_ids
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.evaluate import read_questions
from mobility_kg.search.known_questions import shipped_known_questions

EVAL = Path(__file__).resolve().parents[1] / "eval"
FRESH = EVAL / "fresh.jsonl"
# The cosine under which a question counts as new (docs/search-quality.md, "Ranking").
PARAPHRASE = 0.8


def test_the_fresh_set_is_held_out_and_covers_every_class() -> None:
    fresh = read_questions(FRESH)
    assert len(fresh) >= 75
    assert {q.split for q in fresh} == {"test"}
    lines = FRESH.read_text(encoding="utf-8").splitlines()
    classes = {json.loads(line)["class"] for line in lines if line.strip()}
    assert classes == {"direct", "list", "multi-hop", "ordinal", "vocabulary"}
    assert len({q.question for q in fresh}) == len(fresh)


def test_no_fresh_question_paraphrases_a_known_an_evaluation_or_another_fresh_one(
    embedder: MiniLMEmbedder,
) -> None:
    fresh = embedder.encode([q.question for q in read_questions(FRESH)])
    known = embedder.encode([q.question for q in shipped_known_questions()])
    evaluation = embedder.encode([q.question for q in read_questions(EVAL / "questions.jsonl")])
    assert float((fresh @ known.T).max()) < PARAPHRASE
    assert float((fresh @ evaluation.T).max()) < PARAPHRASE
    among = fresh @ fresh.T
    np.fill_diagonal(among, 0.0)
    assert float(among.max()) < PARAPHRASE


@pytest.mark.slow
def test_every_fresh_answer_is_an_entity_of_the_shipped_corpus(shipped_settings: Settings) -> None:
    entities = set(entity_ids(load_built_graph(shipped_settings.data_dir).graph))
    relevant = {r for q in read_questions(FRESH) for r in q.relevant}
    assert sorted(relevant - entities) == []
