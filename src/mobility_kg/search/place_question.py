"""Questions about a place's data (issue 10): "How is Ramsey County doing on housing?", "Which
Ohio counties have the most injury deaths?", "Is Philadelphia's employment rate above the
national median?".

A question is one when it names places (search/places.py; a city's name written in lower
case only when the rest of the question asks about the data) and asks about their data: a
metric the framework measures (search/metric_intent.py) that the question is about rather than
merely mentions ("How did Ramsey County link old housing discrimination to racial gaps?" is
not about the housing data), or how a place is doing overall. Such a question lists its
places first among the search hits, and ``ask`` answers it from the data
(search/place_answer.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from mobility_kg.data.sources import REPOSITORY
from mobility_kg.search.metric_intent import MetricIntent, MetricVocabulary
from mobility_kg.search.places import Gazetteer, PlaceQuery, tokens_of
from mobility_kg.search.subgroup_intent import SubgroupAsked, subgroup_asked

if TYPE_CHECKING:
    from mobility_kg.search.engine import Filters, Hit, SearchEngine

_STANDING = re.compile(
    r"\bhow (?:is|are|'s)\b.*\b(?:doing|faring|performing)\b|\bwhere does\b.*\bstand\b|"
    r"\bhow does\b.*\b(?:do|fare|stand|rank|perform|compare)\b|\bweak(?:est|nesses)?\b|"
    r"\bstrong(?:est|ths)?\b",
    re.IGNORECASE,
)
_MEDIAN = re.compile(r"\b(?:median|average|typical)\b", re.IGNORECASE)
_BELOW = re.compile(r"\b(?:below|under|lower|less|fewer|worse|behind|beneath)\b", re.IGNORECASE)
_STATE_MEDIAN = re.compile(r"\bstate(?:'s|wide)?\s+(?:median|average)\b", re.IGNORECASE)
_ORDER = (
    ("worst", re.compile(r"\b(?:worst|weakest)\b", re.IGNORECASE)),
    ("best", re.compile(r"\b(?:best|strongest)\b", re.IGNORECASE)),
    ("lowest", re.compile(r"\b(?:lowest|least|fewest|smallest|bottom)\b", re.IGNORECASE)),
    ("highest", re.compile(r"\b(?:most|highest|largest|greatest|biggest|top)\b", re.IGNORECASE)),
)
_RANK_CUE = re.compile(r"^\s*(?:which|what|where|list|name|rank|show)\b", re.IGNORECASE)


class Kind(StrEnum):
    PROFILE = "profile"  # the values of named places
    MEDIAN = "median"  # a named place's value against the national (or state) median
    RANKING = "ranking"  # the places of a state (or the nation) ordered by a variable


@dataclass(frozen=True, slots=True)
class PlaceQuestion:
    kind: Kind
    places: PlaceQuery
    metric: MetricIntent
    order: str = "worst"  # ranking: worst, best, highest or lowest first
    below: bool = False  # median: the question asks whether the value is below
    state_median: bool = False  # median: against the state's median, not the nation's
    subgroup: SubgroupAsked | None = None  # the group of people asked about, if any


class PlaceReader:
    """The gazetteer and the metric vocabulary of a build, loaded on first use."""

    def __init__(self, load: Callable[[], tuple[Gazetteer, MetricVocabulary]]) -> None:
        self._load = load
        self._loaded: tuple[Gazetteer, MetricVocabulary] | None = None

    @classmethod
    def from_artifact(
        cls, text: Callable[[], str], documented: frozenset[str], corpus_text: Callable[[], str]
    ) -> PlaceReader:
        """From the build's ``places`` artifact (data/gazetteer.py). ``corpus_text`` gives the
        corpus's text, whose lower-case words a one-word city name must not be."""

        def load() -> tuple[Gazetteer, MetricVocabulary]:
            content = json.loads(text())
            words = frozenset(re.findall(r"(?<![A-Za-z])[a-z]{3,}\b", corpus_text()))
            gazetteer = Gazetteer.from_rows(
                content["places"], documented, words.__contains__, content.get("ordinary")
            )
            return gazetteer, MetricVocabulary.from_json(content["concepts"])

        return cls(load)

    @classmethod
    def from_titles(cls, titles: dict[str, str], documented: frozenset[str]) -> PlaceReader:
        """A build without the metric data: its place documents, and no metrics."""
        return cls(lambda: (Gazetteer.from_titles(titles, documented), MetricVocabulary([])))

    @property
    def gazetteer(self) -> Gazetteer:
        return self._loaded_parts()[0]

    @property
    def vocabulary(self) -> MetricVocabulary:
        return self._loaded_parts()[1]

    def _loaded_parts(self) -> tuple[Gazetteer, MetricVocabulary]:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def read(self, question: str) -> PlaceQuestion | None:
        """What ``question`` asks about places' data, or None when it asks nothing of it."""
        if not self.vocabulary.concepts:
            return None  # a build without the metric data asks nothing of it
        places = self.gazetteer.find(question, lower_case=True)
        if not places:
            return None
        rest = _without(question, places)
        metric = self.vocabulary.match(rest)
        group = subgroup_asked(rest)
        if places.mentions:
            if any(m.lower_case for m in places.mentions) and not (
                metric.asked or (not metric and _STANDING.search(question))
            ):
                return None  # a lower-case name only in a question about the data
            if metric and _MEDIAN.search(question):
                return PlaceQuestion(
                    Kind.MEDIAN,
                    places,
                    metric,
                    below=bool(_BELOW.search(question)),
                    state_median=bool(_STATE_MEDIAN.search(question)),
                    subgroup=group,
                )
            if metric.asked or (not metric and _STANDING.search(question)):
                return PlaceQuestion(Kind.PROFILE, places, metric, subgroup=group)
            return None
        order = next((name for name, cue in _ORDER if cue.search(question)), None)
        if metric.asked and (order or _RANK_CUE.search(question)):
            return PlaceQuestion(Kind.RANKING, places, metric, order or "worst", subgroup=group)
        return None


def _may_name_a_place(question: str) -> bool:
    """A cheap first look: a capital after the first letter, or a word for a place."""
    return any(c.isupper() for c in question[1:]) or bool(
        re.search(r"\b(?:county|counties|city|cities|parish|borough)\b", question, re.I)
    )


def _without(question: str, places: PlaceQuery) -> str:
    """The question with its place words left out (so "Union County" does not ask about
    unions, nor "Summit County" about summits)."""
    words = tokens_of(question)
    kept = [w.text for i, w in enumerate(words) if all(not a <= i < b for a, b in places.spans)]
    return " ".join(kept)


def place_hits(
    engine: SearchEngine, question: str, hits: list[Hit], k: int, filters: Filters
) -> list[Hit]:
    """``hits`` with the places the question names: first (each once) for a question about
    their data; otherwise in the last places of the list, when the ranking did not find them
    itself (so a question naming a place lists it without moving what ranked above); cut to
    ``k``."""
    from mobility_kg.search.engine import Filters

    if filters not in (Filters(), Filters(filters.entity_type)) or (
        filters.entity_type is not None and filters.entity_type.value != "place"
    ):
        return hits
    asked = engine.place_reader.read(question)
    if asked is None or not asked.places.mentions:
        return _named_places_last(engine, question, hits, k)
    top = hits[0].score if hits else 1.0
    found = [
        hit
        for compact in asked.places.places
        if (hit := _place_hit(engine, compact, hits, top)) is not None
    ]
    named = {h.id for h in found}
    return [*found, *(h for h in hits if h.id not in named)][:k]


def _named_places_last(engine: SearchEngine, question: str, hits: list[Hit], k: int) -> list[Hit]:
    if not _may_name_a_place(question):
        return hits
    mentioned = engine.place_reader.gazetteer.find(question)
    listed = {h.id for h in hits[:k]}
    missing = [p for p in dict.fromkeys(mentioned.places) if p not in listed][:k]
    if not missing:
        return hits
    kept = [h for h in hits if h.id not in missing][: k - len(missing)]
    score = kept[-1].score if kept else 1.0
    added = [h for p in missing if (h := _place_hit(engine, p, [], score)) is not None]
    return [*kept, *added]


def _place_hit(engine: SearchEngine, compact: str, hits: list[Hit], score: float) -> Hit | None:
    """The hit of a place: the ranking's own when it has one, else its document's first
    passage, else a line from the data; None for an unknown id."""
    from mobility_kg.search.engine import Hit, snippet_of

    known = next((h for h in hits if h.id == compact), None)
    if known is not None:
        return known
    rows = engine.rows_of(compact)
    if rows:
        card, chunk = engine.catalog[compact], engine.chunks[rows[0]]
        return Hit(
            compact,
            "place",
            card.title,
            score,
            snippet_of(chunk.body),
            chunk.section,
            card.source_url,
            list(card.about),
        )
    place = engine.place_reader.gazetteer.places.get(compact)
    if place is None:
        return None
    level = "county" if place.level == "county" else "city of 75,000+ people"
    snippet = f"{place.title}: a {level} with Mobility Metrics values (FIPS {place.fips})."
    return Hit(compact, "place", place.title, score, snippet, "", REPOSITORY)
