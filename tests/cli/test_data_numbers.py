"""How `place` and `rank` print numbers: never in exponent form, units kept."""

import pytest

import mobility_kg.cli  # noqa: F401  (cli_data is loaded through cli, which it imports)
from mobility_kg.cli_data import _change, _number


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        (-1644.2, "rate per 100,000", "-1,644"),
        (-89.34, "rate per 100,000", "-89.3"),
        (337.0, "count", "+337"),
        (12500.0, "count", "+12,500"),
        (0.012, "share", "+1.2 points"),
        (-2500.0, "dollars", "-$2,500"),
    ],
)
def test_change_is_written_out(value: float, unit: str, printed: str) -> None:
    assert _change(value, unit) == printed
    assert "e+" not in _change(value * 1000, unit)


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [(4375.4, "", "4,375"), (950.2, "", "950"), (0.587, "share", "58.7%"), (None, "", "-")],
)
def test_number(value: float | None, unit: str, printed: str) -> None:
    assert _number(value, unit) == printed
