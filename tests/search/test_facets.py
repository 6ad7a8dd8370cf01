"""Facet constraints read from list questions, on cards like the graph's."""

from __future__ import annotations

import pytest

from mobility_kg.search.facets import FacetIndex
from mobility_kg.search.records import EntityCard

ACS = "source:American Community Survey 5-year microdata (IPUMS)"
FBI = "source:FBI National Incident-Based Reporting System offense data"
NAMES = {
    "subgroup-disability": ["disability", "disabilities", "people with disabilities"],
    "subgroup-race-ethnicity": ["race ethnicity", "race", "ethnicity", "racial"],
    "subgroup-income": ["income", "household income"],
    "level-county": ["county"],
    "level-city": ["city"],
    "actor-housing-authorities": ["housing authorities", "public housing agency", "PHA"],
    "actor-residents": ["residents"],
    "actor-employers": ["employers", "businesses"],
    ACS: [ACS.removeprefix("source:")],
    FBI: [FBI.removeprefix("source:")],
}


def card(compact: str, *facets: str) -> EntityCard:
    return EntityCard(
        compact, compact.partition("/")[0], compact, "", [], facets={f: NAMES[f] for f in facets}
    )


CARDS = {
    c.id: c
    for c in (
        card("metric/employment", "subgroup-disability", "subgroup-race-ethnicity", ACS,
             "level-county", "level-city"),
        card("metric/births", "subgroup-race-ethnicity", "level-county"),
        card("metric/arrests", "subgroup-race-ethnicity", FBI, "level-county", "level-city"),
        card("metric/income", "subgroup-income", ACS, "level-county", "level-city"),
        card("strategy/vouchers", "actor-housing-authorities"),
        card("strategy/tenant-councils", "actor-residents"),
        card("strategy/apprenticeships", "actor-employers"),
    )
}  # fmt: skip


@pytest.fixture(scope="module")
def index() -> FacetIndex:
    return FacetIndex(CARDS)


def matching(index: FacetIndex, question: str, wanted: str) -> set[str]:
    facets = index.constraints(question, wanted)
    assert facets is not None, question
    return {c.id for c in CARDS.values() if facets.matches(c)}


@pytest.mark.parametrize(
    ("question", "wanted", "expected"),
    [
        (
            "Which of the metrics can be broken down for people with disabilities?",
            "metric",
            {"metric/employment"},
        ),
        ("which measures can be split by race?", "metric", {"metric/employment",
                                                             "metric/births", "metric/arrests"}),
        ("which of the mobility numbers are built from ACS data?", "metric",
         {"metric/employment", "metric/income"}),
        ("which metrics come from the American Community Survey?", "metric",
         {"metric/employment", "metric/income"}),
        ("which metrics use FBI Incident-Based Reporting System data?", "metric",
         {"metric/arrests"}),
        ("which measures come from the FBI's NIBRS?", "metric", {"metric/arrests"}),
        (
            "Which of the mobility measures are missing from city profiles and only published "
            "for counties?",
            "metric",
            {"metric/births"},
        ),
        ("which metrics are not available for cities?", "metric", {"metric/births"}),
        ("which strategies could our public housing agency take on?", "strategy",
         {"strategy/vouchers"}),
        ("which programs can a PHA run?", "strategy", {"strategy/vouchers"}),
        ("which strategies might housing authorities adopt?", "strategy",
         {"strategy/vouchers"}),
        ("which programs could a business run?", "strategy", {"strategy/apprenticeships"}),
    ],
)  # fmt: skip
def test_a_list_question_filters_on_the_facets_it_names(
    index: FacetIndex, question: str, wanted: str, expected: set[str]
) -> None:
    assert matching(index, question, wanted) == expected


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # A subgroup's name without a word of breaking down is the topic, not a filter.
        ("which metrics measure household income?", "metric"),
        # A facet of another kind of entity than the one listed.
        ("which strategies help people with disabilities find work?", "strategy"),
        ("which metrics could a housing authority move?", "metric"),
        # An actor's name as a topic, not as the one who acts.
        ("what programs help residents of public housing agency buildings?", "strategy"),
        (
            "our arrest rate is the highest of any housing authority. which strategies help?",
            "strategy",
        ),
        # No list asked for.
        ("can the employment rate be broken down by race?", None),
        # Nothing named: "us" is not a data source's name.
        ("which metrics should we use?", "metric"),
    ],
)
def test_words_that_are_not_a_constraint_filter_nothing(
    index: FacetIndex, question: str, wanted: str | None
) -> None:
    assert index.constraints(question, wanted) is None
