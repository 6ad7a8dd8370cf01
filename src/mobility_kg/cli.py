"""The ``mobility-kg`` command line: parse, call the library, print, set the exit code.

Every error the library raises on purpose is printed as one line on stderr, and the process
exits with that error's ``exit_code``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from mobility_kg.config import SETTING_HELP, Settings
from mobility_kg.errors import MobilityKGError, ShapeViolation

app = typer.Typer(
    name="mobility-kg",
    help="Knowledge graph and semantic search over the Upward Mobility Framework.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help=SETTING_HELP["data_dir"], show_default=False)
]
CorpusOption = Annotated[
    Path | None, typer.Option("--corpus", help=SETTING_HELP["corpus_dir"], show_default=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _fail(error: MobilityKGError) -> NoReturn:
    if isinstance(error, ShapeViolation):
        for violation in error.violations:
            print(f"{violation.severity}: {violation}", file=sys.stderr)
    print(f"error: {error}", file=sys.stderr)
    raise typer.Exit(error.exit_code)


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except MobilityKGError as error:
        _fail(error)


def _settings(data_dir: Path | None = None, corpus: Path | None = None) -> Settings:
    with _errors():
        return Settings.from_env().with_(data_dir=data_dir, corpus_dir=corpus)
    raise AssertionError("unreachable")  # pragma: no cover  # _errors exits on failure


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


@app.command()
def build(
    corpus: CorpusOption = None,
    data_dir: DataDirOption = None,
    skip_shapes: Annotated[
        bool, typer.Option("--skip-shapes", help="Write the graph even if SHACL fails.")
    ] = False,
) -> None:
    """Build the knowledge graph from the corpus into the data dir (a no-op when up to date)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from mobility_kg.build import STAGES
    from mobility_kg.build import build as run_build

    settings = _settings(data_dir, corpus)
    with _errors():
        # Progress goes to stderr, and only to a terminal: stdout carries only the summary.
        console = Console(stderr=True)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            transient=True,
            console=console,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task("checking", total=len(STAGES))

            def advance(stage: str) -> None:
                progress.update(task, description=stage, advance=1)

            result = run_build(settings, progress=advance, check_shapes=not skip_shapes)
    manifest = result.manifest
    counts = ", ".join(f"{n} {t}" for t, n in manifest.entities_by_type.items())
    if result.changed:
        print(f"built {manifest.triples} triples into {result.data_dir}")
    else:
        print(f"up to date: nothing to do ({result.data_dir})")
    print(f"entities: {counts}")


@app.command()
def validate(data_dir: DataDirOption = None) -> None:
    """Check the built graph against the SHACL shapes; one line per violation, exit 1 if any."""
    from mobility_kg.build import load_built_graph
    from mobility_kg.graph.shapes import validate_graph

    settings = _settings(data_dir)
    with _errors():
        built = load_built_graph(settings.data_dir)
        results = validate_graph(built.graph, built.shapes_ttl, built.manifest.base_iri)
    for result in results:
        print(f"{result.severity}: {result}")
    violations = [r for r in results if r.severity == "Violation"]
    if violations:
        print(f"{len(violations)} violation(s)", file=sys.stderr)
        raise typer.Exit(1)
    total = sum(built.manifest.entities_by_type.values())
    print(f"ok: {total} entities conform to the shapes")


@app.command()
def export(
    format_name: Annotated[
        str, typer.Option("--format", "-f", help="turtle, jsonld or nt.")
    ] = "turtle",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Export the whole graph as Turtle, JSON-LD or N-Triples, in a deterministic order."""
    from mobility_kg.build import load_built_graph
    from mobility_kg.graph.export import RdfFormat, serialize

    settings = _settings(data_dir)
    with _errors():
        rdf_format = RdfFormat.parse(format_name)
        built = load_built_graph(settings.data_dir)
        text = serialize(built.graph, rdf_format, built.manifest.base_iri)
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    print(f"wrote {len(built.graph)} triples as {rdf_format.value} to {output}", file=sys.stderr)


@app.command()
def stats(data_dir: DataDirOption = None, as_json: JsonOption = False) -> None:
    """Entities by type, triples, and links by property."""
    from mobility_kg.build import load_built_graph
    from mobility_kg.graph.inspect import graph_stats

    settings = _settings(data_dir)
    with _errors():
        built = load_built_graph(settings.data_dir)
    result = graph_stats(built.graph, built.manifest.base_iri)
    if as_json:
        _print_json(asdict(result))
        return
    print(f"triples: {result.triples}")
    print("entities:")
    for name, count in result.entities.items():
        print(f"  {name:<12} {count:>6}")
    print("links:")
    for name, count in result.links.items():
        print(f"  {name:<24} {count:>6}")


@app.command()
def show(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="A compact id, e.g. pillar/x.")],
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """One entity: its labels, definition, source, and links in and out."""
    from mobility_kg.build import load_built_graph
    from mobility_kg.graph.inspect import show_entity

    settings = _settings(data_dir)
    with _errors():
        built = load_built_graph(settings.data_dir)
        view = show_entity(built.graph, built.manifest.base_iri, entity_id)
    if as_json:
        _print_json(asdict(view))
        return
    print(f"{view.id}  ({view.type})  {view.label}")
    if view.alt_labels:
        print(f"  also: {'; '.join(view.alt_labels)}")
    print(f"  {view.definition}")
    print(f"  source: {view.source}")
    if view.sections:
        print(f"  sections: {' | '.join(view.sections)}")
    for title, links, arrow in (("out", view.links_out, "->"), ("in", view.links_in, "<-")):
        print(f"links {title}:")
        for link in links:
            print(f"  {arrow} {link.property:<20} {link.id}  ({link.label})")


def main() -> None:
    """Console-script entry point."""
    app()
