"""A columnar copy of the whole population's values, for rankings.

Ranking every county by one variable asks the store for thousands of observations by
subject, about 150 ms; the same rows sliced from sorted numpy columns take a millisecond. The
table is written in the same pass that feeds the store, from the same values and percentiles,
and named by the same key.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from mobility_kg.data.sources import QUALITY_LABELS, VARIABLES, Level
from mobility_kg.data.upstream import Row

_NAMES = list(VARIABLES)
_INDEX = {name: i for i, name in enumerate(_NAMES)}


@dataclass
class _Columns:
    variable: array[int] = field(default_factory=lambda: array("h"))
    year: array[int] = field(default_factory=lambda: array("h"))
    place: list[str] = field(default_factory=list)
    value: array[float] = field(default_factory=lambda: array("d"))
    lower: array[float] = field(default_factory=lambda: array("d"))
    upper: array[float] = field(default_factory=lambda: array("d"))
    quality: array[int] = field(default_factory=lambda: array("b"))
    national: array[float] = field(default_factory=lambda: array("f"))
    state: array[float] = field(default_factory=lambda: array("f"))


class TableWriter:
    """Collects whole-population groups (one variable, level and year) as they stream by."""

    def __init__(self) -> None:
        self._levels = {level: _Columns() for level in Level}

    def add(
        self,
        level: Level,
        group: list[Row],
        national: npt.NDArray[np.float64],
        state: npt.NDArray[np.float64],
    ) -> None:
        columns = self._levels[level]
        nan = float("nan")
        for i, (variable, fips, year, _, _, value, lb, ub, q) in enumerate(group):
            columns.variable.append(_INDEX[variable])
            columns.year.append(year)
            columns.place.append(fips)
            columns.value.append(value)
            columns.lower.append(nan if lb is None else lb)
            columns.upper.append(nan if ub is None else ub)
            columns.quality.append(q or 0)
            columns.national.append(round(float(national[i]), 1))
            columns.state.append(round(float(state[i]), 1))

    def write(self, path: Path) -> None:
        arrays: dict[str, npt.NDArray[np.generic]] = {"variables": np.array(_NAMES)}
        for level, c in self._levels.items():
            arrays[f"{level}.variable"] = np.frombuffer(c.variable, dtype=np.int16)
            arrays[f"{level}.year"] = np.frombuffer(c.year, dtype=np.int16)
            arrays[f"{level}.place"] = np.array(c.place, dtype="U7")
            arrays[f"{level}.value"] = np.frombuffer(c.value, dtype=np.float64)
            arrays[f"{level}.lower"] = np.frombuffer(c.lower, dtype=np.float64)
            arrays[f"{level}.upper"] = np.frombuffer(c.upper, dtype=np.float64)
            arrays[f"{level}.quality"] = np.frombuffer(c.quality, dtype=np.int8)
            arrays[f"{level}.national"] = np.frombuffer(c.national, dtype=np.float32)
            arrays[f"{level}.state"] = np.frombuffer(c.state, dtype=np.float32)
        with path.open("wb") as stream:
            np.savez(stream, **arrays)  # type: ignore[arg-type]  # numpy's stub is narrower


@dataclass(frozen=True, slots=True)
class TableRow:
    fips: str
    value: float
    lower_bound: float | None
    upper_bound: float | None
    quality: str | None
    national_percentile: float
    state_percentile: float


class RankTable:
    """The table, loaded; rows of one (variable, level, year) by slice."""

    def __init__(self, path: Path) -> None:
        with np.load(path) as loaded:
            self._columns = {key: loaded[key] for key in loaded.files}
        names = [str(n) for n in self._columns["variables"]]
        self._slices: dict[tuple[str, str, int], tuple[int, int]] = {}
        for level in Level:
            variables = self._columns[f"{level}.variable"]
            years = self._columns[f"{level}.year"]
            if len(variables) == 0:
                continue
            keys = variables.astype(np.int32) * 10000 + years.astype(np.int32)
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            ends = np.r_[starts[1:], len(keys)]
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                key = (names[int(variables[start])], str(level), int(years[start]))
                self._slices[key] = (start, end)

    def rows(self, variable: str, level: Level, year: int) -> list[TableRow] | None:
        """The rows, or None when the table has no such group."""
        found = self._slices.get((variable, str(level), year))
        if found is None:
            return None
        start, end = found
        c = {name: self._columns[f"{level}.{name}"][start:end] for name in (
            "place", "value", "lower", "upper", "quality", "national", "state"
        )}  # fmt: skip
        result = []
        for i in range(end - start):
            lower, upper = float(c["lower"][i]), float(c["upper"][i])
            result.append(
                TableRow(
                    str(c["place"][i]),
                    float(c["value"][i]),
                    None if lower != lower else lower,
                    None if upper != upper else upper,
                    QUALITY_LABELS.get(int(c["quality"][i])),
                    round(float(c["national"][i]), 1),
                    round(float(c["state"][i]), 1),
                )
            )
        return result
