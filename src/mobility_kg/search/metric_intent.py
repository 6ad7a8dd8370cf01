"""Which metric a question about a place asks for (issue 10), read from the framework's own
words: the SKOS preferred and alternative labels of pillars, predictors and metrics, and
each variable's label ("housing" -> the housing predictors, "injury deaths" -> the injury
death rate, "employment rate" -> the employment predictor's employment-to-population ratio).

A concept matches by the question's words it holds (stemmed); the concepts that explain the
most words, and of those the ones whose label the question covers best, win; among equals the
broadest (a predictor before one of its metrics) is kept. ``explained`` is the share of the
question's own words (not its place, cue or filler words) that the winners hold: a question
that merely mentions housing among other things is not a question about the housing data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

LEVELS = ("pillar", "predictor", "metric", "variable")  # broadest first
_WORD = re.compile(r"[a-z0-9]+")
# Words that name no topic, in labels and questions alike: grammar, units and measures.
GENERIC = frozenset(
    """a an and as at by for from in into its of on or the their to with per share shares rate
    rates ratio ratios number numbers percent percentage index level levels 000 100 10""".split()
)
# Words of a question that name no topic: how data questions are asked, places, filler.
FILLER = GENERIC | frozenset(
    """about above across against after all also am among any are average be been being
    below best between both but can could data did do does doing done each fare fares faring
    have having he her high higher highest his how i if is it lowest least low lower last
    latest like many me median more most much my national nationally nation nationwide not
    our out over percentile performing perform performs place places rank ranked ranking
    ranks recent score so stand stands state states than that them there these they this
    those today top under us value values versus vs was we were what when where which who
    whose why will worse worst year years you your fewest greatest largest smallest better
    good bad poor compare compared comparison county counties city cities country america
    american americans people residents resident currently current now show tell give figure
    figures metric metrics measure measures measured indicator indicators stat stats
    statistics look looks has had""".split()
)


@dataclass(frozen=True, slots=True)
class Concept:
    id: str  # "predictor/housing-stability", "variable/share_employed"
    level: str
    labels: tuple[str, ...]
    variables: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MetricIntent:
    """The concepts a question asks about, their variables (in the order of the concepts),
    and the share of the question's topic words they explain (0 to 1)."""

    concepts: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    explained: float = 0.0
    covered: float = 0.0  # the share of the winners' best label that the question holds

    def __bool__(self) -> bool:
        return bool(self.concepts)

    @property
    def asked(self) -> bool:
        """Whether the question is about this metric rather than merely mentioning it: more
        than half its words are the metric's, or half with a label it holds entirely ("how
        many people live..." only brushes the living wage)."""
        return self.explained > 0.5 or (self.explained == 0.5 and self.covered == 1.0)


def _stemmer() -> Any:  # Any: PyStemmer ships no types
    import Stemmer

    return Stemmer.Stemmer("english")


class MetricVocabulary:
    """The framework's concepts that have data, by the stems of their labels."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._stem = _stemmer()
        self.concepts = {c.id: c for c in concepts}
        self._labels: dict[str, list[frozenset[str]]] = {
            c.id: [s for s in (self.stems(label) for label in c.labels) if s]
            for c in self.concepts.values()
        }

    @classmethod
    def from_json(cls, rows: list[dict[str, Any]]) -> MetricVocabulary:
        """From the ``concepts`` of the build's ``places`` artifact."""
        return cls(
            Concept(r["id"], r["level"], tuple(r["labels"]), tuple(r["variables"])) for r in rows
        )

    def stems(self, text: str, *, question: bool = False) -> frozenset[str]:
        """The topic words of ``text``, stemmed (a question's filler words left out)."""
        skip = FILLER if question else GENERIC
        words = [w for w in _WORD.findall(text.lower()) if w not in skip]
        return frozenset(self._stem.stemWords(words))

    def match(self, text: str) -> MetricIntent:
        """The concepts ``text`` asks about (give it the question without its place names)."""
        asked = self.stems(text, question=True)
        if not asked:
            return MetricIntent()
        scored: dict[str, tuple[int, float]] = {}
        for compact, labels in self._labels.items():
            best = max(
                ((len(s & asked), len(s & asked) / len(s)) for s in labels if s & asked),
                default=None,
            )
            if best is not None:
                scored[compact] = (best[0], round(best[1], 3))
        if not scored:
            return MetricIntent()
        top = max(scored.values())
        winners = [c for c, score in scored.items() if score == top]
        broadest = min(LEVELS.index(self.concepts[c].level) for c in winners)
        chosen = sorted(c for c in winners if LEVELS.index(self.concepts[c].level) == broadest)
        held = {s for c in chosen for label in self._labels[c] for s in label}
        variables: list[str] = []
        for compact in chosen:
            variables += [v for v in self.concepts[compact].variables if v not in variables]
        return MetricIntent(tuple(chosen), tuple(variables), len(asked & held) / len(asked), top[1])
