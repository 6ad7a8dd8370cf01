"""Extractive answers: the sentences of the top hits that best answer a question, each with
its citation, plus the entities a reader would walk to next. No generative model: every
sentence of an answer is a sentence of the corpus."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mobility_kg.search.engine import Hit, SearchEngine, SearchMode

TOP_HITS = 5
CHUNKS_PER_HIT = 2
MMR_LAMBDA = 0.7


@dataclass(frozen=True, slots=True)
class Citation:
    id: str
    title: str
    section: str
    source_url: str


@dataclass(frozen=True, slots=True)
class AnswerSentence:
    text: str
    score: float
    citation: Citation


@dataclass(frozen=True, slots=True)
class LinkedEntity:
    id: str
    type: str
    title: str
    relation: str


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    answer: list[AnswerSentence]
    hits: list[Hit]
    linked: list[LinkedEntity] = field(default_factory=list)


def answer_question(engine: SearchEngine, question: str, sentences: int = 3) -> Answer:
    """Answer ``question`` from the corpus: one query embedding, the rest is arithmetic over
    the sentence vectors computed at build.

    Raises:
        InvalidParameter: empty or over-long question.
    """
    response = engine.search(question, k=TOP_HITS, mode=SearchMode.HYBRID)
    query_vector = engine.embed_query(response.query)[0]
    candidates: list[tuple[str, Hit, str]] = []  # (sentence, hit, section)
    indexes: list[int] = []  # their rows in engine.sentences
    for hit in response.results:
        rows = engine.rows_of(hit.id)
        ranked = sorted(rows, key=lambda r: -float(engine.vectors[r] @ query_vector))[
            :CHUNKS_PER_HIT
        ]
        for row in ranked:
            section = engine.chunks[row].section
            start, end = engine.sentence_span(row)
            candidates += [(engine.sentences[i].text, hit, section) for i in range(start, end)]
            indexes.extend(range(start, end))
    chosen: list[AnswerSentence] = []
    if candidates:
        vectors = engine.sentence_vectors[indexes]
        relevance = vectors @ query_vector
        picked: list[int] = []
        while len(picked) < min(sentences, len(candidates)):
            redundancy = (
                (vectors @ vectors[picked].T).max(axis=1) if picked else np.zeros(len(candidates))
            )
            mmr = MMR_LAMBDA * relevance - (1 - MMR_LAMBDA) * redundancy
            mmr[picked] = -np.inf
            picked.append(int(np.argmax(mmr)))
        for index in picked:
            text, hit, section = candidates[index]
            citation = Citation(hit.id, hit.title, section, hit.source_url)
            chosen.append(AnswerSentence(text, round(float(relevance[index]), 4), citation))
    return Answer(
        response.query, chosen, response.results, linked_entities(engine, response.results)
    )


STRENGTH_RANK = {"strong": 0, "moderate": 1, "emerging": 2, "mixed": 3, "insufficient": 4}
LINKED_PREDICTORS = 2
LINKED_STRATEGIES = 3


def linked_entities(engine: SearchEngine, hits: list[Hit]) -> list[LinkedEntity]:
    """Where to go next: the predictors the top hits are most about (weighted by rank), each
    with its pillar and its best-evidenced strategies."""
    cards = engine.catalog.cards
    weight: dict[str, float] = {}
    for rank, hit in enumerate(hits, start=1):
        for predictor in cards[hit.id].predictors:
            weight[predictor] = weight.get(predictor, 0.0) + 1.0 / rank
    predictors = sorted(weight, key=lambda p: (-weight[p], p))[:LINKED_PREDICTORS]
    linked: list[LinkedEntity] = []

    def add(compact: str, relation: str) -> None:
        if compact in cards and all(e.id != compact for e in linked):
            card = cards[compact]
            linked.append(LinkedEntity(compact, card.type, card.title, relation))

    for predictor in predictors:
        add(predictor, "predictor")
        for pillar in cards[predictor].pillars:
            add(pillar, "pillar")
        strategies = sorted(
            cards[predictor].strategies,
            key=lambda s: (STRENGTH_RANK.get(cards[s].evidence_strength or "", 9), s),
        )
        for strategy in strategies[:LINKED_STRATEGIES]:
            add(strategy, "strategy")
    return linked
