"""County and state outlines for the maps: converted once from the npm package ``us-atlas``
and shipped as a small gzip JSON file beside the dataset.

``us-atlas``'s ``counties-albers-10m.json`` is TopoJSON: every shared border is stored once
as an *arc*, a list of quantized points of which all but the first are deltas from the point
before; a polygon is a list of rings, each a list of arc indexes (``~i``, written as a negative
number, is arc ``i`` reversed). The coordinates are already projected (Albers USA into a
975 x 610 box), so decoding gives SVG coordinates directly. The shipped file keeps, per county
and per state, one SVG path ``d`` string with points rounded to a tenth of a unit and written
as relative moves, and each county's bounding box (to zoom on a state).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mobility_kg.errors import DataError

GEOMETRY_FILE = "counties-albers.json.gz"
SOURCE_FILE = "counties-albers-10m.json"
PACKAGE = "us-atlas"
PACKAGE_VERSION = "3.0.1"
ATTRIBUTION = (
    "County and state boundaries: U.S. Census Bureau, cartographic boundary files (2017 "
    "edition), as packaged in the npm package us-atlas 3.0.1 by Mike Bostock (ISC licence), "
    "file counties-albers-10m.json (projected with d3.geoAlbersUsa into 975 x 610)."
)
Point = tuple[float, float]
DOT_RADIUS = 0.8  # map units (the map is 975 wide)
Ring = list[Point]


@dataclass(frozen=True, slots=True)
class Shape:
    """One county or state: its name, SVG path and bounding box (x0, y0, x1, y1)."""

    id: str
    name: str
    path: str
    box: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Geometry:
    """The shipped map: a width x height box of county and state shapes, by FIPS code."""

    width: float
    height: float
    counties: dict[str, Shape]
    states: dict[str, Shape]
    provenance: dict[str, str]

    def state_box(self, state_code: str) -> tuple[float, float, float, float] | None:
        """The box around a state's counties (``state_code``: 2-digit FIPS), or None."""
        boxes = [s.box for f, s in self.counties.items() if f.startswith(state_code)]
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Every arc of a TopoJSON topology as absolute points (dequantized when quantized)."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points: Ring = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs: Sequence[Ring], indexes: Sequence[int]) -> Ring:
    """A ring from arc indexes: ``~i`` is arc i reversed; joined arcs share an end point."""
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def path_data(rings: Sequence[Ring], digits: int = 1) -> str:
    """An SVG path ``d`` for closed rings: absolute start, then relative steps, rounded.

    Steps are the differences of rounded points, so rounding never accumulates; a step that
    rounds to nothing is dropped.
    """
    factor = 10**digits
    parts: list[str] = []
    for ring in rings:
        previous: tuple[int, int] | None = None
        steps: list[str] = []
        for x, y in ring:
            point = (round(x * factor), round(y * factor))
            if previous is None:
                steps.append(f"M{_num(point[0], digits)} {_num(point[1], digits)}")
            elif point != previous:
                dx, dy = point[0] - previous[0], point[1] - previous[1]
                steps.append(f"{_num(dx, digits)}{_signed(dy, digits)}")
            previous = point
        if len(steps) > 2:
            parts.append(steps[0] + "l" + " ".join(_joined(steps[1:])) + "z")
    return "".join(parts)


def dot_path(center: Point, radius: float) -> str:
    """A small circle as an SVG path (two arcs)."""
    x, y = round(center[0] - radius, 1), round(center[1], 1)
    arc = f"a{radius:g} {radius:g} 0 1 0"
    return f"M{x:g} {y:g}{arc} {2 * radius:g} 0{arc} {-2 * radius:g} 0z"


def _num(value: int, digits: int) -> str:
    text = f"{value / 10**digits:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _signed(value: int, digits: int) -> str:
    text = _num(value, digits)
    return text if text.startswith("-") else " " + text


def _joined(steps: list[str]) -> list[str]:
    # "1.2 -3" then "-0.5 2" can touch without a space: SVG reads a minus as a new number.
    return [s.replace(" -", "-") for s in steps]


def _shape(geometry: dict[str, Any], arcs: Sequence[Ring]) -> Shape | None:
    rings = [ring_points(arcs, ring) for polygon in _polygons(geometry) for ring in polygon]
    points = [p for ring in rings for p in ring]
    if not points:
        return None
    box = (
        round(min(p[0] for p in points), 1),
        round(min(p[1] for p in points), 1),
        round(max(p[0] for p in points), 1),
        round(max(p[1] for p in points), 1),
    )
    name = str(geometry.get("properties", {}).get("name", ""))
    # A county smaller than the rounding keeps more decimals; one that the atlas's own
    # simplification shrank to a point (Lexington, VA) becomes a small dot, so none vanishes.
    path = path_data(rings) or path_data(rings, 2) or dot_path(points[0], DOT_RADIUS)
    return Shape(str(geometry.get("id", "")), name, path, box)


def convert_topology(topology: dict[str, Any], source: str) -> dict[str, Any]:
    """The shipped form of a ``counties-albers-10m.json`` topology (a JSON-able dict).

    Raises:
        DataError: the topology lacks the ``counties`` or ``states`` object.
    """
    objects = topology.get("objects", {})
    for needed in ("counties", "states"):
        if needed not in objects:
            raise DataError(source, f'no "{needed}" object in the topology')
    arcs = decode_arcs(topology)
    result: dict[str, Any] = {}
    for kind in ("counties", "states"):
        shapes = {}
        for geometry in objects[kind]["geometries"]:
            shape = _shape(geometry, arcs)
            if shape is not None and shape.id:
                shapes[shape.id] = {"name": shape.name, "d": shape.path, "box": list(shape.box)}
        result[kind] = dict(sorted(shapes.items()))
    bbox = topology.get("bbox", [0, 0, 975, 610])
    return {
        "provenance": {
            "package": PACKAGE,
            "version": PACKAGE_VERSION,
            "file": SOURCE_FILE,
            "attribution": ATTRIBUTION,
            "source": "https://www.census.gov/geographies/mapping-files/time-series/geo/carto-boundary-file.html",
        },
        "width": 975 if bbox[2] <= 975 else round(bbox[2]),
        "height": 610 if bbox[3] <= 610 else round(bbox[3]),
        **result,
    }


def convert_atlas(package_dir: Path, target: Path) -> Path:
    """Read ``counties-albers-10m.json`` from an unpacked us-atlas package (the folder, or
    the file itself) and write the shipped geometry file into the folder ``target``.

    The output is byte-stable: sorted keys, and no time in the gzip header.

    Raises:
        DataError: the file is missing, not JSON, or not a counties topology.
    """
    source = package_dir if package_dir.is_file() else package_dir / SOURCE_FILE
    try:
        topology = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(str(source), "not found; unpack us-atlas 3.0.1 there") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as failure:
        raise DataError(str(source), f"not JSON: {failure}") from None
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise DataError(str(source), "not a TopoJSON topology")
    shipped = convert_topology(topology, str(source))
    text = json.dumps(shipped, sort_keys=True, separators=(",", ":"))
    target.mkdir(parents=True, exist_ok=True)
    path = target / GEOMETRY_FILE
    path.write_bytes(gzip.compress(text.encode(), compresslevel=9, mtime=0))
    return path


def read_geometry(path: Path) -> Geometry:
    """The shipped geometry file.

    Raises:
        MissingArtifact: no such file.
        DataError: the file is not a geometry file.
    """
    from mobility_kg.errors import MissingArtifact

    try:
        raw = json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:
        raise MissingArtifact(
            path, "no map geometry; write it with `mobility-kg data map`"
        ) from None
    except (OSError, ValueError) as failure:
        raise DataError(str(path), f"not a gzip JSON geometry file: {failure}") from None
    try:
        return Geometry(
            float(raw["width"]),
            float(raw["height"]),
            {k: _read_shape(k, v) for k, v in raw["counties"].items()},
            {k: _read_shape(k, v) for k, v in raw["states"].items()},
            dict(raw["provenance"]),
        )
    except (KeyError, TypeError, ValueError) as failure:
        raise DataError(str(path), f"not a geometry file: missing {failure}") from None


def _read_shape(key: str, raw: dict[str, Any]) -> Shape:
    x0, y0, x1, y1 = (float(v) for v in raw["box"])
    return Shape(key, str(raw["name"]), str(raw["d"]), (x0, y0, x1, y1))


def path_rings(path: str) -> list[Ring]:
    """The rings of a path written by :func:`path_data` or :func:`dot_path` (``M x y``, then
    relative ``l`` steps, ``z``); a dot's arcs are read as the square around its circle."""
    rings: list[Ring] = []
    for part in re.findall(r"M[^M]*", path):
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+(?:e-?\d+)?", part)]
        if "a" in part:  # a dot: M x y a r r 0 1 0 2r 0 a ... -> its bounding square
            x, y, r = numbers[0], numbers[1], numbers[2]
            rings.append([(x, y - r), (x + 2 * r, y - r), (x + 2 * r, y + r), (x, y + r)])
            continue
        x, y = numbers[0], numbers[1]
        ring = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=False):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def ring_distance(point: Point, rings: Sequence[Ring]) -> float:
    """0 when ``point`` is inside the rings (even-odd rule, so holes count), else its
    distance to their nearest edge, in map units."""
    px, py = point
    inside = False
    nearest = math.inf
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y0 > py) != (y1 > py) and px < x0 + (py - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
            dx, dy = x1 - x0, y1 - y0
            length = dx * dx + dy * dy
            t = (
                0.0
                if length == 0
                else max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / length))
            )
            nearest = min(nearest, math.hypot(px - x0 - t * dx, py - y0 - t * dy))
    return 0.0 if inside else nearest
