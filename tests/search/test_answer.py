"""ask: intents, one sentence per meaning, abstention, and the answer evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobility_kg.errors import CorpusError
from mobility_kg.search.answer import Intent, answer_question, intent_of
from mobility_kg.search.answer_eval import (
    AnswerQuestion,
    evaluate_answers,
    read_answer_questions,
)
from mobility_kg.search.engine import SearchEngine


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("what can a county do about evictions?", Intent.ACTION),
        ("how can cities raise wages", Intent.ACTION),
        ("how many counties are covered", Intent.FIGURE),
        ("what share of adults work", Intent.FIGURE),
        ("what is a data walk", Intent.DEFINITION),
        ("eviction and jobs", Intent.OTHER),
    ],
)
def test_intent_from_wording(question: str, intent: Intent) -> None:
    assert intent_of(question) is intent


@pytest.mark.parametrize(
    "question", ["asdkjhqwe zzzz", "what is the capital of France", "best sourdough recipe"]
)
def test_off_topic_questions_get_no_answer(engine: SearchEngine, question: str) -> None:
    answer = answer_question(engine, question)
    assert answer.abstained
    assert answer.answer == []
    assert answer.message == "Nothing in the corpus answers this question."


def test_no_two_answer_sentences_say_the_same(engine: SearchEngine) -> None:
    answer = answer_question(engine, "how can a county keep families from losing their homes?")
    vectors = [
        engine.sentence_vectors[[s.text for s in engine.sentences].index(a.text)]
        for a in answer.answer
    ]
    for i, first in enumerate(vectors):
        for second in vectors[i + 1 :]:
            assert float(first @ second) < 0.9


def test_answer_evaluation_counts_facts_and_abstentions(engine: SearchEngine) -> None:
    questions = [
        AnswerQuestion("how can a county keep families from losing their homes?", ("evict",)),
        AnswerQuestion("how can a county keep families from losing their homes?", ("zebra",)),
        AnswerQuestion("asdkjhqwe zzzz", abstain=True),
    ]
    report = evaluate_answers(questions, lambda q: answer_question(engine, q))
    assert (report.fact_questions, report.fact_recall) == (2, 0.5)
    assert (report.off_topic_questions, report.abstention) == (1, 1.0)
    assert report.facts_missed == [questions[1].question]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "2: not JSON"),
        ('{"question": "x"}', '2: field "facts": needs a non-empty list of strings'),
        ('{"question": "", "abstain": true}', '2: field "question": needs a non-empty string'),
        ("[1]", "2: needs a JSON object"),
    ],
)
def test_bad_answer_files_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "answers.jsonl"
    path.write_text('{"question": "ok", "abstain": true}\n' + line + "\n")
    with pytest.raises(CorpusError) as error:
        read_answer_questions(path)
    assert message in str(error.value)
