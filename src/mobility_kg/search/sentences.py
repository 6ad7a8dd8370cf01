"""Sentences of a passage, for extractive answers: split where a reader would, not at "et al."."""

from __future__ import annotations

import re

MIN_WORDS = 6

# Words that end with a period without ending a sentence (compared lower-cased, no period).
ABBREVIATIONS = frozenset(
    {
        "al", "approx", "ave", "blvd", "ca", "cf", "co", "corp", "dept", "dr", "e.g", "eg",
        "est", "etc", "fig", "gov", "i.e", "ie", "inc", "jr", "ltd", "mr", "mrs", "ms", "mt",
        "no", "nos", "p", "pp", "prof", "rev", "sr", "st", "u.s", "u.k", "vol", "vs", "v",
    }
)  # fmt: skip
_CANDIDATE = re.compile(r"[.!?]['\")\]]*\s+(?=[A-Z0-9\"'(\[])")
# A blank line, or a line break before a list item, ends a block; other line breaks are wraps.
_BLOCK_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _ends_sentence(text: str, end: int) -> bool:
    """Does the punctuation just before ``end`` close a sentence?"""
    before = text[:end].rstrip()
    if before.count("(") > before.count(")") or before.count("[") > before.count("]"):
        return False  # inside a parenthesis or citation
    if not before.endswith("."):
        return True
    word = before[:-1].rsplit(None, 1)[-1].lstrip("(\"'[") if before[:-1].strip() else ""
    if word.lower() in ABBREVIATIONS:
        return False
    return not (len(word) == 1 and word.isupper())  # an initial: "J. Smith"


def split_sentences(text: str, min_words: int = MIN_WORDS) -> list[str]:
    """The sentences of a passage with at least ``min_words`` words.

    Markdown list markers and line breaks are flattened first; a list item without a final
    period still ends where the next item starts.
    """
    blocks = (_LIST_MARKER.sub("", block) for block in _BLOCK_BREAK.split(text))
    items = [" ".join(block.split()) for block in blocks if block.strip()]
    sentences: list[str] = []
    for item in items:
        start = 0
        for match in _CANDIDATE.finditer(item):
            if _ends_sentence(item, match.end()):
                sentences.append(item[start : match.end()].strip())
                start = match.end()
        sentences.append(item[start:].strip())
    return [s for s in sentences if len(s.split()) >= min_words]


# A sentence that opens with one of these leans on the sentence before it.
_DANGLING = re.compile(
    r"^(?:it|its|it's|they|their|them|this|these|that|those|such|both|he|she|his|her|"
    r"here|there|then|also|however|but|and|yet|still|instead|likewise|similarly|meanwhile|"
    r"many|most|some|others|another|each|the (?:aim|goal|program|programme|study|approach|"
    r"same|latter|former|report|paper|authors|plan|effort|idea|result|results|group|rating|"
    r"review|evaluation|tool|work|project|model))\b",
    re.IGNORECASE,
)
# "The first was evidence: ...", "The second, economic connectedness, is ...": an item of a
# list that a sentence before it announced ("Two tests decided which survived.").
_ENUMERATED = re.compile(
    r"^the (?:first|second|third|fourth|fifth|last|other)(?: one)?(?:,| (?:was|is|were|are)\b)",
    re.IGNORECASE,
)
_LOCAL_REFERENCE = re.compile(r"\b[Tt]he (?:county|city|District)\b")
# How a document of each kind names what it is about without naming it ("CrimeSolutions rates
# the practice...", "the metric counts..."): such a sentence is prefixed with the name.
_SELF_REFERENCE = {
    kind: re.compile(rf"\b[Tt]he (?:{nouns})\b")
    for kind, nouns in {
        "strategy": "practice|programme|program|strategy|policy|approach|model|intervention|"
        "initiative",
        "metric": "metric|measure",
        "predictor": "predictor|metric|measure",
        "evidence": "predictor|metric|measure",
        "plan": "plan",
    }.items()
}


def standalone(
    sentences: list[str], title: str, place: str | None = None, kind: str | None = None
) -> list[str]:
    """The sentences of one passage made to read on their own.

    A sentence that opens with a reference to what came before ("It rates...", "The aim
    is...") is joined with the sentence before it (or, first in its passage, prefixed with
    ``title``); an item of an announced list ("The second was actionability: ...") is joined
    with the sentence that announced it ("Two tests decided which survived."), the last one
    before the list's items; "the county" names the place when the passage is about one; and
    a sentence that calls the entity of a ``kind`` by its kind ("the practice", "the metric",
    "the plan") without naming it, or its place, is prefixed with ``title``.
    """
    self_reference = _SELF_REFERENCE.get(kind or "")
    readable = []
    lead = title + ":"  # the last sentence that is not an item of a list
    for index, sentence in enumerate(sentences):
        text = sentence
        prefixed = False
        if _ENUMERATED.match(text):
            prefixed = not index
            text = f"{lead} {text}"
        elif _DANGLING.match(text):
            prefixed = not index
            text = f"{sentences[index - 1]} {text}" if index else f"{title}: {text}"
        if place:
            text = _LOCAL_REFERENCE.sub(place, text, count=1)
        if (
            self_reference is not None
            and not prefixed
            and self_reference.search(text)
            and title.lower() not in text.lower()
            and not (place and place in text)
        ):
            text = f"{title}: {text}"
        if not _ENUMERATED.match(sentence):
            lead = sentence
        readable.append(text)
    return readable
