"""d3-geo's ``geoAlbersUsa`` for single points, so that city points land on the county shapes
of ``us-atlas``'s ``counties-albers-10m.json`` (projected with
``geoAlbersUsa().scale(1300).translate([487.5, 305])``).

It follows d3-geo 3 (``src/projection/albersUsa.js``, ``conicEqualArea.js``, ``index.js``):
a conic equal-area projection (rotated in longitude, centred, scaled, translated, y down) for
the lower 48 states, and two insets of their own for Alaska (scale x 0.35) and Hawaii; a point
goes to the first of the three whose clip rectangle holds it, or nowhere (``None``).
Only points are projected, so d3's resampling and line clipping do not apply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]
EPSILON = 1e-6  # d3-geo's epsilon, which narrows the insets' clip rectangles
ATLAS_SCALE = 1300.0
ATLAS_TRANSLATE = (487.5, 305.0)


@dataclass(frozen=True, slots=True)
class ConicEqualArea:
    """One conic equal-area projection: parallels, rotation and centre in degrees, scale in
    map units, translate the map point of the centre, and the clip rectangle
    (x0, y0, x1, y1) outside which it projects nothing."""

    parallels: tuple[float, float]
    rotate: float
    center: Point
    scale: float
    translate: Point
    clip: tuple[float, float, float, float]

    def raw(self, lam: float, phi: float) -> Point:
        """d3's ``conicEqualAreaRaw``: radians in, unit-sphere plane out (y up)."""
        y0, y1 = (math.radians(p) for p in self.parallels)
        sy0 = math.sin(y0)
        n = (sy0 + math.sin(y1)) / 2
        c = 1 + sy0 * (2 * n - sy0)
        r0 = math.sqrt(c) / n
        r = math.sqrt(c - 2 * n * math.sin(phi)) / n
        return r * math.sin(lam * n), r0 - r * math.cos(lam * n)

    def __call__(self, longitude: float, latitude: float) -> Point | None:
        """The map point of a longitude and latitude (degrees), or None outside the clip."""
        lam = math.radians(longitude + self.rotate)
        if abs(lam) > math.pi:  # d3's rotation wraps longitude into [-pi, pi]
            lam -= round(lam / math.tau) * math.tau
        x, y = self.raw(lam, math.radians(latitude))
        cx, cy = self.raw(math.radians(self.center[0]), math.radians(self.center[1]))
        tx, ty = self.translate
        px = tx + self.scale * (x - cx)
        py = ty - self.scale * (y - cy)
        x0, y0, x1, y1 = self.clip
        if x0 <= px <= x1 and y0 <= py <= y1:
            return px, py
        return None


@dataclass(frozen=True, slots=True)
class AlbersUsa:
    """The composite: lower 48, then Alaska, then Hawaii."""

    parts: tuple[ConicEqualArea, ...]

    def __call__(self, longitude: float, latitude: float) -> Point | None:
        for part in self.parts:
            point = part(longitude, latitude)
            if point is not None:
                return point
        return None


def albers_usa(scale: float = ATLAS_SCALE, translate: Point = ATLAS_TRANSLATE) -> AlbersUsa:
    """``d3.geoAlbersUsa().scale(scale).translate(translate)``; the defaults are us-atlas's."""
    k = scale
    x, y = translate
    e = EPSILON
    lower48 = ConicEqualArea(
        (29.5, 45.5),
        96.0,
        (-0.6, 38.7),
        k,
        (x, y),
        (x - 0.455 * k, y - 0.238 * k, x + 0.455 * k, y + 0.238 * k),
    )
    alaska = ConicEqualArea(
        (55.0, 65.0),
        154.0,
        (-2.0, 58.5),
        k * 0.35,
        (x - 0.307 * k, y + 0.201 * k),
        (x - 0.425 * k + e, y + 0.120 * k + e, x - 0.214 * k - e, y + 0.234 * k - e),
    )
    hawaii = ConicEqualArea(
        (8.0, 18.0),
        157.0,
        (-3.0, 19.9),
        k,
        (x - 0.205 * k, y + 0.212 * k),
        (x - 0.214 * k + e, y + 0.166 * k + e, x - 0.115 * k - e, y + 0.234 * k - e),
    )
    return AlbersUsa((lower48, alaska, hawaii))
