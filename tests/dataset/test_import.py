"""The importer on a fixture made of real upstream rows, and one bad file per kind of error."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pytest

from mobility_kg import errors
from mobility_kg.data.dataset import dataset_hash, iter_observations, read_places, read_provenance
from mobility_kg.data.importer import import_upstream
from mobility_kg.data.readme import coverage
from mobility_kg.data.sources import Level

DATA = Path(__file__).parents[1] / "data"
UPSTREAM = DATA / "upstream"
BAD = DATA / "upstream-bad"
COMMIT = "5aa12e3e08b1e44db52b06c0a731fe9985cb17f8"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("imported") / "data"
    import_upstream(UPSTREAM, target, COMMIT)
    return target


def _values(folder: Path) -> dict[tuple[str, str, int, str, str], tuple[object, ...]]:
    return {row[:5]: row[5:] for level in Level for row in iter_observations(folder, level)}


def test_places_come_with_names_states_and_counties(imported: Path) -> None:
    places = read_places(imported)
    assert sorted(places) == ["01001", "27123", "2758000", "42101", "4260000"]
    ramsey = places["27123"]
    assert (ramsey.name, ramsey.state, ramsey.state_name, ramsey.level) == (
        "Ramsey County",
        "MN",
        "Minnesota",
        Level.COUNTY,
    )
    assert places["2758000"].name == "St. Paul city"
    assert places["2758000"].counties == ("27123",)
    assert places["4260000"].counties == ("42101",)


def test_values_match_the_upstream_rows(imported: Path) -> None:
    values = _values(imported)
    # metrics_income_county_all_longitudinal.csv, 2023 row of Ramsey County
    with (
        UPSTREAM / "01_financial-well-being/final/metrics_income_county_all_longitudinal.csv"
    ).open() as f:
        row = next(
            r
            for r in csv.DictReader(f)
            if (r["year"], r["state"], r["county"]) == ("2023", "27", "123")
        )
    value, lb, ub, quality = values["pctl_income_50", "27123", 2023, "all", "All"]
    assert value == pytest.approx(float(row["pctl_income_50"]), rel=1e-6)
    assert lb == pytest.approx(float(row["pctl_income_50_lb"]), rel=1e-6)
    assert ub == pytest.approx(float(row["pctl_income_50_ub"]), rel=1e-6)
    assert quality == int(row["pctl_income_50_quality"])
    # renamed columns: learning_rate -> rate_learning, election_turnout -> share_election_turnout
    assert values["rate_learning", "27123", 2018, "all", "All"] == (
        0.9820085,
        0.9402379,
        1.023779,
        1,
    )
    assert values["share_election_turnout", "27123", 2016, "all", "All"] == (
        0.7295096,
        None,
        None,
        1,
    )
    # a subgroup row, and a city
    female = values["share_employed", "27123", 2014, "gender", "Female"]
    assert female == (0.7767498, 0.7562429, 0.7972568, 1)  # the "gender,Female" row of 2014
    assert values["rate_crime_violent", "2758000", 2021, "all", "All"][0] == pytest.approx(
        1378.2037830386341, rel=1e-6
    )
    # "a:b" housing-wealth cells become a / b
    with (
        UPSTREAM
        / "01_financial-well-being/final/households_house_value_race_ethnicity_all_county.csv"
    ).open() as f:
        row = next(
            r
            for r in csv.DictReader(f)
            if (r["year"], r["state"], r["county"]) == ("2014", "27", "123")
        )
    share, households = map(float, row["ratio_black_nh_house_value_households"].split(":"))
    assert values["ratio_black_nh_house_value_households", "27123", 2014, "all", "All"][
        0
    ] == pytest.approx(share / households, rel=1e-6)


def test_subgroup_files_do_not_repeat_the_whole_population(imported: Path) -> None:
    values = _values(imported)
    gender = {
        k[3:] for k in values if k[0] == "share_employed" and k[1] == "27123" and k[2] == 2014
    }
    assert gender == {("all", "All"), ("gender", "Female"), ("gender", "Male")}


def test_provenance_names_commit_files_and_columns(imported: Path) -> None:
    provenance = read_provenance(imported)
    assert provenance["commit"] == COMMIT
    assert provenance["repository"] == "https://github.com/UI-Research/mobility-from-poverty"
    assert "Urban Institute" in provenance["attribution"]
    learning = provenance["variables"]["rate_learning"]
    assert learning["metric"] == "metric/ela-achievement-growth"
    assert learning["sources"] == [
        {
            "path": "08_education/data/built/SEDA_all_county_2014-2018.csv",
            "column": "learning_rate",
            "level": "county",
            "subgroup_types": ["all"],
            "years": [2014, 2015, 2016, 2017, 2018],
        }
    ]
    table = coverage(provenance)
    assert (
        table["metric/employment-to-population-ratio", "county", "gender"]
        == "2014, 2016, 2018, 2021, 2023"
    )
    assert (
        table["metric/employment-to-population-ratio", "county", "race-ethnicity"]
        == "not in the source snapshot"
    )
    # a file this fixture lacks is reported, too
    assert "08_education/data/final/meps_county_2014-2021.csv" in provenance["absent_files"]


def test_import_is_byte_stable(imported: Path, tmp_path: Path) -> None:
    again = tmp_path / "data"
    import_upstream(UPSTREAM, again, COMMIT)
    assert dataset_hash(again) == dataset_hash(imported)
    assert gzip.decompress((again / "county.csv.gz").read_bytes()).startswith(
        b"variable,fips,year,subgroup_type,subgroup,value,lb,ub,quality\n"
    )


CASES = json.loads((BAD / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_names_file_line_and_column_and_changes_nothing(
    name: str, imported: Path, tmp_path: Path
) -> None:
    case = CASES[name]
    checkout = tmp_path / "checkout"
    shutil.copytree(UPSTREAM, checkout)
    shutil.copy(BAD / name, checkout / case["replaces"])
    target = tmp_path / "data"
    shutil.copytree(imported, target)
    before = dataset_hash(target)
    with pytest.raises(getattr(errors, case["error"])) as caught:
        import_upstream(checkout, target, COMMIT)
    assert str(caught.value) == case["message"]
    assert isinstance(caught.value, errors.DataError)
    assert dataset_hash(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkout", "data"]
