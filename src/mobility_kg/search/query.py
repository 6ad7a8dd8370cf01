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
    ("metric", r"metrics|measures|indicators|numbers|figures|statistics"),
    ("predictor", r"predictors|(?:community )?conditions|factors"),
    ("evidence", r"evidence(?! (?:resource )?library)|research|studies"),  # not the library
    ("post", r"(?:blog )?posts|articles"),
    ("methodology", r"methods"),
)
# A list cue opens a clause ("which ...", "list ...", "all the ...") and the kind of entity
# follows it within a few words ("which of the mobility measures", "what are all the steps").
_LIST_CUE = r"(?:(?:^|[.;:?!])\s*(?:which|what|list|name|all|every)|\b(?:all|every) the)\b"
_WITHIN = r"(?:\W+[\w'-]+){0,5}?\W+"
# entity type -> "which/list ... <its nouns>" (compiled once: every query reads them)
_LIST_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (entity_type, re.compile(rf"{_LIST_CUE}{_WITHIN}(?:{nouns})\b", re.IGNORECASE))
    for entity_type, nouns in _TYPE_NOUNS
)
_ORDINALS = {
    "first": 1, "start": 1, "starting": 1, "begin": 1, "beginning": 1, "initial": 1,
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "final": -1, "finally": -1,
}  # fmt: skip
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}  # fmt: skip
_STEP_NUMBER = re.compile(r"\bstep (\d{1,2}|" + "|".join(_NUMBERS) + r")\b", re.I)
# "what comes next / after ..." asks for the step after the one the question describes.
_AFTER = re.compile(r"\b(?:next|after|afterwards|follows?|following)\b", re.I)
_BEFORE = re.compile(r"\b(?:before|precedes?|preceding|prior to)\b", re.I)
_WHAT = re.compile(r"\b(?:what|which)\b", re.I)
_BETWEEN = re.compile(r"\bbetween\b.+\band\b", re.I)
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b", re.I)
# "how can a city reduce police violence": a question asking what to do about a condition.
_HOW = re.compile(
    r"\b(?:how (?:can|could|should|do|might) (?:we|i|a|an|the|our|my|cities|counties|states)"
    r"|what (?:can|could|should)|ways? to|what works to)\b",
    re.I,
)
_CHANGE = re.compile(
    r"\b(?:reduce|lower|cut|curb|decrease|prevent|stop|end|fight|combat|tackle|address|"
    r"increase|raise|boost|improve|expand|grow|close|narrow|attract|keep|help|get more|change|"
    r"do about|do for)\b",
    re.I,
)
# "how is that measured?", "which years of data exist for the home internet measure?": the
# metrics answer (not "numbers" or "figures", which usually mean a place's own values).
_MEASURE = re.compile(r"\b(?:measured?|measuring|metrics?|indicators?)\b", re.I)
_SERIES = re.compile(r"\b(?:step|steps|plan|planning|process|guide|do|start|begin)\b", re.I)


@dataclass(frozen=True, slots=True)
class QueryIntent:
    """``wanted_type``: the kind of entity a question asks to list; ``position``: the step it
    asks about (1-based; -1 for the last); ``offset``: +1 or -1 when it asks for the step after
    or before the one it describes; ``action``: it asks what to do about a condition (the
    strategies that address it answer); ``measure``: it asks how a condition is measured (its
    metrics answer)."""

    wanted_type: str | None = None
    position: int | None = None
    offset: int = 0
    action: bool = False
    between: bool = False
    measure: bool = False


def understand(question: str) -> QueryIntent:
    """The list, position and action cues of a question (an empty intent when it has none)."""
    wanted = None
    for entity_type, pattern in _LIST_PATTERNS:
        if pattern.search(question):
            wanted = entity_type
            break
    position = None
    if match := _STEP_NUMBER.search(question):
        number = match.group(1).lower()
        position = int(number) if number.isdigit() else _NUMBERS[number]
    elif (match := _ORDINAL.search(question)) and _SERIES.search(question):
        position = _ORDINALS[match.group(1).lower()]
    offset = 0
    # "what comes after ...", "which step precedes ...": a step asked for by its neighbour;
    # not "before announcing anything, how do we check ...", which asks how to do that step.
    if position is None and _SERIES.search(question) and _WHAT.search(question):
        offset = 1 if _AFTER.search(question) else -1 if _BEFORE.search(question) else 0
    action = bool(_HOW.search(question) and _CHANGE.search(question)) and position is None
    between = position is None and bool(_BETWEEN.search(question))
    measure = bool(_MEASURE.search(question)) and position is None and wanted is None
    return QueryIntent(wanted, position, offset, action, between, measure)
