"""The group of people a question about places' data asks for: "How are Black residents of
St. Paul doing on employment?" asks for the Black population's values, not everyone's.

The Mobility Metrics data break some metrics down by race or ethnicity, gender, housing tenure
and disability (``data/subgroups.py``); a question that names such a group gets that group's
values where the data have them, and is told plainly where they do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SubgroupAsked:
    """A group a question names: its words for a sentence, and the data's subgroup keys that
    stand for it, the most specific first (the data publish "Black, Non-Hispanic" for some
    metrics and "Black" for others)."""

    words: str
    keys: tuple[str, ...]


# Race and ethnicity first: in "Black women" the data have no crossed groups, and race is the
# breakdown most metrics carry. "white" only before a word for people ("white-collar" is no
# group); "men" and "women" as whole words.
_PEOPLE = r"(?:residents|people|families|households|workers|students|children|kids|adults)"
_CUES: tuple[tuple[re.Pattern[str], SubgroupAsked], ...] = (
    (
        re.compile(r"\b(?:black|african[- ]americans?)\b", re.IGNORECASE),
        SubgroupAsked(
            "Black residents", ("race-ethnicity/black-non-hispanic", "race-ethnicity/black")
        ),
    ),
    (
        re.compile(r"\b(?:hispanic|latin[oax]s?|latine)\b", re.IGNORECASE),
        SubgroupAsked("Hispanic residents", ("race-ethnicity/hispanic",)),
    ),
    (
        re.compile(rf"\bwhite {_PEOPLE}\b", re.IGNORECASE),
        SubgroupAsked(
            "white residents", ("race-ethnicity/white-non-hispanic", "race-ethnicity/white")
        ),
    ),
    (
        re.compile(r"\b(?:women|female|girls)\b", re.IGNORECASE),
        SubgroupAsked("women", ("gender/female",)),
    ),
    (
        re.compile(r"\b(?:men|male|boys)\b", re.IGNORECASE),
        SubgroupAsked("men", ("gender/male",)),
    ),
    (
        re.compile(r"\b(?:renters?|tenants)\b", re.IGNORECASE),
        SubgroupAsked("renters", ("tenure/renter",)),
    ),
    (
        re.compile(r"\b(?:home ?owners?)\b", re.IGNORECASE),
        SubgroupAsked("homeowners", ("tenure/owner",)),
    ),
    (
        re.compile(r"\b(?:with (?:a )?disabilit(?:y|ies)|disabled)\b", re.IGNORECASE),
        SubgroupAsked("people with disabilities", ("disability/with-disability",)),
    ),
)


def subgroup_asked(text: str) -> SubgroupAsked | None:
    """The group ``text`` (a question without its place names) asks about, if any."""
    return next((asked for cue, asked in _CUES if cue.search(text)), None)
