"""``mobility-kg data import``: a checkout of the upstream repository -> the shipped dataset.

Everything is read and checked before anything is written; the new dataset is written to a
sibling folder and swapped in by rename, so a bad file or a crash leaves the old one as it was.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mobility_kg.data.city_points import CITY_POINTS_FILE
from mobility_kg.data.dataset import (
    PLACES_FILE,
    PROVENANCE_FILE,
    README_FILE,
    observations_bytes,
    observations_file,
    places_text,
)
from mobility_kg.data.geometry import GEOMETRY_FILE
from mobility_kg.data.readme import readme_text
from mobility_kg.data.sources import (
    ABSENT,
    ATTRIBUTION,
    CITY_COUNTIES,
    CITY_NAMES,
    COUNTY_NAMES,
    REPOSITORY,
    SOURCES,
    VARIABLES,
    Level,
)
from mobility_kg.data.upstream import Row, read_places, read_source
from mobility_kg.errors import DuplicateRow

KEPT_FILES = (GEOMETRY_FILE, CITY_POINTS_FILE)


@dataclass(frozen=True, slots=True)
class ImportReport:
    folder: Path
    commit: str
    places: dict[str, int]
    observations: dict[str, int]
    files_read: int
    files_absent: tuple[str, ...]
    bytes_written: int


def upstream_commit(root: Path) -> str:
    """The commit a git checkout is at (read from ``.git``), or "" when it is not one."""
    git = root / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if head.startswith("ref: "):
            ref = head[5:]
            loose = git / ref
            if loose.is_file():
                return loose.read_text(encoding="utf-8").strip()
            for line in (git / "packed-refs").read_text(encoding="utf-8").splitlines():
                if line.endswith(" " + ref):
                    return line.split(" ", 1)[0]
            return ""
        return head
    except OSError:
        return ""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_upstream(root: Path, target: Path, commit: str | None = None) -> ImportReport:
    """Read every source file under ``root`` and rewrite the dataset in ``target``.

    Source files missing from ``root`` are skipped and listed as absent in the coverage table.

    Raises:
        DataError (MissingColumn, MalformedNumber, UnknownFips, QualityOutOfRange,
            DuplicateRow): a bad input; nothing is written.
    """
    commit = commit or upstream_commit(root) or "unknown"
    places = read_places(root)
    rows: dict[Level, list[tuple[Row, int, int]]] = {level: [] for level in Level}
    files: dict[str, str] = {}
    read: list[int] = []
    absent = [path for path, *_ in ABSENT]
    for index, source in enumerate(SOURCES):
        path = root / source.path
        if not path.is_file():
            absent.append(source.path)
            continue
        read.append(index)
        files[source.path] = _sha256(path)
        bucket = rows[source.level]
        for row, line in read_source(root, source, places):
            bucket.append((row, index, line))
    for name in (COUNTY_NAMES, CITY_NAMES, CITY_COUNTIES):
        if (root / name).is_file():
            files[name] = _sha256(root / name)
    sorted_rows = {level: _sorted_unique(bucket) for level, bucket in rows.items()}
    provenance = _provenance(commit, files, rows, absent)
    payload: dict[str, bytes] = {
        PLACES_FILE: places_text(sorted(places.values(), key=lambda p: p.fips)).encode(),
        **{
            observations_file(level): observations_bytes(r for r, _, _ in sorted_rows[level])
            for level in Level
        },
        PROVENANCE_FILE: (json.dumps(provenance, indent=1, sort_keys=True) + "\n").encode(),
    }
    payload[README_FILE] = readme_text(provenance).encode()
    _replace_folder(target, payload)
    return ImportReport(
        target,
        commit,
        {level: sum(p.level is level for p in places.values()) for level in Level},
        {level: len(sorted_rows[level]) for level in Level},
        len(read),
        tuple(sorted(set(absent))),
        sum(len(b) for b in payload.values()),
    )


def _sorted_unique(bucket: list[tuple[Row, int, int]]) -> list[tuple[Row, int, int]]:
    """Rows sorted by variable, subgroup, year, place.

    Raises:
        DuplicateRow: two rows share variable, place, year and subgroup.
    """
    bucket.sort(key=lambda item: (item[0][0], item[0][3], item[0][4], item[0][2], item[0][1]))
    for before, after in itertools.pairwise(bucket):
        if before[0][:5] == after[0][:5]:
            row, index, line = after
            first = SOURCES[before[1]].path
            column = {v: c for c, v in SOURCES[index].columns}[row[0]]
            raise DuplicateRow(
                SOURCES[index].path,
                f"second row for {row[0]}, {row[1]}, {row[2]}, subgroup {row[3]}/{row[4]} "
                f"(first in {first}:{before[2]})",
                line=line,
                column=column,
            )
    return bucket


def _provenance(
    commit: str,
    files: dict[str, str],
    rows: dict[Level, list[tuple[Row, int, int]]],
    absent: list[str],
) -> dict[str, Any]:
    years: dict[tuple[int, str], set[int]] = defaultdict(set)
    subgroups: dict[tuple[int, str], set[str]] = defaultdict(set)
    labels: set[tuple[str, str]] = set()
    for bucket in rows.values():
        for row, index, _ in bucket:
            years[index, row[0]].add(row[2])
            subgroups[index, row[0]].add(row[3])
            labels.add((row[3], row[4]))
    variables: dict[str, Any] = {}
    for name, variable in VARIABLES.items():
        sources = [
            {
                "path": source.path,
                "column": column,
                "level": str(source.level),
                "subgroup_types": sorted(subgroups[index, name]),
                "years": sorted(years[index, name]),
            }
            for index, source in enumerate(SOURCES)
            for column, target in source.columns
            if target == name and (index, name) in years
        ]
        variables[name] = {
            "metric": variable.metric,
            "unit": str(variable.unit),
            "label": variable.label,
            "higher_is_better": variable.higher_is_better,
            "sources": sources,
        }
    return {
        "repository": REPOSITORY,
        "commit": commit,
        "attribution": ATTRIBUTION,
        "imported_by": "mobility-kg data import",
        "files": files,
        "absent_files": sorted(set(absent)),
        "absent_coverage": [
            {"path": path, "metric": metric, "level": str(level), "subgroup_types": types}
            for path, metric, level, types in ABSENT
        ],
        "variables": variables,
        "subgroups": [list(pair) for pair in sorted(labels)],
    }


def _replace_folder(target: Path, payload: dict[str, bytes]) -> None:
    """Write ``payload`` as a folder beside ``target``, then swap it in by rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new."))
    old = target.parent / f".{target.name}.old"
    # The map geometry and city points come from other sources (``data map``, ``data
    # cities``): they survive an import.
    kept = {n: (target / n).read_bytes() for n in KEPT_FILES if (target / n).is_file()}
    try:
        for name, data in {**kept, **payload}.items():
            with (fresh / name).open("wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(fresh, target)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
