"""The shipped dataset under ``corpus/data/``: its files, how they are written and read.

Layout::

    corpus/data/places.csv            fips,level,name,state,state_name,counties (";"-joined)
    corpus/data/county.csv.gz         one row per observation of a county
    corpus/data/city.csv.gz           one row per observation of a city
    corpus/data/provenance.json       upstream repository and commit, attribution, and the file
                                      and column of every variable
    corpus/data/README.md             what the data holds: variables, units, coverage

Observation files have the columns of :data:`OBSERVATION_COLUMNS`, sorted by variable,
subgroup, year and FIPS; numbers keep 7 significant digits; gzip headers carry no time, so
the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mobility_kg.data.sources import Level
from mobility_kg.data.upstream import Place, Row
from mobility_kg.errors import DataError

OBSERVATION_COLUMNS = (
    "variable",
    "fips",
    "year",
    "subgroup_type",
    "subgroup",
    "value",
    "lb",
    "ub",
    "quality",
)
PLACE_COLUMNS = ("fips", "level", "name", "state", "state_name", "counties")
PLACES_FILE = "places.csv"
PROVENANCE_FILE = "provenance.json"
README_FILE = "README.md"


def observations_file(level: Level) -> str:
    return f"{level}.csv.gz"


def dataset_files() -> tuple[str, ...]:
    """The files whose bytes make the dataset's content hash (the README is derived)."""
    return (PLACES_FILE, *(observations_file(level) for level in Level), PROVENANCE_FILE)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.7g}"


def observations_bytes(rows: Iterable[Row]) -> bytes:
    """Sorted rows as gzip-compressed CSV, byte-stable (no time in the gzip header)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(OBSERVATION_COLUMNS)
    for variable, fips, year, subgroup_type, subgroup, value, lb, ub, quality in rows:
        writer.writerow(
            (
                variable,
                fips,
                year,
                subgroup_type,
                subgroup,
                _number(value),
                _number(lb),
                _number(ub),
                "" if quality is None else quality,
            )
        )
    return gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def places_text(places: Iterable[Place]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(PLACE_COLUMNS)
    for p in places:
        writer.writerow((p.fips, p.level, p.name, p.state, p.state_name, ";".join(p.counties)))
    return text.getvalue()


def read_places(folder: Path) -> dict[str, Place]:
    """The places of a shipped dataset, by FIPS.

    Raises:
        DataError: the file is missing or malformed.
    """
    path = folder / PLACES_FILE
    try:
        with path.open(newline="", encoding="utf-8") as stream:
            reader = csv.DictReader(stream)
            return {
                row["fips"]: Place(
                    row["fips"],
                    Level(row["level"]),
                    row["name"],
                    row["state"],
                    row["state_name"],
                    tuple(c for c in row["counties"].split(";") if c),
                )
                for row in reader
            }
    except (OSError, KeyError, ValueError, csv.Error) as error:
        raise DataError(path, f"unreadable places file ({error})") from None


def iter_observations(folder: Path, level: Level) -> Iterator[Row]:
    """Every observation of one level in a shipped dataset, in file order.

    Raises:
        DataError: the file is missing or malformed.
    """
    path = folder / observations_file(level)
    reader = None
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            if tuple(next(reader)) != OBSERVATION_COLUMNS:
                raise DataError(path, "unexpected header", line=1)
            for cells in reader:
                variable, fips, year, st, sg, value, lb, ub, quality = cells
                yield (
                    variable,
                    fips,
                    int(year),
                    st,
                    sg,
                    float(value),
                    float(lb) if lb else None,
                    float(ub) if ub else None,
                    int(quality) if quality else None,
                )
    except (OSError, EOFError, ValueError, csv.Error) as error:
        line = reader.line_num if reader is not None else None
        raise DataError(path, f"unreadable observations ({error})", line=line) from None


def read_provenance(folder: Path) -> dict[str, Any]:
    """The provenance record of a shipped dataset.

    Raises:
        DataError: missing or not JSON.
    """
    path = folder / PROVENANCE_FILE
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataError(path, f"unreadable provenance ({error})") from None
    return data


def dataset_hash(folder: Path) -> str:
    """A content hash of the dataset's files (names and bytes); empty when there is none."""
    if not (folder / PLACES_FILE).is_file():
        return ""
    digest = hashlib.sha256()
    for name in dataset_files():
        path = folder / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()
