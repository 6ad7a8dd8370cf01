"""Questions for the strategies with evidence behind them: the graph picks the strategies,
the corpus gives each one's evidence."""

from __future__ import annotations

import pytest

from mobility_kg.search.answer import Intent, answer_question
from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.evidence_question import (
    EvidenceAsk,
    read_evidence_question,
    strategies_for,
)
from mobility_kg.search.records import EntityCard


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("which strategies have strong evidence for reducing crime?", EvidenceAsk("strong")),
        ("what programs are proven to help kids get ready for school?", EvidenceAsk("strong")),
        ("what are the best-evidenced policies for housing?", EvidenceAsk("strong")),
        ("which interventions have moderate evidence for jobs?", EvidenceAsk("moderate")),
        ("Which programs for pregnant women have evidence behind them?", EvidenceAsk()),
        # not a list of strategies with their evidence
        ("how are programs rated on evidence?", None),
        ("What rating does What Works for Health give the EITC?", None),
        ("which strategies could our housing agency take on?", None),
        ("what evidence links housing to mobility?", None),
    ],
)
def test_which_questions_ask_for_strategies_by_evidence(
    question: str, asked: EvidenceAsk | None
) -> None:
    assert read_evidence_question(question) == asked


def _card(compact: str, predictors: list[str], strength: str | None = None) -> EntityCard:
    kind = compact.split("/")[0]
    return EntityCard(
        compact, kind, compact.split("/")[1], "https://example.org", [], [], predictors, [],
        evidence_strength=strength,
    )  # fmt: skip


CARDS = {
    c.id: c
    for c in (
        _card("predictor/housing-stability", []),
        _card("predictor/jobs", []),
        _card("evidence/housing-stability", ["predictor/housing-stability"]),
        _card("strategy/vouchers", ["predictor/housing-stability"], "moderate"),
        _card("strategy/land-trusts", ["predictor/housing-stability"], "strong"),
        _card("strategy/counsel", ["predictor/housing-stability"]),
        _card("strategy/both", ["predictor/housing-stability", "predictor/jobs"], "moderate"),
        _card("strategy/training", ["predictor/jobs"], "strong"),
    )
}


def test_the_strategies_of_what_the_hits_are_about_strongest_first() -> None:
    hits = ["evidence/housing-stability", "strategy/vouchers", "predictor/housing-stability"]
    # every strength: strong, then moderate (the hits' order), then unrated; never the
    # strategies of another predictor
    assert strategies_for(EvidenceAsk(), hits, CARDS) == [
        "strategy/land-trusts",
        "strategy/vouchers",
        "strategy/both",
        "strategy/counsel",
    ]
    assert strategies_for(EvidenceAsk("moderate"), hits, CARDS) == [
        "strategy/vouchers",
        "strategy/both",
    ]
    # none rated as asked: all of them, strongest first (their evidence says how strong)
    assert strategies_for(EvidenceAsk("emerging"), hits, CARDS)[0] == "strategy/land-trusts"
    assert strategies_for(EvidenceAsk(), ["place/27123"], CARDS) == []  # about no predictor


def test_ask_answers_with_the_evidence_of_the_strongest_strategies(engine: SearchEngine) -> None:
    answer = answer_question(engine, "which strategies have strong evidence for housing stability?")
    assert answer.intent == Intent.EVIDENCE.value and not answer.abstained
    assert answer.answer[0].citation.id == "strategy/housing-choice-vouchers"  # rated strong
    assert all(s.citation.id.startswith("strategy/") for s in answer.answer)
    assert answer.answer[0].text.startswith("Housing choice vouchers")  # names its strategy


def test_an_off_topic_evidence_question_still_gets_no_answer(engine: SearchEngine) -> None:
    answer = answer_question(engine, "which programs have strong evidence for colonising Mars?")
    assert answer.abstained and answer.answer == []
