"""Facets a list question filters on: "which metrics can be broken down for people with
disabilities", "which of the mobility numbers are built from ACS data", "which measures are
only published for counties", "which strategies could our public housing agency take on".

The graph records these as facet values of entities (a metric's subgroup breakdowns,
geographic levels and data sources; a strategy's actors), each with the names a reader may
use: the concept's labels and alternative labels, or a data source's own words (its proper
names, such as "American Community Survey", and their initials, "ACS"). Names are compared
word for word in lower case, plurals as singulars; never stemmed, which would read
"employment" as "employers".

A value is read only where the question's wording makes it a constraint: a subgroup with a
word of breaking down ("broken down", "disaggregated", "by race"), an actor as the one who
would act ("could our housing agency take on", "what can schools do"), and each only when the
question lists the kind of entity that has it. "not", "missing from" or
"without" shortly before a value excludes it; "only" before it excludes the other values of
its family ("only published for counties": county, not city).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from mobility_kg.search.records import EntityCard

# Families of facet values, by the prefix of their key, and the kind of entity each applies to.
_FAMILIES: dict[str, str] = {
    "subgroup-": "metric",
    "level-": "metric",
    "source:": "metric",
    "actor-": "strategy",
}
_BREAKDOWN = re.compile(
    r"\b(?:broken down|break(?:s|ing)?(?: \w+)? down|breakdowns?|disaggregat\w*|subgroups?"
    r"|split (?:by|for|into)|separately for|by (?:race|ethnicity|gender|sex|age|disability"
    r"|income|tenure|industry))\b",
    re.IGNORECASE,
)
_NEGATION = frozenset(
    "not no without missing lacking lacks lack absent unavailable except excluding".split()
)
_ONLY = frozenset({"only", "solely", "just"})
_CUE_REACH = 4  # words before a value that a negation or "only" reaches
# An actor is read as the one who would act, the subject of a modal or the asker's own ("could
# our public housing agency take on", "what can schools do", "strategies a transit agency
# could run"), not as a topic ("getting children ready for school", "highest in the state").
_MODALS = frozenset({"can", "could", "should", "might", "would", "will", "may", "must"})
_AGENT_BEFORE = _MODALS | {"our", "my", "your", "their"}
_WORD = re.compile(r"[\w'+-]+")
# A data source's proper names: runs of capitalised words ("Bureau of Labor Statistics").
_PROPER_RUN = re.compile(r"[A-Z][\w+-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w+-]*)+")
_ACRONYM = re.compile(r"\b[A-Z][A-Z+]{2,}\b")
_NOT_SOURCE_NAMES = frozenset({"US", "USA"})


def _singular(word: str) -> str:
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [_singular(w) for w in _WORD.findall(text)]


def family_of(key: str) -> str:
    return next((prefix for prefix in _FAMILIES if key.startswith(prefix)), "")


def _source_names(text: str) -> tuple[list[str], list[str]]:
    """A data source's proper names of two or more words and its acronyms: written ones such
    as "FBI", and the initials of its names and of the names inside them ("American Community
    Survey" -> "ACS", "FBI National Incident-Based Reporting System" -> "NIBRS")."""
    names, acronyms = [], set(_ACRONYM.findall(text))
    for run in _PROPER_RUN.findall(text):
        names.append(run)
        capitals = [w[0] for w in re.split(r"[\s-]+", run) if w[:1].isupper()]
        for start in range(len(capitals)):
            for end in range(start + 3, len(capitals) + 1):
                acronyms.add("".join(capitals[start:end]))
    return names, sorted(acronyms - _NOT_SOURCE_NAMES)


@dataclass(frozen=True, slots=True)
class FacetFilter:
    """A list question's facet constraints: for each family it names, the values an entity must
    have one of (``required``), and values it must not have (``excluded``)."""

    wanted_type: str
    required: Mapping[str, frozenset[str]]
    excluded: frozenset[str]

    def matches(self, card: EntityCard) -> bool:
        if card.type != self.wanted_type or not self.excluded.isdisjoint(card.facets):
            return False
        return all(not values.isdisjoint(card.facets) for values in self.required.values())


class FacetIndex:
    """Facet-value names (words, plurals as singulars) -> their keys; acronyms as written."""

    def __init__(self, cards: Mapping[str, EntityCard]) -> None:
        self._grams: dict[tuple[str, ...], set[str]] = {}
        self._acronyms: dict[str, set[str]] = {}
        self.longest = 1
        for card in cards.values():
            for key, names in card.facets.items():
                if key.startswith("source:"):
                    phrases, acronyms = _source_names(" ".join(names))
                else:
                    phrases, acronyms = names, []
                for acronym in acronyms:
                    self._acronyms.setdefault(acronym, set()).add(key)
                for phrase in phrases:
                    gram = tuple(_words(phrase))
                    if gram:
                        self._grams.setdefault(gram, set()).add(key)
                        self.longest = max(self.longest, len(gram))
        self._keys = {k for card in cards.values() for k in card.facets}

    def _named(self, question: str) -> list[tuple[int, int, set[str]]]:
        """(first word, last word, keys) of every name in the question, by word position."""
        written = _WORD.findall(question)
        words = [_singular(w) for w in written]
        # An acronym as written, plural or possessive ("CSAs", "the FBI's").
        bare = [re.sub(r"(?:'s|s)$", "", w) for w in written]
        found = [
            (i, i, set(self._acronyms[w]))
            for i, w in enumerate(bare)
            if w in self._acronyms and w.isupper()
        ]
        for size in range(1, min(self.longest, len(words)) + 1):
            for start in range(len(words) - size + 1):
                gram = tuple(words[start : start + size])
                if gram in self._grams:
                    found.append((start, start + size - 1, self._grams[gram]))
        return found

    def constraints(self, question: str, wanted_type: str | None) -> FacetFilter | None:
        """The facet filter a list question of ``wanted_type`` states, or None."""
        if wanted_type is None:
            return None
        words = [w.lower() for w in _WORD.findall(question)]
        breakdown = bool(_BREAKDOWN.search(question))
        required: dict[str, set[str]] = {}
        excluded: set[str] = set()
        only: set[str] = set()
        for first, last, keys in self._named(question):
            agent = bool(
                _AGENT_BEFORE.intersection(words[max(0, first - 3) : first])
                or _MODALS.intersection(words[last + 1 : last + 3])
            )
            keys = {
                k
                for k in keys
                if _FAMILIES.get(family_of(k)) == wanted_type
                and (breakdown or family_of(k) != "subgroup-")
                and (agent or family_of(k) != "actor-")
            }
            if not keys:
                continue
            before = set(words[max(0, first - _CUE_REACH) : first])
            if before & _NEGATION:
                excluded |= keys
                continue
            for key in keys:
                required.setdefault(family_of(key), set()).add(key)
            if before & _ONLY:
                only |= keys
        for family in {family_of(k) for k in only}:
            named = {k for k in only if family_of(k) == family}
            required[family] = named
            excluded |= {k for k in self._keys if family_of(k) == family} - named
        required = {f: v - excluded for f, v in required.items()}
        if not excluded and not any(required.values()):
            return None
        return FacetFilter(
            wanted_type,
            {f: frozenset(v) for f, v in required.items() if v},
            frozenset(excluded),
        )
