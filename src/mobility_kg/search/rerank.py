"""Re-ranking fused hits with the graph, where the question's wording asks for it.

- every question: an entity gains from its best core neighbour among the top hits
  (:func:`~mobility_kg.search.ranking.propagate`), and from being named in the question;
- "what should we do first / next / between the readiness check and ...": the planning
  guide's step at that position;
- "which cohort plans ... / which metrics ...": every entity of that kind linked to what the
  top hits are about, found by the text or not; when the question filters on a facet ("which
  metrics can be broken down by disability"), every entity that passes the filter instead;
- "how can a city reduce ...": the strategies that address what the top hits are about;
  "how is that measured?": the metrics that measure it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from mobility_kg.search.facets import FacetIndex
from mobility_kg.search.labels import LabelIndex
from mobility_kg.search.query import QueryIntent, understand
from mobility_kg.search.ranking import RankingParams, propagate
from mobility_kg.search.records import EntityCard

# A question's subject: what the best few hits are most about.
ANCHOR_HITS = 5


@dataclass(frozen=True, slots=True)
class GraphView:
    """What re-ranking reads of the graph: the cards, core links and labels."""

    cards: Mapping[str, EntityCard]
    neighbours: Mapping[str, frozenset[str]]  # by core links
    others: Mapping[str, frozenset[str]]  # by the other ``about`` links
    labels: LabelIndex
    facets: FacetIndex

    def steps(self) -> dict[int, str]:
        return {c.order: c.id for c in self.cards.values() if c.type == "guide" and c.order}


def about_weights(
    fused: Sequence[tuple[str, float]], cards: Mapping[str, EntityCard], key: str
) -> dict[str, float]:
    """How much the top hits are about each predictor (``key`` "predictors") or pillar
    ("pillars"): the sum of 1/rank over the hits linked to it."""
    weight: dict[str, float] = {}
    for rank, (entity, _) in enumerate(fused[:ANCHOR_HITS], start=1):
        for target in getattr(cards[entity], key):
            weight[target] = weight.get(target, 0.0) + 1.0 / rank
    return weight


def anchor_links(
    fused: Sequence[tuple[str, float]], neighbours: Mapping[str, frozenset[str]]
) -> list[int]:
    """For each fused entity, how many of its core neighbours are among the first
    :data:`ANCHOR_HITS`: a predictor whose evidence, metric and strategies lead the list is
    likelier what the question is about than one that stands there alone."""
    anchors = {entity for entity, _ in fused[:ANCHOR_HITS]}
    return [len(neighbours.get(entity, frozenset()) & anchors) for entity, _ in fused]


def _keep_first(
    scores: dict[str, float], fused: Sequence[tuple[str, float]], lifted: set[str]
) -> None:
    """The text's best hit stays first when a lift by kind did not choose it: it is what the
    question is about."""
    first = fused[0][0] if fused else None
    if first is not None and first not in lifted:
        rest = [v for e, v in scores.items() if e != first]
        if rest and max(rest) >= scores[first]:
            scores[first] = max(rest) + 1e-9


def list_members(
    query: str,
    wanted_type: str,
    fused: Sequence[tuple[str, float]],
    view: GraphView,
    params: RankingParams,
) -> set[str]:
    """The entities the graph gives as the answer to a list question for ``wanted_type``: a
    list filtered on what the data or the library records ("which metrics can be broken down
    by disability") is every entity that passes the filter, whatever the hits; a list of
    predictors is a pillar's, or the predictors the top hits are about (a plan's priorities);
    a list of anything else is a predictor's."""
    cards = view.cards
    facets = view.facets.constraints(query, wanted_type)
    if facets is not None:
        passing = {c.id for c in cards.values() if facets.matches(c)}
        if passing:
            return passing
    members: set[str] = set()
    for key in ("pillars", "predictors") if wanted_type == "predictor" else ("predictors",):
        about = about_weights(fused, cards, key)
        if not about:
            continue
        top = max(about.values())
        anchors = {a for a, w in about.items() if w >= params.anchor_share * top}
        for card in cards.values():
            if card.type == wanted_type and anchors.intersection(getattr(card, key)):
                members.add(card.id)
    return members


def _wanted_step(
    intent: QueryIntent, fused: Sequence[tuple[str, float]], view: GraphView
) -> int | None:
    steps = view.steps()
    if not steps:
        return None
    if intent.position is not None:
        return max(steps) if intent.position == -1 else intent.position
    described = [
        view.cards[e].order for e, _ in fused[:ANCHOR_HITS] if view.cards[e].type == "guide"
    ]
    if intent.offset and described and described[0]:
        return described[0] + intent.offset  # the best-ranked step is the one it describes
    if intent.between:
        # "between the readiness check and the first look at local conditions": the two
        # steps it describes are among the top hits, one apart.
        orders = sorted({o for o in described if o})
        for low in orders:
            if low + 2 in orders:
                return low + 1
    return None


def rerank(
    query: str,
    fused: Sequence[tuple[str, float]],
    view: GraphView,
    params: RankingParams,
    usable: Callable[[str], bool],
) -> list[tuple[str, float]]:
    """The fused (entity, score) list re-scored and re-sorted; ``usable`` says whether an
    entity not found by the text may enter (it has chunks that pass the filters)."""
    return rerank_with_lifts(query, fused, view, params, usable)[0]


def rerank_with_lifts(
    query: str,
    fused: Sequence[tuple[str, float]],
    view: GraphView,
    params: RankingParams,
    usable: Callable[[str], bool],
) -> tuple[list[tuple[str, float]], dict[str, float]]:
    """:func:`rerank`'s list, and what the question's wording gave each entity, in first
    places of one ranking: its name, the step, list, action or measure it asks for (the
    learned last step weighs it with the other signals)."""
    cards = view.cards
    # What a first place in one ranking is worth (on average over the two rankings).
    vote = (params.dense_weight + params.lexical_weight) / 2 / (params.rrf_k + 1)
    found = {entity for entity, _ in fused}
    scores = dict(fused)
    # A hit passes on how far it stands above the last fused entity, not its raw score: RRF
    # scores are all close together, the more so the fewer entities there are.
    floor = fused[-1][1] if fused else 0.0
    above = [(entity, score - floor) for entity, score in fused]
    before = dict(above)
    for links, share, hits in (
        (view.neighbours, params.graph_weight, params.graph_hits),
        (view.others, params.about_weight, params.about_hits),
    ):
        for entity, score in propagate(above, links, share, hits).items():
            gain = score - before.get(entity, 0.0)
            if gain and (entity in found or usable(entity)):
                scores[entity] = scores.get(entity, 0.0) + gain

    lifts: dict[str, float] = {}

    def lift(entity: str, amount: float) -> None:
        if entity in found or usable(entity):
            scores[entity] = scores.get(entity, 0.0) + amount
            lifts[entity] = lifts.get(entity, 0.0) + amount / vote

    if params.label_weight:
        for entity in view.labels.named(query):
            lift(entity, params.label_weight * vote)
    intent = understand(query)
    step = _wanted_step(intent, fused, view)
    if step is not None and step in view.steps():
        lift(view.steps()[step], 2 * vote)
    predictors = about_weights(fused, cards, "predictors")
    if intent.wanted_type is not None:
        lifted = list_members(query, intent.wanted_type, fused, view, params)
        for entity in lifted:
            lift(entity, params.list_weight * vote)
        _keep_first(scores, fused, lifted)
    # "how can a city reduce police violence" asks for the strategies that address what the
    # top hits are about; "how is that measured?" for the metrics that measure it. Each gains
    # by how much the hits are about its predictors (one linked to two of them gains more).
    for asked, kind, weight in (
        (intent.action, "strategy", params.action_weight),
        (intent.measure, "metric", params.measure_weight),
    ):
        if asked and predictors and weight:
            top = max(predictors.values())
            for card in cards.values():
                gain = sum(predictors.get(p, 0.0) for p in card.predictors) / top
                if card.type == kind and gain:
                    lift(card.id, weight * gain * vote)
    order = {entity: i for i, (entity, _) in enumerate(fused)}
    # Ties: the fused order, then (for entities the graph brought in) the id, so that the
    # ranking never depends on the iteration order of a set.
    ranking = sorted(
        scores.items(), key=lambda item: (-item[1], order.get(item[0], 1 << 30), item[0])
    )
    return ranking, lifts
