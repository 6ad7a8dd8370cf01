"""Percentiles of values among places of one level, nationally and within each state."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def percentiles(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The mid-rank percentile (0-100) of each value among all of them.

    A value's percentile is 100 x (values below it + half the values equal to it) / count:
    the lowest of four distinct values gets 12.5, the highest 87.5, ties share one
    percentile, and a single value gets 50. The order is that of the values, whatever a
    higher value means for the place.

    >>> percentiles(np.array([3.0, 1.0, 2.0, 2.0])).tolist()
    [87.5, 12.5, 50.0, 50.0]
    """
    ordered = np.sort(values)
    below = np.searchsorted(ordered, values, side="left")
    through = np.searchsorted(ordered, values, side="right")
    result: npt.NDArray[np.float64] = 100.0 * (below + 0.5 * (through - below)) / len(values)
    return result


def national_and_state(
    values: Sequence[float], states: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Each value's percentile among all ``values``, and among those of the same state."""
    array = np.asarray(values, dtype=np.float64)
    national = percentiles(array)
    by_state = np.empty_like(array)
    codes = np.asarray(states)
    for state in np.unique(codes):
        mask = codes == state
        by_state[mask] = percentiles(array[mask])
    return national, by_state
