"""What a question asks for, read from its wording: a kind of entity to list, or a position in
an ordered series (the planning guide's steps). The engine uses it to re-rank with the graph."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Nouns a reader uses for each kind of entity (plural forms ask for a list).
_TYPE_NOUNS: tuple[tuple[str, str], ...] = (
    ("plan", r"(?:mobility )?action plans|cohort (?:counties|cities|members|places)|plans"),
    ("strategy", r"strategies|programs|programmes|practices|interventions|policies"),
    ("guide", r"steps"),
    ("metric", r"metrics|measures|indicators"),
    ("predictor", r"predictors"),
    ("post", r"(?:blog )?posts|articles"),
    ("methodology", r"methods"),
)
_LIST_CUE = re.compile(r"^\s*(?:which|what|list|name|all|every)\b|\b(?:all|every) the\b", re.I)
_ORDINALS = {
    "first": 1, "start": 1, "starting": 1, "begin": 1, "beginning": 1, "initial": 1,
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "final": -1, "finally": -1,
}  # fmt: skip
_STEP_NUMBER = re.compile(r"\bstep (\d{1,2})\b", re.I)
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b", re.I)
_SERIES = re.compile(r"\b(?:step|steps|plan|planning|process|guide|do|start|begin)\b", re.I)


@dataclass(frozen=True, slots=True)
class QueryIntent:
    """``wanted_type``: the kind of entity a question asks to list; ``position``: the step it
    asks about (1-based; -1 for the last)."""

    wanted_type: str | None = None
    position: int | None = None


def understand(question: str) -> QueryIntent:
    """The list and position cues of a question (an empty intent when it has none)."""
    wanted = None
    if _LIST_CUE.search(question):
        for entity_type, nouns in _TYPE_NOUNS:
            if re.search(rf"\b(?:{nouns})\b", question, re.IGNORECASE):
                wanted = entity_type
                break
    position = None
    if match := _STEP_NUMBER.search(question):
        position = int(match.group(1))
    elif (match := _ORDINAL.search(question)) and _SERIES.search(question):
        position = _ORDINALS[match.group(1).lower()]
    return QueryIntent(wanted, position)
