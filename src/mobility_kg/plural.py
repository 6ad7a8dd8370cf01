"""Counts in words: ``counted(1, "strategy")`` is "1 strategy", ``counted(2, "strategy")``
"2 strategies". Every message that prints a count of things goes through it."""

from __future__ import annotations

VOWELS = set("aeiou")


def plural_of(noun: str) -> str:
    """The regular English plural of a noun (the last word of a phrase)."""
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in VOWELS:
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one, plural otherwise (0 included)."""
    word = noun if count == 1 else (plural or plural_of(noun))
    return f"{count} {word}"
