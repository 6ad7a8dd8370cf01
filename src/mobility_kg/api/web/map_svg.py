"""A county map of one variable as server-rendered SVG: counties coloured by value on a
colour-blind-safe sequential scale (viridis, in quintiles), Weak values hatched and missing
values grey, each county a link to its page with a ``<title>`` (name and value).

The SVG needs no script and no network: the shapes come from the shipped geometry
(:mod:`mobility_kg.data.geometry`), and every piece of text in it is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from mobility_kg.data.geometry import Geometry
from mobility_kg.data.query import Value

# viridis at 5 evenly spaced stops: distinct for the common colour-vision deficiencies and in
# greyscale (dark to light).
VIRIDIS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
MISSING = "#d4d4d4"
WEAK_PATTERN = "weak"
LEGEND_PATTERN = "weak-legend"
HATCH = "#555555"
STATE_LINE = "#ffffff"
MARGIN = 6.0
CITY_RADIUS = 3.2  # map units on the national map (975 x 610)
CITY_ZOOMED = 1.6  # a state's map has fewer cities: they are drawn this much larger
CITY_LINE = "#1a1a1a"


@dataclass(frozen=True, slots=True)
class CityMark:
    """A city point: its FIPS, map point, name and value (None: no value that year)."""

    fips: str
    point: tuple[float, float]
    name: str
    value: Value | None


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One line of the legend: a colour (or ``url(#...)``) and what it stands for; a city
    entry is drawn as a circle (dashed for Weak values) and counts cities."""

    fill: str
    label: str
    count: int
    city: bool = False
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Scale:
    """Class breaks (``len(colors) - 1`` upper bounds, ascending) and their colours."""

    breaks: tuple[float, ...]
    colors: tuple[str, ...] = VIRIDIS

    def color(self, value: float) -> str:
        for bound, color in zip(self.breaks, self.colors, strict=False):
            if value <= bound:
                return color
        return self.colors[len(self.breaks)] if self.breaks else self.colors[0]


def quantile_scale(values: list[float], colors: tuple[str, ...] = VIRIDIS) -> Scale:
    """Breaks at the quantiles of ``values`` (equal-count classes); duplicate breaks merge,
    so a variable with few distinct values gets fewer classes."""
    ordered = sorted(values)
    if not ordered:
        return Scale((), colors)
    classes = len(colors)
    breaks: list[float] = []
    for k in range(1, classes):
        bound = ordered[min(len(ordered) - 1, (k * len(ordered)) // classes - 1)]
        if bound < ordered[-1] and (not breaks or bound > breaks[-1]):
            breaks.append(bound)
    used = len(breaks) + 1
    if used == 1:  # one value only: the middle of the ramp
        return Scale((), (colors[classes // 2],))
    # Spread the used classes over the whole ramp, so two classes are dark and light.
    picked = tuple(colors[round(i * (classes - 1) / (used - 1))] for i in range(used))
    return Scale(tuple(breaks), picked)


def legend(
    scale: Scale,
    every: Mapping[str, Value],
    shown: Mapping[str, Value],
    missing: int,
    fmt: Callable[[float], str],
) -> list[LegendEntry]:
    """The classes with their value ranges (from ``every`` value the scale was made from) and
    how many of the ``shown`` counties fall in each, then Weak and missing."""
    firm = sorted(v.value for v in every.values() if v.quality != "Weak")
    counts = [0] * len(scale.colors)
    weak = 0
    for value in shown.values():
        if value.quality == "Weak":
            weak += 1
        else:
            counts[scale.colors.index(scale.color(value.value))] += 1
    entries = []
    if firm:
        bounds = [*scale.breaks, firm[-1]]
        low = firm[0]
        for index, bound in enumerate(bounds):
            label = fmt(low) if fmt(low) == fmt(bound) else f"{fmt(low)} to {fmt(bound)}"
            entries.append(LegendEntry(scale.colors[index], label, counts[index]))
            low = min((v for v in firm if v > bound), default=bound)
    entries.append(LegendEntry(f"url(#{LEGEND_PATTERN})", "Weak quality: value not shown", weak))
    entries.append(LegendEntry(MISSING, "No value", missing))
    return entries


def city_legend(cities: Sequence[CityMark]) -> list[LegendEntry]:
    """The legend's city lines: with a value (coloured as counties), Weak, and no value."""
    weak = sum(1 for c in cities if c.value is not None and c.value.quality == "Weak")
    missing = sum(1 for c in cities if c.value is None)
    firm = len(cities) - weak - missing
    return [
        LegendEntry(VIRIDIS[2], "City of 75,000+ people: coloured as counties", firm, True),
        LegendEntry(
            f"url(#{LEGEND_PATTERN})", "City, Weak quality: value not shown", weak, True, True
        ),
        LegendEntry(MISSING, "City without a value", missing, True),
    ]


def hatch_pattern(pattern_id: str, size: float, line: float) -> str:
    """The diagonal hatch that marks Weak values (on the map and in the legend)."""
    return (
        f'<pattern id="{pattern_id}" width="{size:.2f}" height="{size:.2f}" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="{size:.2f}" height="{size:.2f}" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="{size:.2f}" stroke="{HATCH}" '
        f'stroke-width="{line:.2f}"/></pattern>'
    )


def view_box(geometry: Geometry, state_code: str | None) -> tuple[float, float, float, float]:
    """x, y, width, height: the whole map, or a state's counties with a margin."""
    box = geometry.state_box(state_code) if state_code else None
    if box is None:
        return (0.0, 0.0, geometry.width, geometry.height)
    x0, y0, x1, y1 = box
    return (
        round(x0 - MARGIN, 1),
        round(y0 - MARGIN, 1),
        round(x1 - x0 + 2 * MARGIN, 1),
        round(y1 - y0 + 2 * MARGIN, 1),
    )


def map_svg(
    geometry: Geometry,
    values: Mapping[str, Value],
    scale: Scale,
    *,
    title: str,
    names: Mapping[str, str],
    fmt: Callable[[float], str],
    state_code: str | None = None,
    cities: Sequence[CityMark] = (),
) -> str:
    """The map: every county (of ``state_code`` only, when given) as a filled path; those in
    ``names`` (the places with a page) wrapped in a link with a ``<title>``; then ``cities``
    as circles on top, each a link with a ``<title>`` too."""
    x, y, width, height = view_box(geometry, state_code)
    stroke = max(0.05, round(0.25 * width / geometry.width, 3))
    parts = [
        f'<svg class="map" viewBox="{x} {y} {width} {height}" role="group" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<defs>{hatch_pattern(WEAK_PATTERN, 12 * stroke, 4 * stroke)}</defs>",
        f'<g class="counties" stroke="#ffffff" stroke-width="{stroke}">',
    ]
    for fips, shape in geometry.counties.items():
        if state_code and not fips.startswith(state_code):
            continue
        fill, said = said_and_fill(values.get(fips), scale, fmt)
        path = f'<path d="{shape.path}" fill="{fill}"/>'
        name = names.get(fips)
        if name is None:
            parts.append(path)
            continue
        parts.append(
            f'<a href="/id/place/{fips}" data-fips="{fips}"><title>{escape(name)}: '
            f"{escape(said)}</title>{path}</a>"
        )
    parts.append("</g>")
    parts.append(
        f'<g class="states" fill="none" stroke="{STATE_LINE}" stroke-width="{stroke * 3:.2f}" '
        'aria-hidden="true" pointer-events="none">'
    )
    for code, shape in geometry.states.items():
        if state_code and code != state_code:
            continue
        parts.append(f'<path d="{shape.path}"/>')
    parts.append("</g>")
    if cities:
        zoom = max(width / geometry.width, height / geometry.height)
        grow = CITY_ZOOMED if state_code else 1.0
        parts.append(city_marks(cities, scale, fmt, zoom * grow, stroke * grow))
    parts.append("</svg>")
    return "".join(parts)


def said_and_fill(
    value: Value | None, scale: Scale, fmt: Callable[[float], str]
) -> tuple[str, str]:
    """(fill, words) of a value: the scale's colour, the Weak hatch, or the missing grey."""
    if value is None:
        return MISSING, "no value"
    if value.quality == "Weak":
        return f"url(#{WEAK_PATTERN})", f"{fmt(value.value)} (Weak quality)"
    return scale.color(value.value), fmt(value.value)


def city_marks(
    cities: Sequence[CityMark],
    scale: Scale,
    fmt: Callable[[float], str],
    zoom: float,
    stroke: float,
) -> str:
    """The cities as outlined circles (``zoom``: how much of the map the view shows, so that a
    circle keeps about its size on screen); a Weak value is hatched with a dashed outline, no
    value grey."""
    radius = round(CITY_RADIUS * zoom, 3)
    line = round(stroke * 2.4, 3)
    parts = [f'<g class="cities" stroke="{CITY_LINE}" stroke-width="{line}">']
    for city in cities:
        fill, said = said_and_fill(city.value, scale, fmt)
        dash = (
            f' stroke-dasharray="{line * 1.5:.3f} {line:.3f}"'
            if city.value is not None and city.value.quality == "Weak"
            else ""
        )
        x, y = city.point
        parts.append(
            f'<a href="/id/place/{city.fips}" data-city="{city.fips}"><title>'
            f"{escape(city.name)} (city): {escape(said)}</title>"
            f'<circle cx="{x:g}" cy="{y:g}" r="{radius:g}" fill="{fill}"{dash}/></a>'
        )
    parts.append("</g>")
    return "".join(parts)
