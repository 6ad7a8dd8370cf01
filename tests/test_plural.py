"""Counts read as English: one thing, two things, no things."""

import pytest

from mobility_kg.plural import counted


@pytest.mark.parametrize(
    ("count", "noun", "plural", "said"),
    [
        (1, "shared strategy", None, "1 shared strategy"),
        (2, "shared strategy", None, "2 shared strategies"),
        (0, "result", None, "0 results"),
        (1, "result", None, "1 result"),
        (3, "day", None, "3 days"),
        (2, "match", None, "2 matches"),
        (5, "linked entity", "linked entities", "5 linked entities"),
        (1, "SHACL violation", None, "1 SHACL violation"),
    ],
)
def test_counted(count: int, noun: str, plural: str | None, said: str) -> None:
    assert counted(count, noun, plural) == said
