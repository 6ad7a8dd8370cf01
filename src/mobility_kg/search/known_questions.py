"""Questions asked before, with the entities that answer them: signals of the learned step.

``known_questions.jsonl`` beside this module holds questions written the way planners and
researchers ask about the framework, each with the entities a reader would want first. They are
not the evaluation set (a test keeps every one of them under cosine 0.8 of any evaluation
question). A new question close to a known one is likely to want what the known one wanted:
for every candidate, the learned step weighs the cosine of the closest known question that
names it, and the BM25 score of the best-matching one. The build embeds the questions with
the corpus model and keeps only those whose entities are all in the catalog.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from mobility_kg.errors import RankerFileError
from mobility_kg.search.embedder import Vectors
from mobility_kg.search.lexical import FieldScorer

SHIPPED = "known_questions.jsonl"
CLASSES = frozenset({"direct", "list", "multi-hop", "ordinal", "vocabulary"})


@dataclass(frozen=True, slots=True)
class KnownQuestion:
    """A question and the compact ids of the entities that answer it, best first."""

    question: str
    relevant: tuple[str, ...]
    kind: str  # direct, list, multi-hop, ordinal or vocabulary
    content_hash: str  # of the question's text: its vector is reused while it is unchanged

    @classmethod
    def of(cls, question: str, relevant: Sequence[str], kind: str) -> KnownQuestion:
        digest = hashlib.sha256(question.encode("utf-8")).hexdigest()[:20]
        return cls(question, tuple(relevant), kind, digest)


def parse_known_questions(text: str, path: str) -> list[KnownQuestion]:
    """One question per JSON line: ``{"question", "relevant", "class"}``.

    Raises:
        RankerFileError: a line is not JSON, or a field is missing or mistyped (the file and
            line say which)."""
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            body = json.loads(line)
        except json.JSONDecodeError as error:
            raise RankerFileError(path, where, error.msg) from None
        if not isinstance(body, dict):
            raise RankerFileError(path, where, "expected an object")
        question, relevant, kind = body.get("question"), body.get("relevant"), body.get("class")
        if not isinstance(question, str) or not question.strip():
            raise RankerFileError(path, f"{where}: question", "expected a non-empty string")
        if (
            not isinstance(relevant, list)
            or not relevant
            or not all(isinstance(r, str) and "/" in r for r in relevant)
        ):
            raise RankerFileError(path, f"{where}: relevant", "expected a list of compact ids")
        if kind not in CLASSES:
            raise RankerFileError(path, f"{where}: class", f"one of {', '.join(sorted(CLASSES))}")
        questions.append(KnownQuestion.of(question.strip(), relevant, kind))
    return questions


def shipped_known_questions() -> list[KnownQuestion]:
    """The known questions of this release."""
    source = resources.files("mobility_kg.search").joinpath(SHIPPED)
    return parse_known_questions(
        source.read_text(encoding="utf-8"), f"mobility_kg/search/{SHIPPED}"
    )


def fingerprint(questions: Sequence[KnownQuestion]) -> str:
    """A hash of the questions and their answers: a build made with others is rebuilt."""
    text = "".join(f"{q.content_hash}:{','.join(q.relevant)}\n" for q in questions)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def answerable(
    questions: Sequence[KnownQuestion], entities: Collection[str]
) -> list[KnownQuestion]:
    """The questions whose every relevant entity exists in this build."""
    return [q for q in questions if all(r in entities for r in q.relevant)]


def known_questions_to_jsonl(questions: Sequence[KnownQuestion]) -> str:
    return "".join(json.dumps(asdict(q), ensure_ascii=False) + "\n" for q in questions)


def known_questions_from_jsonl(text: str) -> list[KnownQuestion]:
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [
        KnownQuestion(r["question"], tuple(r["relevant"]), r["kind"], r["content_hash"])
        for r in rows
    ]


class KnownQuestionIndex:
    """For a question, each entity's closest known question that names it: by the cosine of
    their vectors, and by BM25 over the known questions' words (``words``, made with the
    corpus index's tokeniser: practitioners' words and acronyms the corpus lacks are there)."""

    def __init__(
        self,
        questions: Sequence[KnownQuestion],
        vectors: Vectors,
        entity_index: Mapping[str, int],
        words: FieldScorer | None = None,
    ) -> None:
        if len(questions) != len(vectors):
            raise ValueError("known questions and their vectors differ in length")
        # (entity, question) pairs, one per answer, grouped by entity: each entity's best
        # question is one ``reduceat`` over a few thousand values, not a questions x entities
        # matrix per query.
        pairs = sorted(
            {
                (entity_index[entity], row)
                for row, question in enumerate(questions)
                for entity in question.relevant
                if entity in entity_index
            }
        )
        owner = np.array([e for e, _ in pairs], dtype=np.intp)
        self._asker = np.array([q for _, q in pairs], dtype=np.intp)
        self._named, self._starts = np.unique(owner, return_index=True)
        self._entities = len(entity_index)
        self._vectors = np.asarray(vectors, dtype=np.float32)
        self._words = words

    def _best(self, per_question: NDArray[np.float32]) -> NDArray[np.float32]:
        best = np.zeros(self._entities, dtype=np.float32)
        if len(self._asker):
            values = np.asarray(per_question, dtype=np.float32)[self._asker]
            best[self._named] = np.maximum.reduceat(values, self._starts)
        return best

    def closest(self, query: Vectors) -> NDArray[np.float32]:
        """Per entity, the best cosine of ``query`` to a known question that names it (0 for
        an entity no known question names)."""
        if not len(self._vectors):
            return np.zeros(self._entities, dtype=np.float32)
        return self._best(self._vectors @ np.asarray(query, dtype=np.float32))

    def closest_in_words(self, terms: Sequence[str]) -> NDArray[np.float32]:
        """Per entity, the best BM25 score of the query's ``terms`` among the known questions
        that name it (0 where none matches). Not a share of the best match: a question that
        shares one common word with a known one must not count as much as one that shares its
        rare words."""
        if self._words is None or not len(self._vectors):
            return np.zeros(self._entities, dtype=np.float32)
        return self._best(self._words.scores(terms))
