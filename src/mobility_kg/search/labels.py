"""Entities named in a question: an n-gram match of the question against every entity's title
and other labels (SKOS alternative labels such as "EITC" or "Section 8 vouchers").

Labels are compared as the BM25 index compares words (lower case, stop words removed,
stemmed), so "housing choice vouchers" names "Housing Choice Voucher Program"'s words in any
inflection. An acronym ("ACS", "LEAD", "CSAs") must appear in the question in capitals, so the
word "lead" does not name the Law Enforcement Assisted Diversion program.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from mobility_kg.search.records import EntityCard

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,7}s?$")


class LabelIndex:
    """Stemmed label n-grams -> the entities they name, and acronyms matched as written."""

    def __init__(
        self,
        cards: Mapping[str, EntityCard],
        terms: Callable[[str], list[str]],
        min_terms: int = 2,
        types: Iterable[str] | None = None,
    ) -> None:
        self._terms = terms
        allowed = set(types) if types is not None else None
        self._grams: dict[tuple[str, ...], set[str]] = {}
        # Titles a question may be expanded with (places are the place reader's).
        self._titles = {c.id: c.title for c in cards.values() if c.type != "place"}
        self._acronyms: dict[str, set[str]] = {}
        self.longest = 1
        for card in cards.values():
            if allowed is not None and card.type not in allowed:
                continue
            for label in [card.title, *card.labels]:
                if _ACRONYM.match(label):
                    stem = label[:-1] if label.endswith("s") and label[:-1].isupper() else label
                    self._acronyms.setdefault(stem, set()).add(card.id)
                    continue
                gram = tuple(terms(label))
                if len(gram) >= min_terms:
                    self._grams.setdefault(gram, set()).add(card.id)
                    self.longest = max(self.longest, len(gram))
        self._acronym_pattern = (
            re.compile(r"\b(" + "|".join(map(re.escape, sorted(self._acronyms))) + r")s?\b")
            if self._acronyms
            else None
        )

    def named(self, question: str) -> set[str]:
        """The entities whose title or label the question contains."""
        found: set[str] = set()
        if self._acronym_pattern is not None:
            for match in self._acronym_pattern.finditer(question):
                found |= self._acronyms[match.group(1)]
        words = self._terms(question)
        for size in range(1, min(self.longest, len(words)) + 1):
            for start in range(len(words) - size + 1):
                found |= self._grams.get(tuple(words[start : start + size]), set())
        return found

    def expand(self, question: str) -> str:
        """The question with the titles of the entities it names by another label, for BM25:
        "do CHWs help with prenatal care?" also searches "Community health workers". A title
        whose words the question has already adds nothing."""
        words = set(self._terms(question))
        titles = [self._titles[e] for e in sorted(self.named(question)) if e in self._titles]
        return " ".join([question, *(t for t in titles if set(self._terms(t)) - words)])
