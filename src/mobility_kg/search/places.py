"""Places named in a question (issue 10): counties, cities and states, read only where the
wording is place-shaped, so that ordinary words ("Union", "Lincoln", "Opportunity", "Cook")
never turn a question into a place question.

A mention counts when it is

- a county's full name with its suffix ("Ramsey County", "Orleans Parish"), its name
  capitalised as written;
- a city's name as a whole phrase ("Philadelphia", "St. Paul"), capitalised as written and
  not part of a longer proper noun ("Lincoln Institute", "Washington Post"); a one-word name
  that the corpus also uses as an ordinary word ("mobile", "independence") needs a state;
- a state attached to a kind of place ("Ohio counties", "cities in Texas"): a question over
  that state's places;
- when the reader asks for it (``find(..., lower_case=True)``: a question that is otherwise
  about the data), a city's name written in lower case ("how is philadelphia doing?", "crime
  in tucson"), unless it is an ordinary word, or a phrase of ordinary words only: one the
  corpus writes in lower case, or one that Webster's lists as a word or a name ("mobile",
  "independence", "lincoln", "austin", "long beach", "san diego" still need their capitals or
  their state).

A state after a place ("Ramsey County, MN", "Springfield, Illinois") narrows it to that state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mobility_kg.data.sources import STATES

MAX_NAME_TOKENS = 6
MIN_ONE_WORD_CITY = 4  # letters
MAX_CANDIDATES = 3  # an ambiguous name answers for at most this many places

_TOKEN = re.compile(r"[A-Za-z0-9]+")
_APOSTROPHES = ("'", "\u2019")
_COUNTY_SUFFIXES = {"county", "parish", "borough", "area", "municipality", "region"}
# Words that end a city's bare name in the Census's names ("Gilbert town", "Indianapolis
# city (balance)", "Nashville-Davidson metropolitan government (balance)").
_CITY_SUFFIXES = {"city", "town", "village", "municipality", "cdp", "unified", "consolidated",
                  "metropolitan", "metro", "urban", "balance"}  # fmt: skip
_LEVEL_NOUNS = {"county": "county", "counties": "county", "city": "city", "cities": "city"}
_SCOPE_LINKS = {"in", "of", "across", "within", "throughout"}
_NATIONAL = re.compile(
    r"\b(?:nationwide|nationally|in the (?:us|u\.s\.|united states|country|nation)|"
    r"across the (?:us|u\.s\.|united states|country|nation)|in america|us counties|"
    r"u\.s\. counties|us cities|u\.s\. cities)\b",
    re.IGNORECASE,
)
_STATE_NAMES = {tuple(_k for _k in name.lower().split()): code for code, name in STATES.values()}
_STATE_CODES = {code for code, _ in STATES.values()}


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    key: str  # lower case, "saint" as "st"
    start: int
    possessive: bool = False

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()


def tokens_of(text: str) -> list[Token]:
    """Words with their place in ``text``; a possessive "'s" marks the word before it."""
    found: list[Token] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if (
            word.lower() == "s"
            and found
            and text[match.start() - 1 : match.start()] in _APOSTROPHES
        ):
            last = found[-1]
            found[-1] = Token(last.text, last.key, last.start, True)
            continue
        key = word.lower()
        found.append(Token(word, "st" if key == "saint" else key, match.start()))
    return found


def _keys(name: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokens_of(name))


@dataclass(frozen=True, slots=True)
class GazetteerPlace:
    id: str
    fips: str
    name: str  # as the Census gives it: "Ramsey County", "St. Paul city"
    state: str  # two-letter code
    level: str  # county or city
    cities: int = 0  # for a county: how many of the data's cities lie in it

    @property
    def title(self) -> str:
        return f"{self.name}, {self.state}"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One place-shaped phrase and the places it may name (more than one when ambiguous)."""

    text: str
    places: tuple[str, ...]
    start: int
    end: int  # token positions, end excluded
    lower_case: bool = False  # a city's name read as written in lower case


@dataclass(frozen=True, slots=True)
class PlaceQuery:
    """What a question says about places: the places it names, or a state (two-letter code)
    or the whole nation as the scope of a question over a kind of place (``level``)."""

    mentions: tuple[PlaceMention, ...] = ()
    state: str | None = None
    level: str | None = None
    national: bool = False
    spans: tuple[tuple[int, int], ...] = field(default=())  # token spans of every place word

    def __bool__(self) -> bool:
        return bool(self.mentions) or self.state is not None or self.national

    @property
    def places(self) -> list[str]:
        return [p for m in self.mentions for p in m.places if p]


class Gazetteer:
    """Every county and city by the phrases that name it."""

    def __init__(
        self,
        places: Iterable[GazetteerPlace],
        documented: Iterable[str] = (),
        is_common_word: Callable[[str], bool] = lambda word: False,
        ordinary: Iterable[str] | None = None,
    ) -> None:
        """``is_common_word``: a word the corpus writes in lower case; ``ordinary``: the words
        of city names that English has as words or names (None: no city is read from lower
        case)."""
        self.places = {p.id: p for p in places}
        self.documented = frozenset(documented)
        self._is_common = is_common_word
        self.ordinary = None if ordinary is None else frozenset(ordinary)
        # key phrase -> (is a county's full name, place ids)
        self._phrases: dict[tuple[str, ...], tuple[bool, list[str]]] = {}
        for place in self.places.values():
            for phrase, county in _phrases_of(place):
                entry = self._phrases.setdefault(phrase, (county, []))
                if entry[0] == county:
                    entry[1].append(place.id)
        # A name starts only with one of these words: most of a question's words are not.
        self._first_words = frozenset(phrase[0] for phrase in self._phrases)

    @classmethod
    def from_rows(
        cls,
        rows: list[list[str]],
        documented: Iterable[str] = (),
        is_common_word: Callable[[str], bool] = lambda word: False,
        ordinary: Iterable[str] | None = None,
    ) -> Gazetteer:
        """From the build's ``places`` artifact: ``[fips, name, state, level, counties]`` rows
        (a city's counties joined by ";")."""
        cities: dict[str, int] = {}
        for row in rows:
            for county in filter(None, row[4].split(";")):
                cities[county] = cities.get(county, 0) + 1
        return cls(
            (
                GazetteerPlace(f"place/{r[0]}", r[0], r[1], r[2], r[3], cities.get(r[0], 0))
                for r in rows
            ),
            documented,
            is_common_word,
            ordinary,
        )

    @classmethod
    def from_titles(cls, titles: dict[str, str], documented: Iterable[str] = ()) -> Gazetteer:
        """From entity titles ("place/27123" -> "Ramsey County, Minnesota"): a build without
        the metric data still knows its place documents."""
        codes = {name: code for code, name in STATES.values()}
        places = []
        for compact, title in titles.items():
            name, _, state = title.rpartition(", ")
            fips = compact.removeprefix("place/")
            if state in codes and fips.isdigit():
                level = "county" if len(fips) == 5 else "city"
                places.append(GazetteerPlace(compact, fips, name, codes[state], level))
        return cls(places, documented)

    # ------------------------------------------------------------------ reading

    def find(self, question: str, *, lower_case: bool = False) -> PlaceQuery:
        """The places, or the state scope, that ``question`` names (empty when none);
        ``lower_case``: also a city's name written in lower case, when no word of it is an
        ordinary word (the caller checks that the rest of the question is about the data)."""
        words = tokens_of(question)
        all_lower = not any(c.isupper() for c in question[1:])
        mentions: list[PlaceMention] = []
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            found = self._mention_at(question, words, i, all_lower, lower_case)
            if found is None:
                i += 1
                continue
            mentions.append(found)
            spans.append((found.start, found.end))
            i = found.end
        state, level, scope_span = _state_scope(words, spans)
        if scope_span is not None:
            spans.append(scope_span)
        national = bool(_NATIONAL.search(question)) and not mentions and state is None
        if national:
            level = next((_LEVEL_NOUNS[w.key] for w in words if w.key in _LEVEL_NOUNS), None)
            national = level is not None
        return PlaceQuery(tuple(mentions), state, level, national, tuple(spans))

    def _mention_at(
        self, question: str, words: list[Token], i: int, all_lower: bool, lower_names: bool
    ) -> PlaceMention | None:
        if words[i].key not in self._first_words:
            return None
        for length in range(min(MAX_NAME_TOKENS, len(words) - i), 0, -1):
            phrase = tuple(w.key for w in words[i : i + length])
            entry = self._phrases.get(phrase)
            if entry is None:
                continue
            county, ids = entry
            name_words = words[i : i + length - 1] if county else words[i : i + length]
            end = i + length
            city_word = not county and end < len(words) and words[end].key == "city"
            end += city_word  # "Philadelphia city", "New York City"
            state, end = _qualifier(words, end)
            qualified = state or city_word
            lower = not county and lower_names and self._lower_case_city(name_words, qualified)
            if not lower and not self._shaped(
                words, i, end, name_words, county, all_lower, qualified
            ):
                continue
            candidates = [p for p in ids if state is None or self.places[p].state == state]
            if not candidates:
                continue
            last = words[end - 1]
            text = question[words[i].start : last.start + len(last.text)]
            return PlaceMention(text, tuple(self._choose(candidates)), i, end, lower)
        return None

    def _lower_case_city(self, name_words: list[Token], qualified: str | bool | None) -> bool:
        """Whether a city's name written all in lower case reads safely as the city: not an
        ordinary word, nor a phrase of ordinary words only, and a name that is also a state's
        with its qualifier."""
        if self.ordinary is None or not name_words or any(w.capital for w in name_words):
            return False
        keys = tuple(w.key for w in name_words)
        if keys in _STATE_NAMES and not qualified:
            return False  # "new york", "washington": the state as much as the city
        if len(keys) == 1 and len(keys[0]) < MIN_ONE_WORD_CITY:
            return False
        # Token keys spell "saint" as "st"; the ordinary words are as written. A phrase is
        # ordinary when every word of it is ("high point", "long beach"; not "san diego").
        written = [w.text.lower() for w in name_words]
        return not all(
            self._is_common(word) or word in self.ordinary or word.isdigit() for word in written
        )

    def _shaped(
        self,
        words: list[Token],
        i: int,
        end: int,
        name_words: list[Token],
        county: bool,
        lower_case: bool,
        qualified: str | bool | None,
    ) -> bool:
        """Whether the words at ``i`` read as a place name rather than ordinary words;
        ``qualified``: a state or the word "city" follows the name."""
        state = qualified or None
        if not name_words:
            return False
        capitalised = all(w.capital for w in name_words)
        # In a question written in lower case, a county's name or a city's with its state;
        # a city's name alone in lower case is read by :meth:`_lower_case_city` only.
        if not capitalised and not (lower_case and (county or state)):
            return False
        if county:
            # "an Ohio county" is one of Ohio's counties; "Ohio County" the county of that name
            state_named = tuple(w.key for w in name_words) in _STATE_NAMES
            return not state_named or words[i + len(name_words)].capital
        # a city: not inside a longer proper noun ("Lincoln Institute", "Abraham Lincoln")
        before = words[i - 1] if i > 0 else None
        after = words[end] if end < len(words) else None
        if before is not None and i - 1 > 0 and before.capital:
            return False
        if after is not None and after.capital and state is None:
            return False
        if len(name_words) == 1 and state is None:
            word = name_words[0].key
            if len(word) < MIN_ONE_WORD_CITY or self._is_common(word):
                return False
            if i == 0 and not name_words[0].possessive:
                return False  # capitalised only because it starts the sentence
            if (word,) in _STATE_NAMES:
                return False  # "Washington" alone is the state as much as the city
        if tuple(w.key for w in name_words) in _STATE_NAMES and state is None:
            return False  # "New York" alone: the state or the city
        return True

    def _choose(self, candidates: list[str]) -> list[str]:
        """An ambiguous name: a place with a corpus document, else the county holding the most
        of the data's cities, else every candidate (at most :data:`MAX_CANDIDATES`)."""
        if len(candidates) == 1:
            return candidates
        documented = [c for c in candidates if c in self.documented]
        if len(documented) == 1:
            return documented
        most = max(self.places[c].cities for c in candidates)
        busiest = [c for c in candidates if self.places[c].cities == most]
        if most > 0 and len(busiest) == 1:
            return busiest
        return sorted(candidates)[:MAX_CANDIDATES]


def _phrases_of(place: GazetteerPlace) -> list[tuple[tuple[str, ...], bool]]:
    keys = _keys(place.name)
    if place.level == "county":
        if keys and keys[-1] in _COUNTY_SUFFIXES and len(keys) > 1:
            return [(keys, True)]
        if keys and keys[-1] == "city" and len(keys) > 1:  # Virginia's independent cities
            return [(keys, True)]
        return [(keys, True)] if len(keys) > 1 else []  # "District of Columbia"
    bare: list[str] = []
    for index, key in enumerate(keys):
        if index > 0 and key in _CITY_SUFFIXES:
            break
        bare.append(key)
    phrases = [(tuple(bare), False)]
    if bare and bare[0] == "urban" and len(bare) > 1:  # "Urban Honolulu CDP"
        phrases.append((tuple(bare[1:]), False))
    first = re.split(r"[-/]", place.name, maxsplit=1)[0]
    if first != place.name and len(bare) > 1 and len(keys) > len(bare) + 1:
        phrases.append((_keys(first), False))  # "Nashville-Davidson metropolitan government"
    return phrases


def _qualifier(words: list[Token], end: int) -> tuple[str | None, int]:
    """A state right after a place ("Ramsey County, MN", "Springfield, Illinois")."""
    if end >= len(words):
        return None, end
    word = words[end]
    if word.text.isupper() and word.text in _STATE_CODES:
        return word.text, end + 1
    for length in (3, 2, 1):
        phrase = tuple(w.key for w in words[end : end + length])
        if len(phrase) == length and phrase in _STATE_NAMES and words[end].capital:
            return _STATE_NAMES[phrase], end + length
    return None, end


def _state_at(words: list[Token], i: int) -> tuple[str | None, int]:
    """A state written at ``i``: its code and the end of its words."""
    word = words[i]
    if word.text.isupper() and word.text in _STATE_CODES and len(word.text) == 2:
        return word.text, i + 1
    if not word.capital:
        return None, i  # a state's name is written with a capital
    for length in (3, 2, 1):
        phrase = tuple(w.key for w in words[i : i + length])
        if len(phrase) == length and phrase in _STATE_NAMES:
            return _STATE_NAMES[phrase], i + length
    return None, i


def _state_scope(
    words: list[Token], taken: list[tuple[int, int]]
) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """A state attached to a kind of place: "Ohio counties", "Ohio's cities", "counties in
    Ohio", "which county in the state of Ohio"."""

    def free(i: int) -> bool:
        return all(not a <= i < b for a, b in taken)

    for i in range(len(words)):
        if not free(i):
            continue
        state, end = _state_at(words, i)
        if state is not None and end < len(words) and words[end].key in _LEVEL_NOUNS:
            if words[end].key in ("county", "city") and words[end].capital:
                continue  # "Ohio County" is a county's name, not Ohio's counties
            return state, _LEVEL_NOUNS[words[end].key], (i, end + 1)
        if words[i].key in _LEVEL_NOUNS:
            j = i + 1
            if j < len(words) and words[j].key in _SCOPE_LINKS:
                j += 1
                if words[j : j + 3] and [w.key for w in words[j : j + 3]] == ["the", "state", "of"]:
                    j += 3
                if j < len(words):
                    state, end = _state_at(words, j)
                    if state is not None:
                        return state, _LEVEL_NOUNS[words[i].key], (i, end)
    return None, None, None
