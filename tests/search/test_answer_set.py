"""The answer-evaluation questions (tests/eval/answers.jsonl): well-formed lines, enough of each
kind, spread over the entity types, and every fact written in the text of the entity cited for it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SHIPPED

from mobility_kg.ingest.corpus import Corpus, Document, load_corpus

ANSWERS = Path(__file__).resolve().parents[1] / "eval" / "answers.jsonl"
FACT_TYPES = {
    "predictor",
    "metric",
    "evidence",
    "strategy",
    "term",
    "post",
    "plan",
    "guide",
    "methodology",
}


@pytest.fixture(scope="module")
def questions() -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(ANSWERS.read_text().splitlines(), start=1):
        assert line.strip(), f"line {number} is blank"
        row = json.loads(line)
        assert isinstance(row, dict), f"line {number} is not an object"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(SHIPPED)


def _answerable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if not r.get("abstain")]


def _body(document: Document) -> str:
    """The text an answer is drawn from: lead paragraph and sections, without front matter."""
    return " ".join([document.lead, *(f"{s.title} {s.text}" for s in document.sections)])


def test_every_line_has_the_fields_of_its_kind(questions: list[dict[str, Any]]) -> None:
    for row in questions:
        assert isinstance(row["question"], str) and row["question"].strip()
        if row.get("abstain"):
            assert set(row) == {"question", "abstain"} and row["abstain"] is True, row
        else:
            assert set(row) == {"question", "facts", "entities"}, row
            assert row["facts"] and all(isinstance(f, str) and f for f in row["facts"]), row
            assert row["entities"] and all(isinstance(e, str) for e in row["entities"]), row
    texts = [row["question"].strip().lower() for row in questions]
    assert len(texts) == len(set(texts)), "a question is repeated"


def test_counts_and_spread_over_types(questions: list[dict[str, Any]]) -> None:
    answerable = _answerable(questions)
    assert len(answerable) >= 45
    assert len(questions) - len(answerable) >= 20
    types = {e.partition("/")[0] for row in answerable for e in row["entities"]}
    assert sorted(FACT_TYPES - types) == []


def test_facts_are_short(questions: list[dict[str, Any]]) -> None:
    long = [f for row in _answerable(questions) for f in row["facts"] if len(f.split()) > 4]
    assert long == []


def test_every_entity_exists_and_states_its_facts(
    questions: list[dict[str, Any]], corpus: Corpus
) -> None:
    documents = corpus.by_id
    unknown = sorted(
        {e for row in _answerable(questions) for e in row["entities"]} - set(documents)
    )
    assert unknown == []
    missing = [
        (row["question"], fact)
        for row in _answerable(questions)
        for fact in row["facts"]
        if not any(fact.lower() in _body(documents[e]).lower() for e in row["entities"])
    ]
    assert missing == []
