"""Answers to list questions filtered on facets ("which metrics can be broken down for people
with disabilities?", "which strategies could our housing agency take on?"): every entity that
passes the filter, one sentence each, stating from the graph what makes it pass."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mobility_kg.search.facets import FacetFilter, family_of
from mobility_kg.search.records import EntityCard

# What a facet value of each family says of its entity, and what its absence says.
_PHRASES: dict[str, tuple[str, str]] = {
    "subgroup-": ("can be broken down by {}", "cannot be broken down by {}"),
    "level-": ("is published at the {} level", "is not published at the {} level"),
    "source:": ("is built from {}", "is not built from {}"),
    "actor-": ("can be taken on by {}", "is not listed for {}"),
}


def _joined(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _sentence(card: EntityCard, facets: FacetFilter, names: Mapping[str, str]) -> str:
    parts = []
    for family, values in facets.required.items():
        held = sorted(values & card.facets.keys())
        parts.append(_PHRASES[family][0].format(_joined([card.facets[k][0] for k in held])))
    for family in sorted({family_of(k) for k in facets.excluded}):
        absent = sorted(k for k in facets.excluded if family_of(k) == family)
        parts.append(_PHRASES[family][1].format(_joined([names[k] for k in absent])))
    return f"{card.title} {_joined(parts)}."


def facet_list(
    facets: FacetFilter, cards: Mapping[str, EntityCard], hits: Sequence[str]
) -> list[tuple[EntityCard, str]]:
    """Every entity that passes ``facets``, in the order of ``hits`` and then by title, with a
    sentence saying why it passes ("Employment-to-population ratio can be broken down by
    disability.")."""
    names = {k: v[0] for c in cards.values() for k, v in c.facets.items()}
    rank = {hit: index for index, hit in enumerate(hits)}
    passing = sorted(
        (c for c in cards.values() if facets.matches(c)),
        key=lambda c: (rank.get(c.id, len(rank)), c.title),
    )
    return [(card, _sentence(card, facets, names)) for card in passing]
