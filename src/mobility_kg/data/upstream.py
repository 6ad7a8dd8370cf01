"""Read upstream CSVs (the layout and column names of UI-Research/mobility-from-poverty) into
checked rows. Every bad cell raises a :class:`~mobility_kg.errors.DataError` subclass naming
the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mobility_kg.data.sources import (
    CITY_COUNTIES,
    CITY_NAMES,
    COUNTY_NAMES,
    STATES,
    SUBGROUP_TYPES,
    Level,
    Source,
    Subgroups,
)
from mobility_kg.errors import (
    DataError,
    MalformedNumber,
    MissingColumn,
    QualityOutOfRange,
    UnknownFips,
)

MISSING = {"", "NA", "N/A", "."}
_QUALITY_WORDS = {"strong": 1, "marginal": 2, "weak": 3}

# variable, fips, year, subgroup type, subgroup, value, lb, ub, quality
Row = tuple[str, str, int, str, str, float, float | None, float | None, int | None]


@dataclass(frozen=True, slots=True)
class Place:
    """A county or city: FIPS, level, Census name, state, and for a city its counties."""

    fips: str
    level: Level
    name: str
    state: str
    state_name: str
    counties: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.name}, {self.state_name}"


def _text(path: Path) -> str:
    """The file's text: UTF-8, or Windows-1252 as some upstream files are (Doña Ana)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(path, f"unreadable ({error})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _open(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for every data row; the header is line 1."""
    reader = csv.DictReader(io.StringIO(_text(path), newline=""))
    try:
        if reader.fieldnames is None:
            raise DataError(path, "empty file: no header", line=1)
        for row in reader:
            if None in row or None in row.values():
                raise DataError(
                    path, "row has another number of cells than the header", line=reader.line_num
                )
            yield reader.line_num, row
    except csv.Error as error:
        raise DataError(path, f"unreadable ({error})", line=reader.line_num) from None


def _header(path: Path) -> list[str]:
    return next(csv.reader(io.StringIO(_text(path), newline="")), [])


def require_columns(path: Path, shown: str, needed: list[str]) -> list[str]:
    """The header of ``path``.

    Raises:
        MissingColumn: one of ``needed`` is not in it (the first missing one is named).
    """
    header = _header(path)
    for column in needed:
        if column not in header:
            raise MissingColumn(shown, "missing column in the header", line=1, column=column)
    return header


def parse_number(text: str, shown: str, line: int, column: str) -> float | None:
    """A cell as a float, None when blank or NA.

    Raises:
        MalformedNumber: anything else that is not a finite number.
    """
    text = text.strip()
    if text in MISSING:
        return None
    try:
        value = float(text)
    except ValueError:
        raise MalformedNumber(shown, f"not a number: {text!r}", line=line, column=column) from None
    if not math.isfinite(value):
        raise MalformedNumber(shown, f"not a finite number: {text!r}", line=line, column=column)
    return value


def parse_pair_ratio(text: str, shown: str, line: int, column: str) -> float | None:
    """A ``"wealth share:household share"`` cell as the ratio of the two; None when blank,
    NA, or when the household share is zero.

    Raises:
        MalformedNumber: not two numbers separated by a colon.
    """
    text = text.strip()
    if text in MISSING:
        return None
    left, sep, right = text.partition(":")
    if not sep:
        raise MalformedNumber(shown, f"not a ratio 'a:b': {text!r}", line=line, column=column)
    numerator = parse_number(left, shown, line, column)
    denominator = parse_number(right, shown, line, column)
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def parse_quality(text: str, shown: str, line: int, column: str) -> int | None:
    """A quality flag: 1, 2, 3 (or Strong, Marginal, Weak), None when blank.

    Raises:
        QualityOutOfRange: any other value.
    """
    text = text.strip()
    if text in MISSING:
        return None
    word = _QUALITY_WORDS.get(text.lower())
    if word is not None:
        return word
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if number in (1.0, 2.0, 3.0):
        return int(number)
    raise QualityOutOfRange(
        shown, f"quality flag {text!r} is not 1, 2, 3 or blank", line=line, column=column
    )


def _code(text: str, digits: int, shown: str, line: int, column: str) -> str:
    text = text.strip().strip('"')
    if not text.isdigit() or len(text) > digits:
        raise MalformedNumber(
            shown, f"not a {digits}-digit FIPS code: {text!r}", line=line, column=column
        )
    return text.zfill(digits)


def read_source(root: Path, source: Source, known: dict[str, Place]) -> Iterator[tuple[Row, int]]:
    """Every observation of one source file, with its line.

    Raises:
        MissingColumn, MalformedNumber, UnknownFips, QualityOutOfRange: a bad header or cell.
    """
    path = root / source.path
    shown = source.path
    place_column = source.place_column or ("county" if source.level is Level.COUNTY else "place")
    place_digits = 3 if source.level is Level.COUNTY else 5
    needed = ["year", "state", place_column]
    if source.subgroups is not Subgroups.NONE:
        needed += ["subgroup"] + ([] if source.subgroup_type else ["subgroup_type"])
    for column, _ in source.columns:
        needed += [column, source.quality_column(column)]
    header = set(require_columns(path, shown, needed))
    bounds = {
        column: (f"{column}_lb" if f"{column}_lb" in header else None,
                 f"{column}_ub" if f"{column}_ub" in header else None)
        for column, _ in source.columns
    }  # fmt: skip
    for line, cells in _open(path):
        year_text = cells["year"].strip()
        if not year_text.isdigit() or len(year_text) != 4:
            raise MalformedNumber(shown, f"not a year: {year_text!r}", line=line, column="year")
        year = int(year_text)
        state = _code(cells["state"], 2, shown, line, "state")
        fips = state + _code(cells[place_column], place_digits, shown, line, place_column)
        if fips not in known or known[fips].level is not source.level:
            raise UnknownFips(
                shown, f"no {source.level} has FIPS code {fips}", line=line, column=place_column
            )
        subgroup_type, subgroup = "all", "All"
        if source.subgroups is not Subgroups.NONE:
            subgroup = cells["subgroup"].strip()
            if subgroup in MISSING:
                continue
            if subgroup == "All":
                if source.subgroups is Subgroups.FILE:
                    continue
                subgroup_type = "all"
            else:
                raw = source.subgroup_type or cells["subgroup_type"].strip()
                normal = SUBGROUP_TYPES.get(raw)
                if normal is None:
                    raise DataError(
                        shown, f"unknown subgroup type {raw!r}", line=line, column="subgroup_type"
                    )
                subgroup_type = normal
        for column, variable in source.columns:
            if source.pair_ratio:
                value = parse_pair_ratio(cells[column], shown, line, column)
            else:
                value = parse_number(cells[column], shown, line, column)
            quality_column = source.quality_column(column)
            quality = parse_quality(cells[quality_column], shown, line, quality_column)
            lb_column, ub_column = bounds[column]
            lb = parse_number(cells[lb_column], shown, line, lb_column) if lb_column else None
            ub = parse_number(cells[ub_column], shown, line, ub_column) if ub_column else None
            if value is None:
                continue
            yield (variable, fips, year, subgroup_type, subgroup, value, lb, ub, quality), line


def read_places(root: Path) -> dict[str, Place]:
    """Every county and city of the crosswalks, by FIPS, named as in their latest year.

    Raises:
        MissingColumn, MalformedNumber: a bad crosswalk file.
    """
    places: dict[str, Place] = {}
    latest: dict[str, int] = {}
    for relative, level, column, name_column in (
        (COUNTY_NAMES, Level.COUNTY, "county", "county_name"),
        (CITY_NAMES, Level.CITY, "place", "place_name"),
    ):
        path = root / relative
        require_columns(path, relative, ["year", "state", column, name_column])
        digits = 3 if level is Level.COUNTY else 5
        for line, cells in _open(path):
            state = _code(cells["state"], 2, relative, line, "state")
            fips = state + _code(cells[column], digits, relative, line, column)
            year = int(parse_number(cells["year"], relative, line, "year") or 0)
            if state not in STATES:
                raise UnknownFips(
                    relative, f"unknown state code {state}", line=line, column="state"
                )
            if year >= latest.get(fips, 0):
                latest[fips] = year
                abbreviation, state_name = STATES[state]
                places[fips] = Place(
                    fips, level, cells[name_column].strip(), abbreviation, state_name
                )
    return _with_counties(root, places)


def _with_counties(root: Path, places: dict[str, Place]) -> dict[str, Place]:
    """Cities with the counties they lie in, largest share of the city's people first."""
    path = root / CITY_COUNTIES
    if not path.is_file():
        return places
    require_columns(path, CITY_COUNTIES, ["countyfip", "state", "place", "afact2"])
    shares: dict[str, list[tuple[float, str]]] = {}
    for line, cells in _open(path):
        state = _code(cells["state"], 2, CITY_COUNTIES, line, "state")
        city = state + _code(cells["place"], 5, CITY_COUNTIES, line, "place")
        county = _code(cells["countyfip"], 5, CITY_COUNTIES, line, "countyfip")
        share = parse_number(cells["afact2"], CITY_COUNTIES, line, "afact2") or 0.0
        if city in places and county in places and share > 0:
            shares.setdefault(city, []).append((share, county))
    result = dict(places)
    for city, found in shares.items():
        ordered = tuple(county for _, county in sorted(found, key=lambda p: (-p[0], p[1])))
        old = places[city]
        result[city] = Place(old.fips, old.level, old.name, old.state, old.state_name, ordered)
    return result
