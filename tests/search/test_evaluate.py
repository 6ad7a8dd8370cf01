"""Evaluation metrics against values computed by hand."""

import math
from pathlib import Path

import pytest

from mobility_kg.errors import CorpusError
from mobility_kg.search.evaluate import (
    Question,
    evaluate,
    ndcg_at,
    read_questions,
    recall_at,
    reciprocal_rank,
)
from mobility_kg.search.fusion import fuse_rankings

RANKED = ["a", "x", "b", "y", "z", "c"]
RELEVANT = frozenset({"b", "c", "d"})


def test_recall_at_cutoffs() -> None:
    assert recall_at(RANKED, RELEVANT, 1) == 0.0
    assert recall_at(RANKED, RELEVANT, 5) == pytest.approx(1 / 3)
    assert recall_at(RANKED, RELEVANT, 10) == pytest.approx(2 / 3)


def test_reciprocal_rank_is_first_relevant() -> None:
    assert reciprocal_rank(RANKED, RELEVANT) == pytest.approx(1 / 3)
    assert reciprocal_rank(["q"] * 10 + ["b"], RELEVANT) == 0.0


def test_ndcg_by_hand() -> None:
    dcg = 1 / math.log2(4) + 1 / math.log2(7)
    ideal = 1 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(RANKED, RELEVANT) == pytest.approx(dcg / ideal)


def test_evaluate_means_and_missed() -> None:
    questions = [Question("q1", frozenset({"a"})), Question("q2", frozenset({"zz"}))]
    report = evaluate("dense", questions, lambda q: RANKED)
    assert report.recall == {"recall@1": 0.5, "recall@5": 0.5, "recall@10": 0.5}
    assert (report.mrr_at_10, report.ndcg_at_10, report.missed) == (0.5, 0.5, ["q2"])


def test_means_are_not_rounded_before_a_reader_rounds_them() -> None:
    """A mean of 0.84949 must print as 0.849: rounded to four places first it would be 0.8495,
    and then 0.850."""
    relevant = frozenset({"a", "b", "c"})
    questions = [Question(f"q{i}", relevant) for i in range(3)]
    report = evaluate("hybrid", questions, lambda q: ["a"] if q == "q0" else [])
    assert report.recall["recall@1"] == 1 / 9  # (1/3 + 0 + 0) / 3, not 0.1111


def test_rrf_fuses_by_reciprocal_rank() -> None:
    fused = fuse_rankings([["a", "b", "c"], ["b", "c", "d"]], k=60)
    assert [key for key, _ in fused] == ["b", "c", "a", "d"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "q.jsonl:2: not JSON"),
        (
            '{"question": "", "relevant": ["predictor/x"]}',
            'q.jsonl:2: field "question": needs a non-empty string',
        ),
        (
            '{"question": "why?", "relevant": []}',
            'q.jsonl:2: field "relevant": needs a non-empty list of compact ids',
        ),
    ],
)
def test_bad_question_lines_name_their_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "ok?", "relevant": ["predictor/x"]}\n' + line + "\n")
    with pytest.raises(CorpusError) as caught:
        read_questions(path)
    assert str(caught.value).removeprefix(str(tmp_path) + "/").startswith(message)


def test_split_is_read_when_given(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"question": "a?", "relevant": ["predictor/x"], "split": "dev"}\n'
        '{"question": "b?", "relevant": ["predictor/x"], "split": "test"}\n'
        '{"question": "c?", "relevant": ["predictor/x"]}\n'
    )
    assert [q.split for q in read_questions(path)] == ["dev", "test", None]


@pytest.mark.parametrize("split", ['"train"', '""', "1"])
def test_unknown_split_names_line_and_field(tmp_path: Path, split: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"question": "ok?", "relevant": ["predictor/x"], "split": "dev"}\n'
        f'{{"question": "why?", "relevant": ["predictor/x"], "split": {split}}}\n'
    )
    with pytest.raises(CorpusError) as caught:
        read_questions(path)
    assert caught.value.line == 2 and caught.value.field == "split"
    assert 'q.jsonl:2: field "split": must be one of dev, test' in str(caught.value)
