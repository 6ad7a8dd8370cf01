"""Retrieval evaluation: recall@1/5/10, MRR@10 and nDCG@10 over questions with known answers.

Questions are JSON lines ``{"question": ..., "relevant": [compact ids], "split": "dev"}``; a hit
is relevant when its id is in ``relevant`` (binary gain). ``split`` is optional: ``dev`` marks a
question for tuning, ``test`` one held out to report on. Other keys (the set's ``class``) are
left to the tests of the set.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mobility_kg.errors import CorpusError, InvalidIdError, UnknownEntityError

CUTOFFS = (1, 5, 10)
SPLITS = ("dev", "test")


@dataclass(frozen=True, slots=True)
class Question:
    question: str
    relevant: frozenset[str]
    split: str | None = None
    line: int = 0  # in the file it was read from (0: not read from a file)


@dataclass(frozen=True, slots=True)
class ModeReport:
    mode: str
    questions: int
    recall: dict[str, float]
    mrr_at_10: float
    ndcg_at_10: float
    missed: list[str] = field(default_factory=list)


def read_questions(path: Path) -> list[Question]:
    """Questions from a JSON-lines file.

    Raises:
        CorpusError: unreadable file, a line that is not such an object, a split other than
            ``dev`` or ``test`` (with its line and field).
    """
    questions = []
    for number, data in json_lines(path):
        if not isinstance(data, dict):
            raise CorpusError(path, "needs a non-empty string", line=number, field="question")
        question, relevant = data.get("question"), data.get("relevant")
        if not isinstance(question, str) or not question.strip():
            raise CorpusError(path, "needs a non-empty string", line=number, field="question")
        if (
            not isinstance(relevant, list)
            or not relevant
            or not all(isinstance(r, str) for r in relevant)
        ):
            raise CorpusError(
                path, "needs a non-empty list of compact ids", line=number, field="relevant"
            )
        split = data.get("split")
        if split is not None and split not in SPLITS:
            raise CorpusError(
                path,
                f"must be one of {', '.join(SPLITS)}, got {split!r}",
                line=number,
                field="split",
            )
        questions.append(Question(question, frozenset(relevant), split, number))
    if not questions:
        raise CorpusError(path, "holds no questions")
    return questions


def check_relevant(
    path: Path, questions: Sequence[Question], known: Callable[[str], object]
) -> None:
    """Check every relevant id of ``questions`` (read from ``path``) with ``known``, which
    raises for an id that names no entity.

    Raises:
        CorpusError: the first relevant id ``known`` refuses, with its line and the reason.
    """
    for item in questions:
        for compact in sorted(item.relevant):
            try:
                known(compact)
            except (UnknownEntityError, InvalidIdError) as error:
                raise CorpusError(path, str(error), line=item.line, field="relevant") from None


def recall_at(ranked: Sequence[str], relevant: frozenset[str], k: int) -> float:
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: frozenset[str], k: int = 10) -> float:
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: frozenset[str], k: int = 10) -> float:
    dcg = sum(
        1.0 / math.log2(rank + 1)
        for rank, item in enumerate(ranked[:k], start=1)
        if item in relevant
    )
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def evaluate(
    mode: str, questions: Sequence[Question], rank: Callable[[str], list[str]]
) -> ModeReport:
    """Mean metrics of one retrieval mode; ``rank`` returns the ranked ids for a question."""
    totals = dict.fromkeys((f"recall@{k}" for k in CUTOFFS), 0.0)
    mrr = ndcg = 0.0
    missed = []
    for item in questions:
        ranked = rank(item.question)
        for k in CUTOFFS:
            totals[f"recall@{k}"] += recall_at(ranked, item.relevant, k)
        rr = reciprocal_rank(ranked, item.relevant)
        mrr += rr
        ndcg += ndcg_at(ranked, item.relevant)
        if rr == 0.0:
            missed.append(item.question)
    n = len(questions)
    return ModeReport(
        mode=mode,
        questions=n,
        # Unrounded: a reader rounds once (0.84949 rounded to four places and then to three
        # would print 0.850).
        recall={name: value / n for name, value in totals.items()},
        mrr_at_10=mrr / n,
        ndcg_at_10=ndcg / n,
        missed=missed,
    )


def json_lines(path: Path) -> Iterator[tuple[int, object]]:
    """(line number, parsed value) of every non-blank line of a JSON-lines file.

    Raises:
        CorpusError: the file is unreadable, or a line is not JSON (with its line).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CorpusError(path, f"cannot read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        at = path.read_bytes()[: error.start].count(b"\n") + 1
        raise CorpusError(path, f"not UTF-8 text (byte {error.start})", line=at) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(path, f"not JSON: {error.msg}", line=number) from None
