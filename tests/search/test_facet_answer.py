"""List questions filtered on facets, answered from the graph: every entity that passes the
filter, each with the sentence that says why."""

from __future__ import annotations

from mobility_kg.search.answer import Intent, answer_question
from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.facet_answer import facet_list
from mobility_kg.search.facets import FacetFilter
from mobility_kg.search.records import EntityCard


def _metric(compact: str, **facets: list[str]) -> EntityCard:
    return EntityCard(compact, "metric", compact.title(), "", [], facets=facets)


CARDS = {
    c.id: c
    for c in (
        _metric("metric/jobs", **{"subgroup-gender": ["gender"], "level-county": ["county"]}),
        _metric("metric/births", **{"level-county": ["county"]}),
        _metric("metric/wages", **{"level-county": ["county"], "level-city": ["city"]}),
    )
}


def test_every_passing_entity_in_the_order_of_the_hits_then_by_title() -> None:
    only_counties = FacetFilter(
        "metric", {"level-": frozenset({"level-county"})}, frozenset({"level-city"})
    )
    listed = facet_list(only_counties, CARDS, ["metric/wages", "metric/jobs"])
    assert [card.id for card, _ in listed] == ["metric/jobs", "metric/births"]
    assert listed[0][1] == (
        "Metric/Jobs is published at the county level and is not published at the city level."
    )
    by_gender = FacetFilter("metric", {"subgroup-": frozenset({"subgroup-gender"})}, frozenset())
    assert facet_list(by_gender, CARDS, []) == [
        (CARDS["metric/jobs"], "Metric/Jobs can be broken down by gender.")
    ]


def test_ask_lists_the_strategies_an_actor_can_take_on(engine: SearchEngine) -> None:
    answer = answer_question(engine, "Which strategies could our public housing agency take on?")
    assert answer.intent == Intent.LIST.value and not answer.abstained
    expected = {
        c.id
        for c in engine.catalog.cards.values()
        if c.type == "strategy" and "actor-housing-authorities" in c.facets
    }
    assert expected and {s.citation.id for s in answer.answer} == expected
    assert all("housing authorities" in s.text for s in answer.answer)


def test_ask_lists_the_metrics_with_a_breakdown(engine: SearchEngine) -> None:
    answer = answer_question(engine, "which metrics can be broken down by gender?")
    assert answer.intent == Intent.LIST.value
    assert [s.citation.id for s in answer.answer] == ["metric/employment-to-population-ratio"]
    assert answer.answer[0].text.endswith("can be broken down by gender.")
    # This metric's page has no data section: the citation is its lead.
    assert answer.answer[0].citation.section == "Summary"


def test_a_list_question_without_facets_is_answered_from_the_text(engine: SearchEngine) -> None:
    answer = answer_question(engine, "which strategies help families keep their homes?")
    assert answer.intent != Intent.LIST.value
