"""The map geometry: TopoJSON decoding on a topology small enough to check by hand, and the
shipped file converted from us-atlas."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mobility_kg.cli import app
from mobility_kg.data.geometry import (
    GEOMETRY_FILE,
    convert_atlas,
    convert_topology,
    decode_arcs,
    path_data,
    read_geometry,
    ring_points,
)
from mobility_kg.data.sources import STATES
from mobility_kg.errors import DataError, MissingArtifact

ROOT = Path(__file__).resolve().parents[2]
PLACES = ROOT / "corpus" / "data" / "places.csv"
# Two unit squares side by side sharing the edge x=1 (arc 1), quantized with scale (0.5, 0.25)
# and translated by (10, 20): arc 0 runs (1,0)->(0,0)->(0,1)->(1,1) around the left square,
# arc 1 is the shared edge (1,1)->(1,0), arc 2 runs (1,1)->(2,1)->(2,0)->(1,0) around the
# right one, which then takes the shared edge backwards (~1).
TOPOLOGY = {
    "type": "Topology",
    "bbox": [10, 20, 11, 20.5],
    "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
    "objects": {
        "counties": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "27001", "properties": {"name": "A"}},
                {"type": "Polygon", "arcs": [[2, ~1]], "id": "27003", "properties": {"name": "B"}},
            ],
        },
        "states": {
            "type": "GeometryCollection",
            "geometries": [{"type": "MultiPolygon", "arcs": [[[0, 2]]], "id": "27"}],
        },
    },
    "arcs": [
        [[1, 0], [-1, 0], [0, 1], [1, 0]],
        [[1, 1], [0, -1]],
        [[1, 1], [1, 0], [0, -1], [-1, 0]],
    ],
}


def test_arcs_are_undeltaed_and_dequantized() -> None:
    arcs = decode_arcs(TOPOLOGY)
    assert arcs[0] == [(10.5, 20.0), (10.0, 20.0), (10.0, 20.25), (10.5, 20.25)]
    assert arcs[1] == [(10.5, 20.25), (10.5, 20.0)]


def test_a_negative_index_is_the_arc_reversed_and_joins_drop_the_shared_point() -> None:
    arcs = decode_arcs(TOPOLOGY)
    ring = ring_points(arcs, [2, ~1])
    assert ring == [
        (10.5, 20.25),
        (11.0, 20.25),
        (11.0, 20.0),
        (10.5, 20.0),
        (10.5, 20.25),  # arc 1 reversed: its first point (10.5, 20.0) is not repeated
    ]


def test_path_data_is_relative_rounded_and_never_accumulates_rounding() -> None:
    # Steps of 0.04 each round to nothing on their own, but the rounded points still move.
    ring = [(0.0, 0.0), (0.04, 0.0), (0.08, 0.0), (0.12, 0.0), (0.12, 1.0), (0.0, 1.0)]
    assert path_data([ring]) == "M0 0l0.1 0 0 1 -0.1 0z"
    assert path_data([[(0.0, 0.0), (0.0, 0.0), (0.0, 0.0)]]) == ""  # degenerate: dropped


def test_convert_topology_keeps_names_paths_and_boxes() -> None:
    shipped = convert_topology(TOPOLOGY, "tiny.json")
    assert shipped["counties"]["27001"] == {
        "name": "A",
        "d": "M10.5 20l-0.5 0 0 0.2 0.5 0 0-0.2z",  # 20.25 rounds half to even
        "box": [10.0, 20.0, 10.5, 20.2],
    }
    assert list(shipped["states"]) == ["27"]
    assert shipped["provenance"]["package"] == "us-atlas"
    with pytest.raises(DataError, match=r'tiny\.json: no "states" object'):
        convert_topology({**TOPOLOGY, "objects": {"counties": {}}}, "tiny.json")


def test_convert_atlas_writes_a_stable_file_and_reads_back(tmp_path: Path) -> None:
    (tmp_path / "counties-albers-10m.json").write_text(json.dumps(TOPOLOGY))
    first = convert_atlas(tmp_path, tmp_path / "out").read_bytes()
    second = convert_atlas(tmp_path, tmp_path / "again").read_bytes()
    assert first == second  # no time in the gzip header
    geometry = read_geometry(tmp_path / "out" / GEOMETRY_FILE)
    assert sorted(geometry.counties) == ["27001", "27003"]
    assert geometry.state_box("27") == (10.0, 20.0, 11.0, 20.2)
    assert geometry.state_box("06") is None


def test_conversion_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"counties-albers-10m\.json: not found"):
        convert_atlas(tmp_path, tmp_path / "out")
    (tmp_path / "counties-albers-10m.json").write_text("{not json")
    with pytest.raises(DataError, match=r"counties-albers-10m\.json: not JSON"):
        convert_atlas(tmp_path, tmp_path / "out")
    with pytest.raises(MissingArtifact, match="data map"):
        read_geometry(tmp_path / "none.json.gz")


def test_the_shipped_geometry_is_small_and_covers_every_county_and_state() -> None:
    path = ROOT / "corpus" / "data" / GEOMETRY_FILE
    assert path.stat().st_size < 1_000_000
    geometry = read_geometry(path)
    assert len(geometry.counties) == 3142  # the 2017 cartographic boundary file
    assert set(geometry.states) == set(STATES)
    # Counties of the data the 2017 boundaries lack: Connecticut's planning regions (2022),
    # Alaska's Chugach and Copper River (2019), and the old codes of Wade Hampton (AK) and
    # Shannon (SD), renamed in 2015.
    rows = csv.DictReader(PLACES.read_text().splitlines())
    counties = {r["fips"] for r in rows if r["level"] == "county"}
    assert sorted(counties - set(geometry.counties)) == [
        "02063", "02066", "02270",
        *(f"09{n}" for n in range(110, 200, 10)),
        "46113",
    ]  # fmt: skip
    assert geometry.counties["27123"].name == "Ramsey"
    assert all(shape.path.startswith("M") for shape in geometry.counties.values())
    raw = json.loads(gzip.decompress(path.read_bytes()))
    assert raw["provenance"]["version"] == "3.0.1"
    assert "Census Bureau" in raw["provenance"]["attribution"]
    # Minnesota's box lies inside the 975 x 610 map.
    x0, y0, x1, y1 = geometry.state_box("27") or (0, 0, 0, 0)
    assert 0 < x0 < x1 < 975 and 0 < y0 < y1 < 610


def test_the_data_map_command_converts_and_reports(tmp_path: Path) -> None:
    (tmp_path / "counties-albers-10m.json").write_text(json.dumps(TOPOLOGY))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["data", "map", str(tmp_path), "--to", str(out), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["counties"] == 2 and report["states"] == 1
    assert report["bytes"] == (out / GEOMETRY_FILE).stat().st_size
    # An import keeps the converted geometry beside the new dataset.
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "tests" / "data" / "upstream", checkout)
    assert (
        CliRunner().invoke(app, ["data", "import", str(checkout), "--to", str(out)]).exit_code == 0
    )
    assert (out / GEOMETRY_FILE).is_file() and (out / "places.csv").is_file()
    missing = CliRunner().invoke(app, ["data", "map", str(tmp_path / "nowhere")])
    assert missing.exit_code == 3
    assert missing.stderr.startswith("error: ") and "not found" in missing.stderr
