"""Small server-rendered SVG charts for place pages: a trend across years and a bar per
subgroup. Each is an ``<svg role="img">`` whose ``aria-label`` says the same in words; every
piece of text in it is escaped. No JavaScript."""

from __future__ import annotations

from html import escape

from mobility_kg.data.query import Value
from mobility_kg.data.subgroups import GroupValue

TREND_WIDTH, TREND_HEIGHT, PAD = 104, 36, 5
BAR_WIDTH, BAR_HEIGHT = 120, 14
INK = "#1d2433"
LINE = "#0b5cad"
WEAK = "#a40000"
MINUS = "\u2212"  # reads as "minus" to a screen reader, unlike a hyphen


def number(value: float | None, unit: str = "") -> str:
    """A value as a reader expects it: shares as percentages, dollars with a sign."""
    if value is None:
        return "-"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "dollars":
        return f"${value:,.0f}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit.startswith("rate"):
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def _words(years: dict[int, Value], unit: str) -> str:
    parts = []
    for year, value in sorted(years.items()):
        weak = " (weak)" if value.quality == "Weak" else ""
        parts.append(f"{year}: {number(value.value, unit)}{weak}")
    return "; ".join(parts)


def trend_svg(label: str, years: dict[int, Value], unit: str) -> str:
    """A line of the values across years (a dot per year; Weak years hollow and red), with
    the words as its text alternative; one year alone is a dot."""
    alternative = f"{label}, by year: {_words(years, unit)}"
    ordered = sorted(years.items())
    if not ordered:
        return ""
    values = [v.value for _, v in ordered]
    low, high = min(values), max(values)
    first, last = ordered[0][0], ordered[-1][0]
    span_x = TREND_WIDTH - 2 * PAD
    span_y = TREND_HEIGHT - 2 * PAD

    def x(year: int) -> float:
        return PAD + (span_x * (year - first) / (last - first) if last > first else span_x / 2)

    def y(value: float) -> float:
        return PAD + (span_y * (high - value) / (high - low) if high > low else span_y / 2)

    points = " ".join(f"{x(yr):.1f},{y(v.value):.1f}" for yr, v in ordered)
    dots = []
    for yr, v in ordered:
        weak = v.quality == "Weak"
        fill = "#fff" if weak else LINE
        stroke = WEAK if weak else LINE
        dots.append(
            f'<circle cx="{x(yr):.1f}" cy="{y(v.value):.1f}" r="2.6" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.4"/>'
        )
    line = (
        f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.5"/>'
        if len(ordered) > 1
        else ""
    )
    return (
        f'<svg class="trend" role="img" aria-label="{escape(alternative)}" '
        f'width="{TREND_WIDTH}" height="{TREND_HEIGHT}" '
        f'viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(alternative)}</title>{line}{''.join(dots)}</svg>"
    )


def gap_bars_svg(groups: list[GroupValue], overall: Value | None, unit: str) -> dict[str, str]:
    """One bar per group (label -> SVG), all on one scale from 0, with the whole
    population's value as a dark mark so the gaps read at a glance; each bar says its value
    and gap in its text alternative."""
    top = max([abs(g.value.value) for g in groups] + [abs(overall.value) if overall else 0.0])
    top = top or 1.0
    at = BAR_WIDTH * abs(overall.value) / top if overall is not None else 0.0
    mark = (
        f'<line x1="{at:.1f}" x2="{at:.1f}" y1="0" y2="{BAR_HEIGHT}" stroke="{INK}" '
        'stroke-width="2"/>'
        if overall is not None
        else ""
    )
    bars = {}
    for group in groups:
        width = BAR_WIDTH * abs(group.value.value) / top
        gap = (
            f", {signed(group.gap, unit)} from all residents ({number(overall.value, unit)})"
            if group.gap is not None and overall is not None
            else ""
        )
        words = f"{group.label}: {number(group.value.value, unit)}{gap}"
        fill = "url(#weak-hatch)" if group.value.quality == "Weak" else LINE
        bars[group.label] = (
            f'<svg class="bar" role="img" aria-label="{escape(words)}" width="{BAR_WIDTH}" '
            f'height="{BAR_HEIGHT}" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(words)}</title>'
            f'<rect x="0" y="2" width="{width:.1f}" height="{BAR_HEIGHT - 4}" fill="{fill}" '
            f'stroke="{LINE}"/>{mark}</svg>'
        )
    return bars


def signed(value: float | None, unit: str) -> str:
    """A difference with its sign (a true minus sign); shares in percentage points."""
    if value is None:
        return "-"
    sign = "+" if value > 0 else MINUS if value < 0 else "±"
    if unit == "share":
        return f"{sign}{abs(value) * 100:.1f} pts"
    return sign + number(abs(value), unit)


def percentile_svg(label: str, percentile: float | None) -> str:
    """Where a value stands among all places of its level: a 0-100 track, a tick at the
    median and a dot at the percentile; the words are its text alternative."""
    if percentile is None:
        return ""
    words = f"{label}: national percentile {percentile:.0f} (median 50)"
    at = PAD + (BAR_WIDTH - 2 * PAD) * max(0.0, min(100.0, percentile)) / 100
    middle = PAD + (BAR_WIDTH - 2 * PAD) / 2
    return (
        f'<svg class="bar" role="img" aria-label="{escape(words)}" width="{BAR_WIDTH}" '
        f'height="{BAR_HEIGHT}" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(words)}</title>'
        f'<line x1="{PAD}" x2="{BAR_WIDTH - PAD}" y1="{BAR_HEIGHT / 2}" y2="{BAR_HEIGHT / 2}" '
        f'stroke="#6b7280" stroke-width="2"/>'
        f'<line x1="{middle:.1f}" x2="{middle:.1f}" y1="2" y2="{BAR_HEIGHT - 2}" stroke="{INK}" '
        f'stroke-width="1.5"/>'
        f'<circle cx="{at:.1f}" cy="{BAR_HEIGHT / 2}" r="4" fill="{LINE}"/></svg>'
    )
