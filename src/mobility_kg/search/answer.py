"""Extractive answers: the sentences of the top hits that best answer a question, each with
its citation, plus the entities a reader would walk to next. No generative model: every
sentence of an answer is a sentence of the corpus, or a fact of the graph stated in a fixed
form (a list filtered on facets, search/facet_answer.py; places' data, search/place_answer.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from mobility_kg.search.engine import Hit, SearchEngine, SearchMode, SearchResponse
from mobility_kg.search.evidence_question import read_evidence_question, strategies_for
from mobility_kg.search.facet_answer import facet_list
from mobility_kg.search.records import EntityCard, Sentence

if TYPE_CHECKING:
    from mobility_kg.data.query import MetricData
    from mobility_kg.graph.traverse import EntityGraph
    from mobility_kg.search.place_answer import DataValue

# Opens the build's metric data (and its graph) when a question asks about places' data.
MetricSource = Callable[[], "tuple[MetricData, EntityGraph]"]

TOP_HITS = 5
CHUNKS_PER_HIT = 2
MMR_LAMBDA = 0.7
# Two sentences this close say the same thing: an answer keeps the first.
SAME_MEANING = 0.9
# Below this cosine between the question and the best sentence, nothing in the corpus
# answers: calibrated on off-topic questions against the evaluation questions (see
# docs/search-quality.md, "Answers"; `mobility-kg eval tests/eval/answers.jsonl` reports
# both sides).
ABSTAIN_BELOW = 0.42
NO_ANSWER = "Nothing in the corpus answers this question."
INTENT_BONUS = 0.06
# The section of a metric's page that gives its data sources, levels and breakdowns.
DATA_SECTION = "Data and coverage"


class Intent(StrEnum):
    """What kind of sentence a question asks for."""

    ACTION = "action"
    FIGURE = "figure"
    DEFINITION = "definition"
    EVIDENCE = "evidence"  # which strategies have (strong) evidence: search/evidence_question.py
    LIST = "list"  # which metrics can be broken down by disability: search/facet_answer.py
    OTHER = "other"


_INTENTS = (
    (
        Intent.FIGURE,
        re.compile(
            r"\b(how (much|many|big|large|often|long)|what (share|percent|percentage|proportion|"
            r"fraction|number|rate|ratio)|which year|what year|when did)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Intent.ACTION,
        re.compile(
            r"\b(what (can|should|could)|how (can|could|should|do|might)|ways? to|steps? to|"
            r"strateg(y|ies)|programs?|policies|interventions?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Intent.DEFINITION,
        re.compile(r"^\s*(what (is|are|does)\b|define\b|meaning of\b)", re.IGNORECASE),
    ),
)
_ACTION_SECTION = re.compile(r"can do|strateg|what works|option|action|lever", re.IGNORECASE)
_ACTION_WORDS = re.compile(
    r"\b(can|should|could|fund|funds|adopt|expand|offer|offers|provide|provides|invest|"
    r"support|create|build|pair|set up|use)\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"\d")
# A sentence that gives a strategy's rating ("What Works for Health rates it...").
_RATING = re.compile(r"\b(rates|rated|rating)\b", re.IGNORECASE)


def intent_of(question: str) -> Intent:
    """The kind of answer a question asks for, from its wording."""
    for intent, pattern in _INTENTS:
        if pattern.search(question):
            return intent
    return Intent.OTHER


def _fits(intent: Intent, sentence: Sentence, entity_type: str, section: str) -> bool:
    if intent is Intent.ACTION:
        return entity_type == "strategy" or bool(
            _ACTION_SECTION.search(section) and _ACTION_WORDS.search(sentence.text)
        )
    if intent is Intent.FIGURE:
        return bool(_FIGURE.search(sentence.quote))
    if intent is Intent.DEFINITION:
        return section == "Summary" and entity_type in {"term", "predictor", "metric", "pillar"}
    return False


@dataclass(frozen=True, slots=True)
class Citation:
    id: str
    title: str
    section: str
    source_url: str


@dataclass(frozen=True, slots=True)
class AnswerSentence:
    """``text`` reads on its own; ``quote`` is the corpus sentence it rests on."""

    text: str
    score: float
    citation: Citation
    quote: str = ""


@dataclass(frozen=True, slots=True)
class LinkedEntity:
    id: str
    type: str
    title: str
    relation: str


@dataclass(frozen=True, slots=True)
class Answer:
    """``answer`` is empty, and ``abstained`` true with ``message`` saying so, when nothing in
    the corpus answers the question. A question about places' data is answered from the data
    (issue 10): ``data`` holds the values its sentences state, ``places`` the places it names,
    ``data_question`` what it asks (``profile``, ``median`` or ``ranking``)."""

    question: str
    answer: list[AnswerSentence]
    hits: list[Hit]
    linked: list[LinkedEntity] = field(default_factory=list)
    intent: str = Intent.OTHER.value
    abstained: bool = False
    message: str = ""
    data: list[DataValue] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    data_question: str = ""


def answer_question(
    engine: SearchEngine,
    question: str,
    sentences: int = 3,
    *,
    metric_data: MetricSource | None = None,
) -> Answer:
    """Answer ``question`` from the corpus: one query embedding, the rest is arithmetic over
    the sentence vectors computed at build.

    Sentences that fit what the question asks for (actions, figures, a definition) gain a
    little; a sentence that says what a chosen one says is skipped; when even the best
    sentence is far from the question, the answer is empty and says so.

    ``metric_data`` opens the metric data; a question about places' data is then answered
    from it (search/place_answer.py), and it is opened only for such a question.

    Raises:
        InvalidParameter: empty or over-long question.
    """
    response = engine.search(question, k=TOP_HITS, mode=SearchMode.HYBRID)
    # ---- issue 10: questions about places' data are answered from the data
    if metric_data is not None and (asked := engine.place_reader.read(response.query)):
        from mobility_kg.search.place_answer import answer_from_data

        from_data = answer_from_data(response, asked, *metric_data())
        if from_data is not None:
            return from_data
    # ----
    # A list filtered on facets is answered by the graph, whatever the sentences' wording.
    if (facets := engine.list_filter(response.query)) is not None:
        ids = [hit.id for hit in response.results]
        listed = [
            AnswerSentence(text, 1.0, _fact_citation(engine, card), text)
            for card, text in facet_list(facets, engine.catalog.cards, ids)
        ]
        if listed:
            return _answered(engine, response, listed, Intent.LIST)
    query_vector = engine.embed_query(response.query)[0]
    intent = intent_of(response.query)
    candidates, indexes = candidate_sentences(engine, response.results, query_vector)
    vectors = engine.sentence_vectors[indexes]
    relevance = vectors @ query_vector
    if not candidates or float(relevance.max()) < ABSTAIN_BELOW:
        return Answer(
            response.query,
            [],
            response.results,
            linked_entities(engine, response.results) if candidates else [],
            intent.value,
            abstained=True,
            message=NO_ANSWER,
        )
    ask = read_evidence_question(response.query)
    if ask is not None:
        ids = [hit.id for hit in response.results]
        focus = strategies_for(ask, ids, engine.catalog.cards)
        rated = _evidence_sentences(engine, query_vector, focus, sentences) if focus else []
        if rated:  # else (strategies without text) the question is answered as any other
            return _answered(engine, response, rated, Intent.EVIDENCE)
    bonus = np.array(
        [INTENT_BONUS * _fits(intent, s, h.type, section) for s, h, section in candidates],
        dtype=np.float32,
    )
    chosen = [
        AnswerSentence(
            candidates[i][0].text,
            round(float(relevance[i]), 4),
            Citation(
                candidates[i][1].id,
                candidates[i][1].title,
                candidates[i][2],
                candidates[i][1].source_url,
            ),
            candidates[i][0].quote,
        )
        for i in _pick(vectors, relevance + bonus, sentences)
    ]
    return _answered(engine, response, chosen, intent)


def _answered(
    engine: SearchEngine, response: SearchResponse, sentences: list[AnswerSentence], intent: Intent
) -> Answer:
    """An answer of ``sentences`` to the response's query, with its hits and where to go next."""
    return Answer(
        response.query,
        sentences,
        response.results,
        linked_entities(engine, response.results),
        intent.value,
    )


def candidate_sentences(
    engine: SearchEngine, hits: list[Hit], query_vector: NDArray[np.float32]
) -> tuple[list[tuple[Sentence, Hit, str]], list[int]]:
    """The sentences an answer is chosen from: those of each hit's chunks closest to the
    question, as (sentence, hit, section), and their rows in ``engine.sentences``. The best
    one's cosine to the question decides abstention (``ABSTAIN_BELOW``)."""
    candidates: list[tuple[Sentence, Hit, str]] = []
    indexes: list[int] = []
    for hit in hits:
        rows = engine.rows_of(hit.id)
        ranked = sorted(rows, key=lambda r: -float(engine.vectors[r] @ query_vector))
        for row in ranked[:CHUNKS_PER_HIT]:
            section = engine.chunks[row].section
            start, end = engine.sentence_span(row)
            candidates += [(engine.sentences[i], hit, section) for i in range(start, end)]
            indexes.extend(range(start, end))
    return candidates, indexes


def _fact_citation(engine: SearchEngine, card: EntityCard) -> Citation:
    """Where an entity's page states its facets: a metric's data section, else its lead."""
    sections = [engine.chunks[row].section for row in engine.rows_of(card.id)]
    section = DATA_SECTION if DATA_SECTION in sections else (sections or [""])[0]
    return Citation(card.id, card.title, section, card.source_url)


def _evidence_sentences(
    engine: SearchEngine, query_vector: NDArray[np.float32], strategies: list[str], count: int
) -> list[AnswerSentence]:
    """For each strategy in turn (strongest evidence first), the sentence of its Evidence
    section that gives its rating (the closest to the question of those, or of all when none
    does), opening with the strategy's name; never two of the same meaning."""
    chosen: list[AnswerSentence] = []
    kept: list[NDArray[np.float32]] = []
    for strategy in strategies:
        card = engine.catalog[strategy]
        rows = engine.rows_of(strategy)
        evidence = [r for r in rows if engine.chunks[r].section.lower() == "evidence"] or rows
        spans = [(r, i) for r in evidence for i in range(*engine.sentence_span(r))]
        if not spans:
            continue
        relevance = [float(engine.sentence_vectors[i] @ query_vector) for _, i in spans]
        rated = [bool(_RATING.search(engine.sentences[i].quote)) for _, i in spans]
        best = max(range(len(spans)), key=lambda k: (rated[k], relevance[k]))
        row, index = spans[best]
        vector = engine.sentence_vectors[index]
        if any(float(vector @ other) >= SAME_MEANING for other in kept):
            continue
        sentence = engine.sentences[index]
        text = sentence.text
        if card.title.lower() not in text.lower():
            text = f"{card.title}: {text}"
        section = engine.chunks[row].section
        citation = Citation(strategy, card.title, section, card.source_url)
        chosen.append(AnswerSentence(text, round(relevance[best], 4), citation, sentence.quote))
        kept.append(vector)
        if len(chosen) == count:
            break
    return chosen


def _pick(vectors: NDArray[np.float32], scores: NDArray[np.float32], count: int) -> list[int]:
    """Maximal marginal relevance, never two sentences of the same meaning."""
    picked: list[int] = []
    available = np.ones(len(scores), dtype=bool)
    while len(picked) < count and available.any():
        redundancy = (vectors @ vectors[picked].T).max(axis=1) if picked else np.zeros(len(scores))
        mmr = MMR_LAMBDA * scores - (1 - MMR_LAMBDA) * redundancy
        mmr[~available] = -np.inf
        best = int(np.argmax(mmr))
        picked.append(best)
        available &= (vectors @ vectors[best]) < SAME_MEANING
        available[best] = False
    return picked


STRENGTH_RANK = {"strong": 0, "moderate": 1, "emerging": 2, "mixed": 3, "insufficient": 4}
LINKED_PREDICTORS = 2
LINKED_STRATEGIES = 3


def linked_entities(engine: SearchEngine, hits: list[Hit]) -> list[LinkedEntity]:
    """Where to go next: the predictors the top hits are most about (weighted by rank), each
    with its pillar and its best-evidenced strategies."""
    cards = engine.catalog.cards
    weight: dict[str, float] = {}
    for rank, hit in enumerate(hits, start=1):
        card = cards.get(hit.id)  # a place known only from the data has no card
        for predictor in card.predictors if card else []:
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
