"""Questions about places answered from the data (issue 10), on the fixture build: the values
an answer states are the data's (read back through MetricData, never written here), each
cites its data set and upstream file, and search lists the named place first."""

from __future__ import annotations

import csv
import json
import re
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mobility_kg.api.app import create_app
from mobility_kg.cli import app as cli_app
from mobility_kg.config import Settings
from mobility_kg.data.gazetteer import ordinary_words
from mobility_kg.data.query import MetricData, Value
from mobility_kg.data.sources import VARIABLES, Level
from mobility_kg.data.stage import open_metric_data
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.search.answer import Answer, answer_question
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.place_answer import DataValue, format_value
from mobility_kg.search.place_question import Kind, PlaceReader
from mobility_kg.search.places import Gazetteer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def opened(data_settings: Settings) -> tuple[MetricData, EntityGraph]:
    return open_metric_data(data_settings.data_dir)


@pytest.fixture(scope="module")
def engine(data_settings: Settings, embedder: MiniLMEmbedder) -> Iterator[SearchEngine]:
    engine = SearchEngine.open(data_settings.data_dir, embedder)
    yield engine
    engine.close()


def ask(engine: SearchEngine, opened: tuple[MetricData, EntityGraph], question: str) -> Answer:
    return answer_question(engine, question, metric_data=lambda: opened)


def latest(data: MetricData, fips: str, variable: str) -> Value:
    years = data.observations(fips)[variable]
    return years[max(years)]


def assert_states(answer: Answer, value: DataValue) -> None:
    """The value is in a sentence of the answer that cites its data set."""
    sentence = next(s for s in answer.answer if s.citation.id == value.dataset)
    assert value.place_name in sentence.text
    assert format_value(value.value, value.unit) in sentence.text
    assert str(value.year) in sentence.text


def test_how_a_county_is_doing_on_housing(
    engine: SearchEngine, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    answer = ask(engine, opened, "How is Ramsey County doing on housing?")
    assert (answer.data_question, answer.places) == ("profile", ["place/27123"])
    # the housing predictors' variables that the data has for Ramsey County
    housing = {
        name
        for name, where in data.framework.items()
        if where.predictor in ("predictor/housing-affordability", "predictor/housing-stability")
    }
    observed = data.observations("27123")
    assert {v.variable for v in answer.data} == housing & set(observed) != set()
    for value in answer.data:
        truth = latest(data, "27123", value.variable)
        assert (value.year, value.value, value.lower_bound, value.upper_bound) == (
            truth.year, truth.value, truth.lower_bound, truth.upper_bound,
        )  # fmt: skip
        assert (value.quality, value.national_percentile, value.state_percentile) == (
            truth.quality, truth.national_percentile, truth.state_percentile,
        )  # fmt: skip
        assert value.weak == (truth.quality == "Weak")
        assert value.dataset == f"data/dataset/{value.variable}/county"
        assert value.source_url.startswith(
            "https://github.com/UI-Research/mobility-from-poverty/blob/"
        )
        assert "county" in value.source_url.rpartition("/")[2]
        assert_states(answer, value)
    for sentence in answer.answer:
        assert sentence.citation.id.startswith("data/dataset/")
        if "quality Weak" in sentence.text:
            assert "too uncertain to rely on" in sentence.text
    linked = {(e.relation, e.id) for e in answer.linked}
    assert {
        ("predictor", "predictor/housing-affordability"),
        ("evidence", "evidence/housing-affordability"),
        ("metric", "metric/affordable-housing-ratio"),
    } <= linked
    strategies = [e.id for e in answer.linked if e.relation == "strategy"]
    assert strategies and all(s.startswith("strategy/") for s in strategies)


def test_above_the_national_median(
    engine: SearchEngine, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    answer = ask(engine, opened, "Is violent crime in Philadelphia above the national median?")
    assert (answer.data_question, answer.places) == ("median", ["place/4260000"])
    [value] = answer.data
    truth = latest(data, "4260000", "rate_crime_violent")
    _, rows = data.values("rate_crime_violent", Level.CITY, truth.year)
    median = statistics.median(v.value for _, v in rows)
    assert (value.variable, value.value, value.median) == (
        "rate_crime_violent", truth.value, median,
    )  # fmt: skip
    [sentence] = answer.answer
    verdict = "Yes" if truth.value > median else "No"
    assert sentence.text.startswith(f"{verdict}: violent crimes per 100,000 (lower is better) in ")
    assert "Philadelphia city, PA was" in sentence.text
    unit = VARIABLES["rate_crime_violent"].unit
    assert format_value(median, unit) in sentence.text
    assert format_value(truth.value, unit) in sentence.text


def test_a_place_without_the_values_asked_gets_the_corpus_answer(
    engine: SearchEngine, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    assert "share_employed" not in data.observations("4260000")  # the fixture has no city file
    answer = ask(engine, opened, "Is Philadelphia's employment rate above the national median?")
    assert (answer.data, answer.data_question) == ([], "")
    assert answer.hits[0].id == "place/4260000"
    assert all(not s.citation.id.startswith("data/") for s in answer.answer)


def test_a_ranking_within_a_state(
    engine: SearchEngine, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    answer = ask(engine, opened, "Which Minnesota counties have the most injury deaths?")
    assert answer.data_question == "ranking"
    year, rows = data.values("rate_injury_death", Level.COUNTY)
    in_state = sorted(((f, v) for f, v in rows if f.startswith("27")), key=lambda r: -r[1].value)
    assert [(v.place, v.value, v.rank) for v in answer.data] == [
        (f"place/{f}", v.value, i) for i, (f, v) in enumerate(in_state, start=1)
    ]
    label = VARIABLES["rate_injury_death"].label.lower()
    assert f"Minnesota counties with the highest {label}" in (answer.answer[0].text)
    assert str(year) in answer.answer[0].text


def test_search_lists_the_named_place_first(engine: SearchEngine) -> None:
    hits = engine.search("How is Ramsey County doing on housing?", k=5).results
    assert hits[0].id == "place/27123"
    # a place known only from the data gets a hit of its own
    hits = engine.search("Is Philadelphia's employment rate above the national median?").results
    assert (hits[0].id, hits[0].type) == ("place/4260000", "place")
    assert "Mobility Metrics" in hits[0].snippet


def test_a_question_that_names_a_place_lists_it_below_what_ranked_first(
    engine: SearchEngine,
) -> None:
    question = "What has Autauga County done about evictions?"
    hits = engine.search(question, k=5).results
    assert [h.id for h in hits][-1] == "place/01001"  # known only from the data
    longer = engine.search(question, k=10).results
    assert [h.id for h in longer][-1] == "place/01001"
    assert [h.id for h in hits[:4]] == [h.id for h in longer[:4]]  # the ranking, unmoved
    # named and already ranked: listed once, where the ranking put it
    hits = engine.search("What has Ramsey County done about evictions?", k=10).results
    assert [h.id for h in hits].count("place/27123") == 1


def test_questions_about_the_corpus_are_not_read_as_place_questions(
    engine: SearchEngine,
) -> None:
    """None of the retrieval or answer evaluation questions asks about places' data, read
    with every county and city of the shipped dataset, lower-case city names included (29 of
    them name a place)."""
    with (ROOT / "corpus" / "data" / "places.csv").open(newline="", encoding="utf-8") as stream:
        rows = [
            [r["fips"], r["name"], r["state"], r["level"], r["counties"]]
            for r in csv.DictReader(stream)
        ]
    # As the engine reads them: the corpus's lower-case words, and the words of city names
    # Webster's lists, so that lower-case city names are read too.
    corpus_words = frozenset(
        re.findall(r"(?<![A-Za-z])[a-z]{3,}\b", "\n".join(c.body for c in engine.chunks))
    )
    ordinary = ordinary_words(r[1] for r in rows if r[3] == "city")
    gazetteer = Gazetteer.from_rows(
        rows, engine.place_reader.gazetteer.documented, corpus_words.__contains__, ordinary
    )
    reader = PlaceReader(lambda: (gazetteer, engine.place_reader.vocabulary))
    # The build wrote the ordinary words of its own cities (St. Paul's "paul" is a name).
    assert "paul" in (engine.place_reader.gazetteer.ordinary or ())
    assert "philadelphia" not in ordinary
    assert reader.read("How is Cook County doing on housing?") is not None
    asked = reader.read("how is philadelphia doing on housing")
    assert asked is not None and asked.places.places == ["place/4260000"]
    # a lower-case name only in a question about the data, and never an ordinary word
    assert reader.read("what did philadelphia do about evictions") is None
    assert reader.read("how is lincoln doing on housing") is None
    assert reader.read("how is mobile doing on housing") is None
    for name in ("questions.jsonl", "answers.jsonl"):
        for line in (ROOT / "tests" / "eval" / name).read_text(encoding="utf-8").splitlines():
            question = json.loads(line)["question"]
            assert reader.read(question) is None, question


@pytest.mark.parametrize(
    ("question", "kind", "variables"),
    [
        ("How is Ramsey County doing on injury deaths?", Kind.PROFILE, ["rate_injury_death"]),
        ("Is Philadelphia's employment rate above the national median?", Kind.MEDIAN,
         ["share_employed"]),
        ("Which Ohio counties have the most injury deaths?", Kind.RANKING, ["rate_injury_death"]),
        ("How does Ramsey County do on violent crime?", Kind.PROFILE, ["rate_crime_violent"]),
        ("What is the voter turnout in Ramsey County?", Kind.PROFILE, ["share_election_turnout"]),
    ],
)  # fmt: skip
def test_metric_intents_come_from_the_framework_labels(
    engine: SearchEngine, question: str, kind: Kind, variables: list[str]
) -> None:
    asked = engine.place_reader.read(question)
    assert asked is not None
    assert (asked.kind, list(asked.metric.variables)) == (kind, variables)


def test_housing_means_the_housing_predictors(engine: SearchEngine) -> None:
    asked = engine.place_reader.read("How is Ramsey County doing on housing?")
    assert asked is not None
    assert asked.metric.concepts == (
        "predictor/housing-affordability",
        "predictor/housing-stability",
    )


def test_api_ask_carries_the_data(data_settings: Settings, embedder: MiniLMEmbedder) -> None:
    with TestClient(create_app(data_settings, embedder)) as client:
        body = client.get("/api/ask", params={"q": "How is Ramsey County doing on housing?"})
        assert body.status_code == 200
        answer = body.json()
        assert answer["data_question"] == "profile"
        assert answer["places"] == ["place/27123"]
        assert {d["dataset"] for d in answer["data"]} >= {
            "data/dataset/share_affordable_30_ami/county"
        }
        schema = client.get("/openapi.json").json()["components"]["schemas"]
        assert set(answer["data"][0]) == set(schema["DataValueOut"]["properties"])


def test_the_web_page_shows_the_values_as_a_table_with_pictures(
    data_settings: Settings, embedder: MiniLMEmbedder, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    value = latest(data, "27123", "share_affordable_30_ami")
    with TestClient(create_app(data_settings, embedder)) as client:
        page = client.get(
            "/", params={"q": "How is Ramsey County doing on housing?"},
            headers={"accept": "text/html"},
        )  # fmt: skip
    assert page.status_code == 200
    table = page.text[page.text.index('<table class="data-answer">') :]
    table = table[: table.index("</table>")]
    row = next(r for r in table.split("<tr") if "variable=share_affordable_30_ami" in r)
    assert '<a href="/id/place/27123">Ramsey County, MN</a>' in row
    assert f"<td>{value.year}</td>" in row
    assert f"<td>{format_value(value.value, 'ratio')}" in row
    assert value.national_percentile is not None
    assert f"national percentile {value.national_percentile:.0f} (median 50)" in row
    # a data sentence cites the upstream file, not a corpus section
    assert "mobility-from-poverty/blob/" in page.text[: page.text.index("data-answer")]


def test_cli_prints_the_values(data_settings: Settings) -> None:
    result = CliRunner().invoke(
        cli_app,
        ["ask", "How is Ramsey County doing on housing?", "--data-dir",
         str(data_settings.data_dir)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "\ndata:\n" in result.output
    assert "place/27123  Ramsey County, MN  share_affordable_30_ami" in result.output


def test_a_group_the_data_break_down_gets_its_own_values(
    engine: SearchEngine, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    female = data.observations("2758000", data.subgroup("gender/female"))["pctl_income_50"]
    truth = female[max(female)]
    everyone = latest(data, "2758000", "pctl_income_50")
    assert truth.value != everyone.value
    answer = ask(engine, opened, "What is the income of women in St. Paul?")
    assert answer.data_question == "profile"
    value = next(v for v in answer.data if v.variable == "pctl_income_50")
    assert (value.subgroup, value.value, value.year) == ("gender/female", truth.value, truth.year)
    sentence = next(s.text for s in answer.answer if "50th percentile" in s.text)
    assert sentence.startswith("St. Paul city, MN (Female): Income, 50th percentile")
    assert "percentile 50" not in sentence.replace("50th percentile", "")  # no percentiles


def test_a_group_the_data_do_not_break_down_is_said_so(
    engine: SearchEngine, opened: tuple[MetricData, EntityGraph]
) -> None:
    data, _ = opened
    answer = ask(engine, opened, "What is the income of renters in St. Paul?")
    value = next(v for v in answer.data if v.variable == "pctl_income_50")
    everyone = latest(data, "2758000", "pctl_income_50")
    assert (value.subgroup, value.value) == ("all", everyone.value)
    sentence = next(s.text for s in answer.answer if "50th percentile" in s.text)
    assert sentence.startswith(
        "The data have no values of income, 50th percentile in St. Paul city, MN for renters; "
        "for all residents: St. Paul city, MN: Income, 50th percentile"
    )
    ranking = ask(engine, opened, "Which Minnesota counties have the most injury deaths for women?")
    assert ranking.answer[0].text.startswith(
        "The data have no county values of deaths from injury per 100,000 for women; for all "
        "residents: Minnesota counties with the highest"
    )
    assert all(v.subgroup == "all" for v in ranking.data)


def test_group_words_and_words_that_name_no_group() -> None:
    from mobility_kg.search.subgroup_intent import subgroup_asked

    assert subgroup_asked("How are Black residents doing on employment?") is not None
    assert subgroup_asked("How are white-collar jobs doing?") is None
    assert subgroup_asked("What do homeowners pay?").keys == ("tenure/owner",)  # type: ignore[union-attr]
    assert subgroup_asked("jobs for women") == subgroup_asked("female workers")
