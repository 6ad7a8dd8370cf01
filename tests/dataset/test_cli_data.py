"""The data commands as a user meets them: exit codes, one-line errors, the printed profile."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from mobility_kg.cli import app
from mobility_kg.config import Settings
from mobility_kg.data.dataset import dataset_hash

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_data_import_bad_file_is_one_line_exit_3(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(DATA / "upstream", checkout)
    target = tmp_path / "data"
    code, out, _ = _run("data", "import", str(checkout), "--to", str(target), "--commit", "abc")
    assert code == 0 and out.startswith("imported 12 files at abc into ")
    before = dataset_hash(target)
    shutil.copy(
        DATA / "upstream-bad" / "unknown-fips.csv",
        checkout / "05_local-governance/voter-turnout/voter-turnout-2016.csv",
    )
    code, _, err = _run("data", "import", str(checkout), "--to", str(target))
    assert code == 3
    assert err == (
        'error: 05_local-governance/voter-turnout/voter-turnout-2016.csv:3: column "county": '
        "no county has FIPS code 27999\n"
    )
    assert dataset_hash(target) == before


def test_place_prints_the_profile(data_settings: Settings) -> None:
    data_dir = str(data_settings.data_dir)
    code, out, _ = _run("place", "Ramsey County, MN", "--data-dir", data_dir)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Ramsey County, MN (place/27123, county); subgroup: all"
    assert "Rewarding Work" in lines
    assert any(
        line.strip().startswith("Income, 50th percentile (pctl_income_50): $") for line in lines
    )
    code, out, _ = _run("place", "27123", "--json", "--data-dir", data_dir)
    assert json.loads(out)["place"]["id"] == "place/27123"


def test_place_unknown_name_suggests_and_exits_4(data_settings: Settings) -> None:
    code, _, err = _run("place", "Ramsy County", "--data-dir", str(data_settings.data_dir))
    assert code == 4
    assert err.startswith("error: place 'Ramsy County': no such entity; did you mean place/27123")


def test_rank_and_compare_print(data_settings: Settings) -> None:
    data_dir = str(data_settings.data_dir)
    code, out, _ = _run("rank", "rate_injury_death", "--year", "2020", "--data-dir", data_dir)
    assert code == 0
    assert out.splitlines()[0] == (
        "Deaths from injury per 100,000 (rate_injury_death), county, 2020, all: best first, 3 of 3"
    )
    code, _, err = _run("rank", "rate_injury_death", "--level", "state", "--data-dir", data_dir)
    assert (code, err) == (2, "error: level: must be county or city, got 'state'\n")
    code, out, _ = _run("compare", "27123", "42101", "--data-dir", data_dir)
    assert code == 0
    assert out.splitlines()[0] == "variable | Ramsey County, MN | Philadelphia County, PA"


def test_export_streams_the_cube_byte_stable(data_settings: Settings, tmp_path: Path) -> None:
    data_dir = str(data_settings.data_dir)
    outputs = []
    for name in ("a.nt", "b.nt", "small.nt"):
        extra = ["--no-observations"] if name == "small.nt" else []
        code, _, _ = _run(
            "export", "-f", "nt", "-o", str(tmp_path / name), *extra, "--data-dir", data_dir
        )
        assert code == 0
        outputs.append((tmp_path / name).read_bytes())
    full, again, small = outputs
    assert full == again
    assert full.startswith(small)
    observation_lines = full[len(small) :].decode().splitlines()
    datasets = [
        line for line in observation_lines if "<http://purl.org/linked-data/cube#dataSet>" in line
    ]
    assert data_settings.corpus_dir is not None
    from mobility_kg.data.dataset import iter_observations
    from mobility_kg.data.sources import Level

    rows = sum(1 for lv in Level for _ in iter_observations(data_settings.corpus_dir / "data", lv))
    assert len(datasets) == rows
    assert b"cube#dataSet" not in small


def test_a_year_or_subgroup_without_values_is_an_error_not_an_empty_answer(
    data_settings: Settings,
) -> None:
    data = ["--data-dir", str(data_settings.data_dir)]
    code, _, err = _run("place", "27123", "--year", "1900", *data)
    assert code == 2
    assert err.startswith("error: year: Ramsey County has no values up to 1900; its first are from")
    assert _run("compare", "27123", "42101", "--year", "1900", *data)[::2] == (2, err)
    code, _, err = _run("rank", "rate_injury_death", "--year", "1999", *data)
    assert code == 2
    assert err.startswith("error: year: rate_injury_death has no county values for 1999; years: 20")
    assert _run("rank", "pctl_income_50", "--subgroup", "gender/female", *data)[::2] == (
        2,
        "error: subgroup: pctl_income_50 has no county values for the subgroup gender/female\n",
    )


def test_place_names_with_saint_in_any_spelling(data_settings: Settings) -> None:
    data = ["--data-dir", str(data_settings.data_dir)]
    for name in ("St. Paul", "st paul", "Saint Paul, MN", "ST PAUL"):
        code, out, _ = _run("place", name, *data)
        assert (code, out.splitlines()[0]) == (
            0,
            "St. Paul city, MN (place/2758000, city); subgroup: all",
        ), name
    assert _run("place", " ", *data)[::2] == (2, "error: place: must not be empty\n")
    assert _run("compare", "27123", "Ramsey County, MN", *data)[::2] == (
        2,
        "error: places: 'Ramsey County, MN' names place/27123 again\n",
    )
    code, _, err = _run("place", "St Pual", *data)
    assert code == 4
    suggested = err.partition("did you mean ")[2].rstrip("?\n").split(", place/")
    assert len(suggested) == len(set(suggested))  # each place once
