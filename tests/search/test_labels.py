"""Entities named in a question by their title or another label."""

from __future__ import annotations

import pytest

from mobility_kg.search.labels import LabelIndex
from mobility_kg.search.lexical import LexicalIndex
from mobility_kg.search.records import EntityCard


@pytest.fixture(scope="module")
def labels() -> LabelIndex:
    def card(compact: str, title: str, labels: list[str]) -> EntityCard:
        return EntityCard(compact, compact.partition("/")[0], title, "", [], labels=labels)

    cards = [
        card(
            "strategy/eitc", "Earned income tax credit", ["EITC", "State earned income tax credit"]
        ),
        card("strategy/lead", "Pre-arrest diversion", ["LEAD", "Deflection"]),
        card("strategy/csa", "Children's savings accounts", ["CSAs"]),
        card("term/census-place", "Census place", ["City"]),
    ]
    terms = LexicalIndex.build(["placeholder text"]).terms
    return LabelIndex({c.id: c for c in cards}, terms)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("does a bigger EITC help working families?", {"strategy/eitc"}),
        ("do earned income tax credits raise earnings?", {"strategy/eitc"}),
        ("LEAD-style deflection for drug arrests", {"strategy/lead"}),
        ("how do we remove lead paint from old homes?", set()),  # not the acronym
        ("CSA for kindergartners", {"strategy/csa"}),
        ("which city has the most jobs?", set()),  # one-word labels name nothing
        ("what counts as a census place?", {"term/census-place"}),
    ],
)
def test_labels_found_in_questions(labels: LabelIndex, question: str, named: set[str]) -> None:
    assert labels.named(question) == named


@pytest.mark.parametrize(
    ("question", "expanded"),
    [
        ("does a bigger EITC help?", "does a bigger EITC help? Earned income tax credit"),
        # the title's words are in the question already: nothing to add
        ("is the earned income tax credit worth it?", "is the earned income tax credit worth it?"),
        ("is a census place a city?", "is a census place a city?"),
        ("what about housing?", "what about housing?"),
    ],
)
def test_a_question_is_expanded_with_the_titles_it_names_by_another_label(
    labels: LabelIndex, question: str, expanded: str
) -> None:
    assert labels.expand(question) == expanded
