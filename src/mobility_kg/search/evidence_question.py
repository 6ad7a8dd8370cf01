"""Questions that ask which strategies have evidence behind them ("which strategies have
strong evidence for reducing crime?"). The graph picks the strategies: those that address
what the question's top hits are about, at the strength of evidence it asks for, strongest
first. The answer then quotes each one's evidence from the corpus (search/answer.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mobility_kg.search.records import EntityCard
from mobility_kg.search.rerank import about_weights

# The corpus's ratings of evidence, best first; a strategy without one comes after them.
STRENGTHS = ("strong", "moderate", "emerging", "mixed", "insufficient")
# "which strategies...", "what programs...", "what are the best-evidenced policies...": a list
# of strategies asked for (not "how are programs rated", nor one strategy's rating).
_STRATEGIES = re.compile(
    r"\b(?:which|what|list|name)\b(?:\W+\w+){0,4}?\W+"
    r"(?:strategies|programs|programmes|interventions|policies|practices|approaches)\b",
    re.IGNORECASE,
)
_EVIDENCE = re.compile(
    r"\b(evidence(?:d|-based)?|proven|research-backed|backed by research|rated|ratings?|"
    r"works? best|most effective)\b",
    re.IGNORECASE,
)
_ASKED = (
    (
        "strong",
        re.compile(
            r"\b(strong(?:est)?|best|proven|scientifically supported|well[- ]supported|"
            r"most effective)\b",
            re.IGNORECASE,
        ),
    ),
    ("moderate", re.compile(r"\bmoderate\b", re.IGNORECASE)),
    ("emerging", re.compile(r"\b(emerging|promising)\b", re.IGNORECASE)),
)


@dataclass(frozen=True, slots=True)
class EvidenceAsk:
    """``strength``: the rating asked for ("strong" for "strongest", "best", "proven"...),
    None when the question asks for the evidence of every strategy."""

    strength: str | None = None


def read_evidence_question(question: str) -> EvidenceAsk | None:
    """The evidence a question asks strategies to have, or None when it asks no such thing."""
    if not (_STRATEGIES.search(question) and _EVIDENCE.search(question)):
        return None
    for strength, words in _ASKED:
        if words.search(question):
            return EvidenceAsk(strength)
    return EvidenceAsk()


def strategies_for(
    ask: EvidenceAsk, hits: Sequence[str], cards: Mapping[str, EntityCard]
) -> list[str]:
    """The strategies that address the predictors the top ``hits`` are most about, of the
    strength asked (all of them, when none has it: their evidence says how strong it is),
    strongest first, then those addressing more of those predictors, then the hits' order.
    Empty when the hits are about no predictor."""
    about = about_weights([(hit, 0.0) for hit in hits if hit in cards], cards, "predictors")
    if not about:
        return []
    top = max(about.values())
    subjects = {predictor for predictor, weight in about.items() if weight >= top}
    found = [c for c in cards.values() if c.type == "strategy" and subjects & set(c.predictors)]
    wanted = [c for c in found if ask.strength and c.evidence_strength == ask.strength]
    rank = {hit: index for index, hit in enumerate(hits)}

    def order(card: EntityCard) -> tuple[int, int, int, str]:
        strength = card.evidence_strength or ""
        return (
            STRENGTHS.index(strength) if strength in STRENGTHS else len(STRENGTHS),
            -len(subjects & set(card.predictors)),
            rank.get(card.id, len(rank)),
            card.title,
        )

    return [card.id for card in sorted(wanted or found, key=order)]
