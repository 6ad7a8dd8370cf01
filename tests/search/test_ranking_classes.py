"""The ranking slips of issue 11, fixed as classes, on the shipped corpus: questions that ask
what to do about a condition, for a position in the planning guide, or for every entity of a
kind; and entities named by an abbreviation."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobility_kg.config import Settings
from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.evaluate import evaluate, read_questions

pytestmark = pytest.mark.slow
QUESTIONS = Path(__file__).resolve().parents[1] / "eval" / "questions.jsonl"
# Hybrid nDCG@10 of each half when the ranking was tuned (docs/search-quality.md: dev 0.821,
# test 0.829), less 0.01: a change that loses more is a regression.
FLOOR = {"dev": 0.811, "test": 0.819}


@pytest.fixture(scope="module")
def engine(shipped_settings: Settings) -> SearchEngine:
    return SearchEngine.open(shipped_settings.data_dir)


def top(engine: SearchEngine, question: str, k: int = 10) -> list[str]:
    return [hit.id for hit in engine.search(question, k).results]


def test_what_to_do_questions_lead_with_the_strategies_that_address_it(
    engine: SearchEngine,
) -> None:
    assert "strategy/community-policing" in top(engine, "how can a city reduce police violence", 5)


def test_list_questions_find_every_entity_of_the_kind_the_graph_links(
    engine: SearchEngine,
) -> None:
    cards = engine.catalog.cards.values()
    plans = {
        c.id
        for c in cards
        if c.type == "plan" and "predictor/housing-affordability" in c.predictors
    }
    assert len(plans) >= 5
    found = top(engine, "which cohort counties prioritised affordable housing")
    assert plans <= set(found)


@pytest.mark.parametrize(
    ("question", "passes"),
    [
        ("which metrics can be broken down by disability?", {"subgroup-disability"}),
        ("which of the measures are only published for counties?", {"level-county"}),
        ("which strategies could our transit agency take on?", {"actor-transit-agencies"}),
    ],
)
def test_list_questions_on_facets_find_every_entity_that_has_them(
    engine: SearchEngine, question: str, passes: set[str]
) -> None:
    wanted = "strategy" if "strategies" in question else "metric"
    cards = [c for c in engine.catalog.cards.values() if c.type == wanted]
    expected = {c.id for c in cards if passes <= c.facets.keys()}
    if "only" in question:
        expected = {e for e in expected if "level-city" not in engine.catalog[e].facets}
    assert 0 < len(expected) <= 8
    assert expected <= set(top(engine, question, len(expected) + 2))


@pytest.mark.parametrize(
    ("question", "step", "within"),
    [
        ("what should a county do first when starting a plan", 1, 1),
        ("what is the last step of the planning guide", 10, 1),
        ("what happens between the readiness check and the first look at local conditions?", 4, 3),
    ],
)
def test_position_questions_lift_that_step(
    engine: SearchEngine, question: str, step: int, within: int
) -> None:
    wanted = next(c.id for c in engine.catalog.cards.values() if c.order == step)
    assert wanted in top(engine, question, within)


def test_an_abbreviation_names_its_entity(engine: SearchEngine) -> None:
    assert top(engine, "does a bigger EITC help working families?", 1) == [
        "strategy/earned-income-tax-credit"
    ]


def test_hybrid_figures_hold_on_both_halves(engine: SearchEngine) -> None:
    questions = read_questions(QUESTIONS)
    for split, ndcg in FLOOR.items():
        half = [q for q in questions if q.split == split]
        report = evaluate("hybrid", half, lambda q: top(engine, q))
        assert report.ndcg_at_10 >= ndcg, (split, report)
