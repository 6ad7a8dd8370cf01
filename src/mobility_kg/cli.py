"""The ``mobility-kg`` command line: parse, call the library, print, set the exit code.

Every error the library raises on purpose is printed as one line on stderr, and the process
exits with that error's ``exit_code``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, NoReturn, TypeVar

import typer

from mobility_kg import __version__
from mobility_kg.config import SETTING_HELP, Settings
from mobility_kg.errors import InvalidParameter, MobilityKGError, ShapeViolation

if TYPE_CHECKING:
    from mobility_kg.graph.traverse import EntityGraph, Hop
    from mobility_kg.ids import EntityType
    from mobility_kg.search.engine import SearchEngine, SearchMode

T = TypeVar("T")

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


def _guarded(load: Callable[[], T]) -> T:
    """``load()``, with a library error printed as one line and turned into the exit code."""
    try:
        return load()
    except MobilityKGError as error:
        _fail(error)


def _settings(data_dir: Path | None = None, corpus: Path | None = None) -> Settings:
    return _guarded(lambda: Settings.from_env().with_(data_dir=data_dir, corpus_dir=corpus))


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _print_list(key: str, value: Any, items: Sequence[Any], **extra: Any) -> None:
    """A list response in the one envelope every command uses: the query, a count, the data."""
    _print_json({key: value, **extra, "count": len(items), "data": [asdict(i) for i in items]})


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
    if result.changed:
        chunks = manifest.search["chunks"]
        print(
            f"search index: {chunks} chunks, re-embedded {result.embedded}, reused {result.reused}"
        )


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
    no_observations: Annotated[
        bool,
        typer.Option("--no-observations", help="Leave out the metric values (the data cube)."),
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Export the whole graph as Turtle, JSON-LD or N-Triples, in a deterministic order.

    Turtle and N-Triples stream the metric values (the data cube) after the rest of the graph;
    JSON-LD holds the rest of the graph only.
    """
    from mobility_kg.build import load_built_graph
    from mobility_kg.graph.export import RdfFormat, serialize

    settings = _settings(data_dir)
    with _errors():
        rdf_format = RdfFormat.parse(format_name)
        built = load_built_graph(settings.data_dir)
        text = serialize(built.graph, rdf_format, built.manifest.base_iri)
    store = built.manifest.files.get("store")
    with_cube = store is not None and not no_observations and rdf_format is not RdfFormat.JSONLD

    def write(stream: BinaryIO) -> None:
        stream.write(text.encode("utf-8"))
        stream.flush()
        if with_cube and store is not None:
            from mobility_kg.data.export import dump_observations

            dump_observations(settings.data_dir / store, stream, rdf_format)
        stream.flush()

    if output is None:
        sys.stdout.flush()
        write(sys.stdout.buffer)
        return
    with output.open("wb") as file:
        write(file)
    if output is not None:
        what = "the graph and its observations" if with_cube else f"{len(built.graph)} triples"
        print(f"wrote {what} as {rdf_format.value} to {output}", file=sys.stderr)


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


def _entity_graph(data_dir: Path | None) -> EntityGraph:
    from mobility_kg.build import load_built_graph
    from mobility_kg.graph.traverse import EntityGraph

    settings = _settings(data_dir)

    def load() -> EntityGraph:
        built = load_built_graph(settings.data_dir)
        return EntityGraph(built.graph, built.manifest.base_iri)

    return _guarded(load)


def _hop_text(hop: Hop) -> str:
    return f"{hop.source} -[{hop.property}]-> {hop.target}"


@app.command()
def strategies(
    predictor: Annotated[str, typer.Argument(metavar="PREDICTOR_ID")],
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """The strategies that address a predictor, with evidence strength and actors."""
    graph = _entity_graph(data_dir)
    with _errors():
        found = graph.strategies_for(predictor)
    if as_json:
        _print_list("predictor", predictor, found)
        return
    print(f"{predictor}  {graph.label(predictor)}: {len(found)} strategies")
    for item in found:
        strength = item.evidence_strength or "unrated"
        print(f"  {item.id}  ({item.label})  evidence: {strength}")
        print(f"      actors: {', '.join(item.actors)}")
        if item.evidence_rating:
            print(f"      rating: {item.evidence_rating}")


@app.command()
def neighbors(
    entity_id: Annotated[str, typer.Argument(metavar="ID")],
    depth: Annotated[int, typer.Option("--depth", help="How many links away.")] = 1,
    entity_type: Annotated[
        str | None, typer.Option("--type", help="Only entities of this type.")
    ] = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Entities linked to ID within --depth links, in either direction."""
    graph = _entity_graph(data_dir)
    with _errors():
        wanted = _entity_type(entity_type)
        found = graph.neighbors(entity_id, depth, wanted)
    if as_json:
        _print_list("id", entity_id, found, depth=depth)
        return
    for item in found:
        print(f"{item.depth}  {item.id}  ({item.label})  via {_hop_text(item.via)}")


def _entity_type(name: str | None) -> EntityType | None:
    from mobility_kg.ids import EntityType

    if name is None:
        return None
    try:
        return EntityType(name)
    except ValueError:
        known = ", ".join(t.value for t in EntityType)
        raise InvalidParameter("type", f"unknown type {name!r} (known: {known})") from None


@app.command()
def path(
    from_id: Annotated[str, typer.Argument(metavar="FROM_ID")],
    to_id: Annotated[str, typer.Argument(metavar="TO_ID")],
    limit: Annotated[int, typer.Option("--limit", help="At most this many paths.")] = 3,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Shortest paths between two entities, with the property of every link."""
    graph = _entity_graph(data_dir)
    with _errors():
        if limit < 1:
            raise InvalidParameter("limit", f"must be 1 or more, got {limit}")
        found = graph.paths(from_id, to_id, limit)
    if as_json:
        data = [[asdict(hop) for hop in hops] for hops in found]
        _print_json({"from": from_id, "to": to_id, "count": len(found), "data": data})
        return
    if not found:
        print(f"no path between {from_id} and {to_id}", file=sys.stderr)
        raise typer.Exit(1)
    for number, hops in enumerate(found, start=1):
        print(f"path {number} ({len(hops)} links):")
        for hop in hops:
            print(f"  {_hop_text(hop)}")


@app.command()
def related(
    predictor: Annotated[str, typer.Argument(metavar="PREDICTOR_ID")],
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Predictors related to a predictor: sharing strategies or its pillar."""
    graph = _entity_graph(data_dir)
    with _errors():
        found = graph.related_predictors(predictor)
    if as_json:
        _print_list("predictor", predictor, found)
        return
    for item in found:
        reasons = []
        if item.shared_strategies:
            reasons.append(f"{len(item.shared_strategies)} shared strategies")
        if item.same_pillar:
            reasons.append("same pillar")
        print(f"  {item.id}  ({item.label})  {'; '.join(reasons)}")


def _open_engine(data_dir: Path | None) -> SearchEngine:
    from mobility_kg.search.engine import SearchEngine

    settings = _settings(data_dir)
    return _guarded(lambda: SearchEngine.open(settings.data_dir))


def _mode(name: str) -> SearchMode:
    from mobility_kg.search.engine import SearchMode

    try:
        return SearchMode(name)
    except ValueError:
        known = ", ".join(m.value for m in SearchMode)
        raise InvalidParameter("mode", f"unknown mode {name!r} (known: {known})") from None


ModeOption = Annotated[str, typer.Option("--mode", help="hybrid, dense or bm25.")]


@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUESTION")],
    k: Annotated[int, typer.Option("--k", help="How many entities (1-100).")] = 10,
    mode: ModeOption = "hybrid",
    entity_type: Annotated[
        str | None, typer.Option("--type", help="Only this entity type.")
    ] = None,
    pillar: Annotated[
        str | None, typer.Option("--pillar", help="Only entities under this pillar id.")
    ] = None,
    predictor: Annotated[
        str | None, typer.Option("--predictor", help="Only entities about this predictor id.")
    ] = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search the corpus; one result per entity, with its best passage and where it leads."""
    from mobility_kg.search.engine import Filters

    with _errors():
        filters = Filters(_entity_type(entity_type), pillar, predictor)
        chosen = _mode(mode)
        engine = _open_engine(data_dir)
        response = engine.search(query, k, chosen, filters)
    if as_json:
        _print_json(asdict(response))
        return
    for rank, hit in enumerate(response.results, start=1):
        print(f"{rank:>2}. {hit.id}  {hit.title}  [{hit.score:.4f}]")
        print(f"    {hit.section}: {hit.snippet}")
        print(f"    source: {hit.source_url}  about: {', '.join(hit.about) or '-'}")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(metavar="QUESTION")],
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """A short extractive answer with a citation for every sentence, and where to go next."""
    from mobility_kg.search.answer import answer_question

    engine = _open_engine(data_dir)
    with _errors():
        answer = answer_question(engine, question)
    if as_json:
        _print_json(asdict(answer))
        return
    for number, sentence in enumerate(answer.answer, start=1):
        print(f"{sentence.text} [{number}]")
    print()
    for number, sentence in enumerate(answer.answer, start=1):
        cite = sentence.citation
        print(f"[{number}] {cite.id} ({cite.title}, {cite.section}) {cite.source_url}")
    if answer.linked:
        print("\nnext:")
        for entity in answer.linked:
            print(f"  {entity.relation:<10} {entity.id}  ({entity.title})")


@app.command(name="eval")
def eval_command(
    questions_file: Annotated[Path, typer.Argument(metavar="FILE.jsonl")],
    k: Annotated[int, typer.Option("--k", help="Depth of the ranking scored.")] = 10,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, dense, bm25 or all.")] = "all",
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score retrieval on questions with known answers: recall@1/5/10, MRR@10, nDCG@10."""
    from mobility_kg.search.engine import SearchMode
    from mobility_kg.search.evaluate import evaluate, read_questions

    with _errors():
        modes = list(SearchMode) if mode == "all" else [_mode(mode)]
        questions = read_questions(questions_file)
        engine = _open_engine(data_dir)
        reports = [
            evaluate(
                m.value,
                questions,
                lambda q, m=m: [h.id for h in engine.search(q, k, m).results],  # type: ignore[misc]
            )
            for m in modes
        ]
    if as_json:
        _print_json({"questions": len(questions), "k": k, "modes": [asdict(r) for r in reports]})
        return
    header = f"{'mode':<8} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MRR@10':>7} {'nDCG@10':>8}"
    print(f"{header}  ({len(questions)} questions)")
    for r in reports:
        print(
            f"{r.mode:<8} {r.recall['recall@1']:>6.3f} {r.recall['recall@5']:>6.3f} "
            f"{r.recall['recall@10']:>6.3f} {r.mrr_at_10:>7.3f} {r.ndcg_at_10:>8.3f}"
        )
    for r in reports:
        for missed in r.missed:
            print(f"missed ({r.mode}): {missed}")


@app.command()
def add(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A Markdown document in the corpus format.")
    ],
    corpus: CorpusOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Add a document to the built graph and index, atomically (the build must exist)."""
    from mobility_kg.documents import add_document
    from mobility_kg.errors import CorpusError

    settings = _settings(data_dir, corpus)
    with _errors():
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CorpusError(file, f"cannot read: {error}") from None
        added, result = add_document(settings, text, turtle=file.suffix.lower() == ".ttl")
    print(f"added {added}; search index re-embedded {result.embedded}, reused {result.reused}")


@app.command()
def remove(
    entity_id: Annotated[str, typer.Argument(metavar="ID")],
    corpus: CorpusOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Remove a document added with `add`, atomically."""
    from mobility_kg.documents import remove_document

    settings = _settings(data_dir, corpus)
    with _errors():
        remove_document(settings, entity_id)
    print(f"removed {entity_id}")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the JSON API over HTTP (artifacts are loaded once, at start-up)."""
    import uvicorn

    from mobility_kg.api.app import create_app
    from mobility_kg.artifacts import check_compatible, read_manifest

    settings = _settings(data_dir)
    _guarded(
        lambda: check_compatible(settings.data_dir, read_manifest(settings.data_dir), __version__)
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


OFFLINE_ENVIRONMENT = {
    # The model ships inside a package: never ask the hub (a lookup hangs ~70 s offline).
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
}


from mobility_kg.cli_data import register as _register_data  # noqa: E402  (uses the helpers above)

_register_data(app)


def main() -> None:
    """Console-script entry point."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    app()
