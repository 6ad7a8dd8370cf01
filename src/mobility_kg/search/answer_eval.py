"""Answer evaluation: are the facts a question asks for in the answer, and does the answer stay
empty when the corpus cannot answer?

Questions are JSON lines, either ``{"question": ..., "facts": [strings]}`` (every fact must
appear, case-insensitively, in the answer's sentences) or ``{"question": ..., "abstain": true}``
(the answer must be empty). ``entities`` may name where each fact is stated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mobility_kg.errors import CorpusError
from mobility_kg.search.answer import Answer
from mobility_kg.search.evaluate import json_lines


@dataclass(frozen=True, slots=True)
class AnswerQuestion:
    question: str
    facts: tuple[str, ...] = ()
    abstain: bool = False


@dataclass(frozen=True, slots=True)
class AnswerReport:
    fact_questions: int
    fact_recall: float  # share of fact questions whose every fact is in the answer
    off_topic_questions: int
    abstention: float  # share of off-topic questions answered with nothing
    wrongly_abstained: list[str] = field(default_factory=list)
    facts_missed: list[str] = field(default_factory=list)
    answered_off_topic: list[str] = field(default_factory=list)


def read_answer_questions(path: Path) -> list[AnswerQuestion]:
    """Answer questions from a JSON-lines file.

    Raises:
        CorpusError: unreadable file, or a line that is not such an object (with its line).
    """
    questions = []
    for number, data in json_lines(path):
        if not isinstance(data, dict):
            raise CorpusError(path, "needs a JSON object", line=number)
        question = data.get("question")
        if not isinstance(question, str) or not question.strip():
            raise CorpusError(path, "needs a non-empty string", line=number, field="question")
        facts, abstain = data.get("facts"), data.get("abstain", False)
        if abstain is True and facts is None:
            questions.append(AnswerQuestion(question, abstain=True))
            continue
        if not isinstance(facts, list) or not facts or not all(isinstance(f, str) for f in facts):
            raise CorpusError(
                path,
                'needs a non-empty list of strings (or "abstain": true)',
                line=number,
                field="facts",
            )
        questions.append(AnswerQuestion(question, tuple(facts)))
    if not questions:
        raise CorpusError(path, "holds no questions")
    return questions


def evaluate_answers(
    questions: Sequence[AnswerQuestion], ask: Callable[[str], Answer]
) -> AnswerReport:
    """Fact recall over the fact questions and abstention over the off-topic ones."""
    found = abstained = 0
    wrongly, missed, answered = [], [], []
    facts = [q for q in questions if not q.abstain]
    off_topic = [q for q in questions if q.abstain]
    for item in facts:
        answer = ask(item.question)
        text = " ".join(s.text for s in answer.answer).lower()
        if all(fact.lower() in text for fact in item.facts):
            found += 1
        else:
            missed.append(item.question)
        if answer.abstained:
            wrongly.append(item.question)
    for item in off_topic:
        answer = ask(item.question)
        if answer.abstained and not answer.answer:
            abstained += 1
        else:
            answered.append(item.question)
    return AnswerReport(
        fact_questions=len(facts),
        fact_recall=round(found / len(facts), 4) if facts else 0.0,
        off_topic_questions=len(off_topic),
        abstention=round(abstained / len(off_topic), 4) if off_topic else 0.0,
        wrongly_abstained=wrongly,
        facts_missed=missed,
        answered_off_topic=answered,
    )
