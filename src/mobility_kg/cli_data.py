"""The data commands of the CLI: ``data import``, ``place``, ``rank`` and ``compare``.

Registered on the main app by :func:`register`; they print, and call the library in
:mod:`mobility_kg.data`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mobility_kg.cli import DataDirOption, JsonOption, _errors, _print_json, _settings

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
    ", ".join(f"{n} {level}" for level, n in report.places.items())
    ", ".join(f"{n} {level}" for level, n in report.observations.items())
    if report.files_absent:
        pass


def register(app: typer.Typer) -> None:
    """Add the data commands to the main app."""
    app.add_typer(data_app)


__all__ = ["DataDirOption", "register"]
