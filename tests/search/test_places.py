"""Recognising places in a question (issue 10), with the shipped dataset's every county and
city: the place-shaped mentions are found, ordinary words are not."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from mobility_kg.data.gazetteer import ordinary_words
from mobility_kg.search.places import Gazetteer

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = {"place/27123", "place/42101", "place/39153", "place/06065", "place/06001"}
# Words the corpus uses in lower case (the engine reads them from the corpus's text).
COMMON = {"mobile", "independence", "surprise", "union", "opportunity"}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    with (ROOT / "corpus" / "data" / "places.csv").open(newline="", encoding="utf-8") as stream:
        rows = [
            [r["fips"], r["name"], r["state"], r["level"], r["counties"]]
            for r in csv.DictReader(stream)
        ]
    ordinary = ordinary_words(r[1] for r in rows if r[3] == "city")
    return Gazetteer.from_rows(rows, DOCUMENTED, COMMON.__contains__, ordinary)


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("How is Ramsey County doing on housing?", ["place/27123"]),
        ("Is Philadelphia's employment rate above the national median?", ["place/4260000"]),
        ("How is Philadelphia County doing?", ["place/42101"]),
        ("how is ramsey county doing on housing", ["place/27123"]),  # written in lower case
        ("What about Ramsey County, MN?", ["place/27123"]),
        # three Cook Counties: the one that holds the data's cities (Chicago...) is meant
        ("How does Cook County do on crime?", ["place/17031"]),
        ("Is Cook County, Minnesota above the median?", ["place/27031"]),
        ("Springfield, IL employment", ["place/1772000"]),
        ("Springfield, Illinois employment", ["place/1772000"]),
        ("Is Saint Paul doing better than St. Paul?", ["place/2758000", "place/2758000"]),
        ("Crime in Washington, DC", ["place/1150000"]),
        ("Is New York City above the median?", ["place/3651000"]),
        ("Compare Nashville and Louisville on jobs", ["place/4752006", "place/2148006"]),
        ("How is Orleans Parish doing?", ["place/22071"]),
        ("In Mobile, AL, how is housing?", ["place/0150000"]),  # a common word with its state
    ],
)
def test_place_shaped_mentions_are_found(
    gazetteer: Gazetteer, question: str, places: list[str]
) -> None:
    assert gazetteer.find(question).places == places


@pytest.mark.parametrize(
    "question",
    [
        "What does the Lincoln Institute say about land value taxes?",
        "Did Abraham Lincoln sign the Homestead Act?",
        "How do union members fare on wages?",
        "Which Union pension funds invest locally?",
        "What did the Opportunity Insights team find about moving?",
        "Is the Washington Post right about evictions?",
        "How do I cook a cheap meal?",
        "Cook a plan for the county: what comes first?",
        "What can a county do first when starting a plan?",
        "Which cohort counties prioritised affordable housing?",
        "Mobile home parks and eviction: what works?",
        "Independence for young adults leaving foster care",
        "Washington passed a new housing law",  # the state as much as the city
        "How is New York doing?",  # the state or the city
        "What share of people in cities use transit?",
    ],
)
def test_ordinary_words_are_not_places(gazetteer: Gazetteer, question: str) -> None:
    found = gazetteer.find(question)
    assert not found, found


@pytest.mark.parametrize(
    ("question", "state", "level"),
    [
        ("Which Ohio counties have the most injury deaths?", "OH", "county"),
        ("Which counties in Ohio have the most injury deaths?", "OH", "county"),
        ("which Ohio county has the most injury deaths?", "OH", "county"),
        ("Ohio's counties with the lowest turnout", "OH", "county"),
        ("Cities in the state of Texas with the worst crime", "TX", "city"),
        ("Which WA counties have the lowest turnout?", "WA", "county"),
        ("Which Washington counties have the lowest turnout?", "WA", "county"),
    ],
)
def test_a_state_with_a_kind_of_place_is_a_scope(
    gazetteer: Gazetteer, question: str, state: str, level: str
) -> None:
    found = gazetteer.find(question)
    assert (found.state, found.level, found.places) == (state, level, [])


def test_a_county_named_after_a_state_needs_its_capital() -> None:
    rows = [
        ["18115", "Ohio County", "IN", "county", ""],
        ["39035", "Cuyahoga County", "OH", "county", ""],
    ]
    gazetteer = Gazetteer.from_rows(rows)
    assert gazetteer.find("How is Ohio County doing?").places == ["place/18115"]
    assert gazetteer.find("an Ohio county that went beyond money").state == "OH"


@pytest.mark.parametrize(
    ("question", "places", "lower_case"),
    [
        ("how is philadelphia doing on housing", ["place/4260000"], True),
        ("is philadelphia's employment rate above the national median", ["place/4260000"], True),
        ("What is the violent crime rate in tucson?", ["place/0477000"], True),
        ("how does houston do on transit use", ["place/4835000"], True),
        ("how does chicago do on violent crime", ["place/1714000"], True),
        # a name with "city" after it was read before, in a question all in lower case
        ("how is new york city doing", ["place/3651000"], False),
    ],
)
def test_a_city_name_in_lower_case_is_read_when_it_is_no_ordinary_word(
    gazetteer: Gazetteer, question: str, places: list[str], lower_case: bool
) -> None:
    found = gazetteer.find(question, lower_case=True)
    assert found.places == places
    assert [m.lower_case for m in found.mentions] == [lower_case]


@pytest.mark.parametrize(
    "question",
    [
        "how is mobile doing on housing",  # a word of the corpus
        "how is independence doing on jobs",
        "how is lincoln doing on housing",  # Webster's has Lincoln: the president too
        "how is austin doing on jobs",  # and Austin, a name
        "how is long beach doing",  # a phrase of ordinary words
        "what is the high point of employment",
        "how is new york doing",  # the state or the city
        "how is washington doing",
        "how are st. louis and st. paul doing on housing",  # "st", "louis", "paul": all listed
    ],
)
def test_an_ordinary_word_in_lower_case_is_not_a_city(gazetteer: Gazetteer, question: str) -> None:
    assert not gazetteer.find(question, lower_case=True), question


def test_lower_case_names_are_read_only_when_asked_and_with_the_word_lists() -> None:
    rows = [["4260000", "Philadelphia city", "PA", "city", "42101"]]
    question = "how is philadelphia doing on housing"
    assert not Gazetteer.from_rows(rows, (), ordinary=[]).find(question)  # not asked
    assert not Gazetteer.from_rows(rows).find(question, lower_case=True)  # no word lists
    found = Gazetteer.from_rows(rows, (), ordinary=[]).find(question, lower_case=True)
    assert found.places == ["place/4260000"]
    corpus_word = Gazetteer.from_rows(rows, (), lambda w: w == "philadelphia", [])
    assert not corpus_word.find(question, lower_case=True)


def test_the_evaluation_questions_name_only_the_places_they_name(gazetteer: Gazetteer) -> None:
    """Of the 181 retrieval and 82 answer questions, exactly these name a place, whether or not
    lower-case city names are read."""
    named: dict[str, list[str]] = {}
    for name in ("questions.jsonl", "answers.jsonl"):
        for line in (ROOT / "tests" / "eval" / name).read_text(encoding="utf-8").splitlines():
            question = json.loads(line)["question"]
            assert gazetteer.find(question) == gazetteer.find(question, lower_case=True)
            if found := gazetteer.find(question):
                named[question] = [m.text for m in found.mentions] or [
                    f"{found.state or 'national'} scope"
                ]
    assert sorted(m for mentions in named.values() for m in mentions) == sorted(
        [
            "Summit County, Ohio", "Riverside", "Alameda", "Charlotte", "Fresno",
            "Washington DC", "Boone County, Missouri", "Ramsey County", "St. Lucie County",
            "Summit County", "Riverside County", "FL scope", "OH scope", "Alameda County",
            "Philadelphia", "Riverside County", "St. Lucie County", "national scope", "Cook County",
            "Fresno", "CA scope", "Summit County", "Boone County", "Boone County",
            "Washington DC", "Ramsey County", "Riverside County", "Summit County, Ohio", "Akron",
        ]
    )  # fmt: skip
    for question, mentions in named.items():
        assert all(m.endswith("scope") or m in question for m in mentions)
