"""The known questions (search/known_questions.jsonl): written apart from the evaluation set, read
with typed errors, and turned into each entity's closest known question."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mobility_kg.build import load_built_graph
from mobility_kg.config import Settings
from mobility_kg.errors import RankerFileError
from mobility_kg.graph.inspect import entity_ids
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.evaluate import read_questions
from mobility_kg.search.known_questions import (
    KnownQuestion,
    KnownQuestionIndex,
    answerable,
    fingerprint,
    parse_known_questions,
    shipped_known_questions,
)
from mobility_kg.search.lexical import LexicalIndex

EVALUATION = Path(__file__).resolve().parents[1] / "eval" / "questions.jsonl"


def line(question: str = "why does rent matter?", **fields: object) -> str:
    body = {
        "question": question,
        "relevant": ["predictor/housing-affordability"],
        "class": "direct",
    }
    return json.dumps(body | fields)


def test_the_known_questions_are_apart_from_the_evaluation_set() -> None:
    known = shipped_known_questions()
    assert len(known) >= 200
    assert not {q.question for q in known} & {q.question for q in read_questions(EVALUATION)}
    assert {q.kind for q in known} == {"direct", "list", "multi-hop", "ordinal", "vocabulary"}
    assert len({q.question for q in known}) == len(known)


def test_no_known_question_paraphrases_an_evaluation_question(embedder: MiniLMEmbedder) -> None:
    """docs/search-quality.md ("Ranking"): none is within cosine 0.8 of a dev or test question, so that the
    evaluation halves still measure questions the ranking has not seen."""
    known = embedder.encode([q.question for q in shipped_known_questions()])
    evaluation = embedder.encode([q.question for q in read_questions(EVALUATION)])
    assert float((known @ evaluation.T).max()) < 0.8


@pytest.mark.slow
def test_every_known_answer_is_an_entity_of_the_shipped_corpus(shipped_settings: Settings) -> None:
    entities = set(entity_ids(load_built_graph(shipped_settings.data_dir).graph))
    relevant = {r for q in shipped_known_questions() for r in q.relevant}
    assert sorted(relevant - entities) == []


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("{not json", "line 2"),
        ("[1, 2]", "line 2"),
        (line(""), "line 2: question"),
        (line(relevant=[]), "line 2: relevant"),
        (line(relevant=["housing"]), "line 2: relevant"),
        (line(**{"class": "trivia"}), "line 2: class"),
    ],
)
def test_a_bad_line_is_named(text: str, field: str) -> None:
    with pytest.raises(RankerFileError) as caught:
        parse_known_questions(f"{line('first?')}\n{text}\n", "known.jsonl")
    assert caught.value.path == "known.jsonl" and caught.value.field == field


def test_questions_naming_an_entity_the_build_lacks_are_left_out() -> None:
    questions = parse_known_questions(
        line("a?") + "\n\n" + line("b?", relevant=["predictor/housing-affordability", "x/y"]),
        "known.jsonl",
    )
    assert [q.question for q in answerable(questions, {"predictor/housing-affordability"})] == [
        "a?"
    ]
    # A changed answer changes the fingerprint, so the build is made again.
    moved = [KnownQuestion.of("a?", ["strategy/eviction-right-to-counsel"], "direct")]
    assert fingerprint(questions[:1]) != fingerprint(moved)


def test_each_entity_takes_its_closest_naming_question() -> None:
    entities = {"a/one": 0, "a/two": 1, "a/three": 2}
    questions = [
        KnownQuestion.of("q1", ["a/one", "a/two"], "direct"),
        KnownQuestion.of("q2", ["a/two"], "direct"),
    ]
    vectors = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    index = KnownQuestionIndex(questions, vectors, entities)
    closest = index.closest(np.array([0.0, 1.0], dtype=np.float32))
    # one: only q1 (cosine 0); two: the better of q1 and q2 (0.8); three: named by none.
    assert closest.tolist() == pytest.approx([0.0, 0.8, 0.0])
    empty = KnownQuestionIndex([], np.zeros((0, 0), dtype=np.float32), entities)
    assert empty.closest(np.array([0.0, 1.0], dtype=np.float32)).tolist() == [0.0, 0.0, 0.0]
    assert empty.closest_in_words(["rent"]).tolist() == [0.0, 0.0, 0.0]


def test_each_entity_takes_its_best_matching_question_in_words() -> None:
    """BM25 over the known questions' words: the best score among those naming the entity."""
    entities = {"strategy/ida": 0, "predictor/wealth": 1, "term/cdfi": 2}
    questions = [
        KnownQuestion.of("do IDA matched savings accounts work?", ["strategy/ida"], "vocabulary"),
        KnownQuestion.of(
            "why do savings matter for families?", ["predictor/wealth", "strategy/ida"], "direct"
        ),
        KnownQuestion.of("what is a CDFI?", ["term/cdfi"], "vocabulary"),
    ]
    index = LexicalIndex.build(["matched savings accounts", "community lenders"])
    words = index.field_scorer([q.question for q in questions])
    known = KnownQuestionIndex(questions, np.eye(3, dtype=np.float32), entities, words)
    best = known.closest_in_words(index.terms("IDA savings"))
    alone = words.scores(index.terms("IDA savings"))
    # The IDA question matches both words; the wealth predictor only through "savings".
    assert best[0] == pytest.approx(alone[0]) and best[1] == pytest.approx(alone[1])
    assert best[0] > best[1] > 0.0 and best[2] == 0.0
    assert known.closest_in_words(index.terms("zoning")).tolist() == [0.0, 0.0, 0.0]
