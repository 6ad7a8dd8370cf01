"""Graph re-ranking on a small synthetic graph: what each cue of a question lifts."""

from __future__ import annotations

import pytest

from mobility_kg.search.facets import FacetIndex
from mobility_kg.search.labels import LabelIndex
from mobility_kg.search.lexical import LexicalIndex
from mobility_kg.search.ranking import RankingParams, core_neighbours, other_neighbours
from mobility_kg.search.records import EntityCard
from mobility_kg.search.rerank import ANCHOR_HITS, GraphView, anchor_links, rerank


def card(compact: str, about: list[str] | None = None, **extra: object) -> EntityCard:
    about = about or []
    predictors = [a for a in about if a.startswith("predictor/")]
    if compact.startswith("predictor/"):
        predictors = [compact]
    return EntityCard(
        compact, compact.partition("/")[0], extra.pop("title", compact), "", about,
        predictors=predictors, **extra,  # type: ignore[arg-type]
    )  # fmt: skip


CARDS = [
    card("predictor/policing", ["pillar/governance"]),
    card("predictor/crime", ["pillar/governance"]),
    card("predictor/housing", ["pillar/homes"]),
    card("pillar/governance"),
    card("pillar/homes"),
    card("evidence/policing", ["predictor/policing"]),
    card("strategy/community-policing", ["predictor/policing", "predictor/crime"]),
    card("strategy/deterrence", ["predictor/crime"]),
    card(
        "strategy/vouchers",
        ["predictor/housing"],
        title="Housing choice vouchers",
        labels=["HCV", "Section 8 vouchers"],
    ),
    card("plan/a", ["predictor/housing"]),
    card("plan/b", ["predictor/housing"]),
    card("plan/c", ["predictor/crime"]),
    card("metric/victims", ["predictor/crime"]),
    card("metric/arrests", ["predictor/crime"], facets={"subgroup-disability": ["disability"]}),
    *(card(f"guide/step-{n}", order=n) for n in range(1, 6)),
    *(card(f"term/filler-{n}") for n in range(30)),
]
# What the text finds besides the entities a test is about: a fused list is 30 deep or more.
FILLERS = [f"term/filler-{n}" for n in range(30)]


@pytest.fixture(scope="module")
def view() -> GraphView:
    cards = {c.id: c for c in CARDS}
    core = core_neighbours(cards)
    terms = LexicalIndex.build(["placeholder"]).terms
    return GraphView(
        cards,
        core,
        other_neighbours(cards, core),
        LabelIndex(cards, terms),
        FacetIndex(cards),
    )


def ranking(view: GraphView, question: str, fused: list[str], last: str = "") -> list[str]:
    """The re-ranked ids of ``fused`` then the fillers (then ``last``), scored as one RRF
    ranking."""
    order = [*fused, *FILLERS, *([last] if last else [])]
    scores = [(entity, 1 / (61 + rank)) for rank, entity in enumerate(order)]
    ranked = rerank(question, scores, view, RankingParams(), lambda _: True)
    return [entity for entity, _ in ranked]


def test_a_question_about_a_predictor_brings_in_its_evidence(view: GraphView) -> None:
    fused = ["predictor/policing", "pillar/homes", "plan/c", "evidence/policing"]
    found = ranking(view, "why does policing matter", fused)
    assert found.index("evidence/policing") < found.index("plan/c")


def test_what_to_do_lifts_the_strategies_of_what_the_hits_are_about(view: GraphView) -> None:
    fused = ["evidence/policing", "predictor/crime", "predictor/policing", "strategy/deterrence"]
    found = ranking(
        view, "how can a city reduce police violence", fused, "strategy/community-policing"
    )
    # The strategy addressing both predictors passes the one addressing one.
    assert found.index("strategy/community-policing") < found.index("strategy/deterrence")


def test_a_list_question_lifts_every_linked_entity_of_its_kind_below_the_first_hit(
    view: GraphView,
) -> None:
    fused = ["predictor/housing", "evidence/policing", "strategy/deterrence", "plan/a"]
    found = ranking(view, "which cohort plans put housing first?", fused)
    assert found[0] == "predictor/housing"
    assert set(found[1:3]) == {"plan/a", "plan/b"} and "plan/c" not in found[:4]


@pytest.mark.parametrize(
    ("question", "fused", "step"),
    [
        ("what should we do first when starting a plan?", ["guide/step-3"], "guide/step-1"),
        ("what comes after the readiness step?", ["guide/step-3", "pillar/homes"], "guide/step-4"),
        (
            "what happens between the readiness check and the look at local conditions?",
            ["guide/step-3", "guide/step-5", "pillar/homes"],
            "guide/step-4",
        ),
    ],
)
def test_position_questions_lift_the_step(
    view: GraphView, question: str, fused: list[str], step: str
) -> None:
    assert ranking(view, question, fused)[0] == step


def test_a_label_names_its_entity(view: GraphView) -> None:
    fused = ["pillar/homes", "plan/c", "strategy/vouchers"]
    assert ranking(view, "do Section 8 vouchers help?", fused)[0] == "strategy/vouchers"


def test_a_list_filtered_on_a_facet_lifts_what_passes_the_filter_not_the_topic(
    view: GraphView,
) -> None:
    fused = ["predictor/crime", "metric/victims", "strategy/deterrence"]
    question = "which metrics can be broken down by disability?"
    found = ranking(view, question, fused, "metric/arrests")
    assert found.index("metric/arrests") < found.index("metric/victims")
    # Without the filter's words, the topic's metrics are the list.
    found = ranking(view, "which metrics track crime?", fused, "metric/arrests")
    assert found.index("metric/victims") < found.index("metric/arrests")


def test_a_question_about_measuring_lifts_the_metrics_of_what_the_hits_are_about(
    view: GraphView,
) -> None:
    fused = ["predictor/crime", "evidence/policing", "strategy/deterrence"]
    found = ranking(view, "how is crime measured?", fused, "metric/victims")
    assert found.index("metric/victims") < found.index("strategy/deterrence")
    # without the cue, the metric stays below what the text found
    found = ranking(view, "why does crime matter?", fused, "metric/victims")
    assert found.index("metric/victims") > found.index("strategy/deterrence")


def test_anchor_links_count_core_neighbours_among_the_first_hits() -> None:
    links = core_neighbours({c.id: c for c in CARDS})
    fused = [
        ("evidence/policing", 0.9),
        ("strategy/community-policing", 0.8),
        *((filler, 0.5) for filler in FILLERS[: ANCHOR_HITS - 2]),
        ("predictor/policing", 0.4),  # past the anchors: its neighbours above it count
        ("predictor/housing", 0.3),
    ]
    counts = dict(zip([e for e, _ in fused], anchor_links(fused, links), strict=True))
    assert counts["predictor/policing"] == 2  # its evidence and its strategy lead the list
    assert counts["predictor/housing"] == 0
    assert counts["evidence/policing"] == 0  # its predictor is not among the anchors
    assert anchor_links([], links) == []
