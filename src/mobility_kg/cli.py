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
from typer.core import TyperGroup

from mobility_kg import __version__
from mobility_kg.config import SETTING_HELP, Settings
from mobility_kg.errors import InvalidParameter, MobilityKGError, ShapeViolation
from mobility_kg.plural import counted

if TYPE_CHECKING:
    # typer 0.29 carries its own copy of click; its types live here.
    from typer._click import Command, Context, HelpFormatter

    from mobility_kg.build import BuiltGraph
    from mobility_kg.data.query import MetricData
    from mobility_kg.graph.traverse import EntityGraph, Hop
    from mobility_kg.ids import EntityType
    from mobility_kg.search.engine import SearchEngine, SearchMode

T = TypeVar("T")


def _hide_flag_types(command: Command, ctx: Context) -> None:
    """Flags take no value, so their help shows no ``<bool>`` placeholder (typer prints one)."""
    for param in [*command.params, command.get_help_option(ctx)]:
        # typer's options are not click.Option subclasses: look for the flag itself.
        if param is not None and getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""


class _Group(TyperGroup):
    """The command group, with help that shows no type placeholder for flags."""

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _hide_flag_types(command, ctx)
        return command

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        _hide_flag_types(self, ctx)
        super().format_help(ctx, formatter)


def _print_version(value: bool) -> None:
    if value:
        print(f"mobility-kg {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="mobility-kg",
    cls=_Group,
    help="Knowledge graph and semantic search over the Upward Mobility Framework.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_print_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Knowledge graph and semantic search over the Upward Mobility Framework."""


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


def _read_graph(settings: Settings) -> BuiltGraph:
    """The build's graph, from the data dir or (when one is configured) the remote store."""
    from mobility_kg.stores import open_graph

    opened = open_graph(settings)
    opened.close()  # the graph is in memory; the remote store is not asked again
    return opened.built


def _check_writable(output: Path) -> None:
    """Fail before any work when ``output`` cannot be a file: its folder is missing, or it
    is a folder itself."""
    if output.is_dir():
        raise InvalidParameter("--output", f"{output} is a folder; give a file name")
    if not output.parent.is_dir():
        raise InvalidParameter("--output", f"no such folder: {output.parent}")


def _rounded(value: Any, places: int = 4) -> Any:
    """Every float in ``value`` (dicts and lists within) rounded to ``places``."""
    if isinstance(value, float):
        return round(value, places)
    if isinstance(value, dict):
        return {key: _rounded(item, places) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item, places) for item in value]
    return value


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
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from mobility_kg.build import STAGES
    from mobility_kg.build import build as run_build

    settings = _settings(data_dir, corpus)
    with _errors():
        # Progress goes to stderr (stdout carries only the summary): a bar on a terminal,
        # one plain line per stage otherwise (logs, CI, scripts/quickstart piped).
        console = Console(stderr=True)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            console=console,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task("checking", total=len(STAGES))

            def advance(stage: str) -> None:
                done = STAGES.index(stage) if stage in STAGES else 0
                progress.update(task, description=stage, completed=done)
                if not console.is_terminal:
                    print(f"build [{done + 1}/{len(STAGES)}]: {stage}", file=sys.stderr, flush=True)

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
            f"search index: {counted(chunks, 'chunk')}, re-embedded {result.embedded}, "
            f"reused {result.reused}"
        )
    if result.vector_store is not None:
        synced = result.vector_store
        print(
            f"pgvector: wrote {counted(synced.written, 'row')}, deleted {synced.deleted}, "
            f"kept {synced.kept}"
        )


@app.command()
def validate(data_dir: DataDirOption = None, as_json: JsonOption = False) -> None:
    """Check the built graph against the SHACL shapes; one line per violation, exit 1 if any."""
    from mobility_kg.build import load_built_graph
    from mobility_kg.graph.shapes import validate_graph

    settings = _settings(data_dir)
    with _errors():
        built = load_built_graph(settings.data_dir)
        results = validate_graph(built.graph, built.shapes_ttl, built.manifest.base_iri)
    violations = [r for r in results if r.severity == "Violation"]
    total = sum(built.manifest.entities_by_type.values())
    if as_json:
        _print_json(
            {
                "conforms": not violations,
                "entities": total,
                "count": len(results),
                "data": [asdict(r) for r in results],
            }
        )
        if violations:
            raise typer.Exit(1)
        return
    for result in results:
        print(f"{result.severity}: {result}")
    if violations:
        print(counted(len(violations), "violation"), file=sys.stderr)
        raise typer.Exit(1)
    verb = "conforms" if total == 1 else "conform"
    print(f"ok: {counted(total, 'entity')} {verb} to the shapes")


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
    from mobility_kg.artifacts import write_atomic
    from mobility_kg.build import load_built_graph
    from mobility_kg.graph.export import RdfFormat, serialize

    settings = _settings(data_dir)
    with _errors():
        rdf_format = RdfFormat.parse(format_name)
        if output is not None:
            _check_writable(output)
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

    def write_file(path: Path) -> None:
        with path.open("wb") as file:
            write(file)

    try:  # a file already there is replaced only once the whole export is written
        write_atomic(output, write_file)
    except OSError as error:
        _fail(InvalidParameter("--output", f"cannot write {output}: {error.strerror or error}"))
    what = "the graph and its observations" if with_cube else counted(len(built.graph), "triple")
    print(f"wrote {what} as {rdf_format.value} to {output}", file=sys.stderr)


@app.command()
def stats(data_dir: DataDirOption = None, as_json: JsonOption = False) -> None:
    """Entities by type, triples, and links by property."""
    from mobility_kg.graph.inspect import graph_stats

    settings = _settings(data_dir)
    with _errors():
        built = _read_graph(settings)
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
    """One entity: its labels, source, whole text (lead and sections), and links in and out."""
    from mobility_kg.graph.inspect import show_entity

    settings = _settings(data_dir)
    with _errors():
        built = _read_graph(settings)
        view = show_entity(built.graph, built.manifest.base_iri, entity_id)
    if as_json:
        _print_json(asdict(view))
        return
    print(f"{view.id}  ({view.type})  {view.label}")
    if view.alt_labels:
        print(f"  also: {'; '.join(view.alt_labels)}")
    print(f"  source: {view.source}")
    print()
    print(view.definition)
    for section in view.section_texts:
        print(f"\n## {section.title}\n")
        print(section.text)
    print()
    for title, links, arrow in (("out", view.links_out, "->"), ("in", view.links_in, "<-")):
        print(f"links {title}:")
        for link in links:
            print(f"  {arrow} {link.property:<20} {link.id}  ({link.label})")


def _entity_graph(data_dir: Path | None) -> EntityGraph:
    from mobility_kg.graph.traverse import EntityGraph

    settings = _settings(data_dir)

    def load() -> EntityGraph:
        built = _read_graph(settings)
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
    print(f"{predictor}  {graph.label(predictor)}: {counted(len(found), 'strategy')}")
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
        _print_list("id", entity_id, found, depth=depth, type=wanted.value if wanted else None)
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
        raise InvalidParameter("type", f"{name!r} is not one of {known}") from None


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
    if not found:  # an answer, as `--json`'s count 0 is: no link chain joins them
        print(f"no path between {from_id} and {to_id}")
        return
    for number, hops in enumerate(found, start=1):
        print(f"path {number} ({counted(len(hops), 'link')}):")
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
            reasons.append(counted(len(item.shared_strategies), "shared strategy"))
        if item.same_pillar:
            reasons.append("same pillar")
        print(f"  {item.id}  ({item.label})  {'; '.join(reasons)}")


def _open_engine(data_dir: Path | None) -> SearchEngine:
    from mobility_kg.search.engine import SearchEngine

    settings = _settings(data_dir)
    return _guarded(
        lambda: SearchEngine.open(
            settings.data_dir,
            query_encoder=settings.query_encoder,
            pgvector_url=settings.pgvector_url,
            pgvector_ef_search=settings.pgvector_ef_search,
        )
    )


def _mode(name: str) -> SearchMode:
    from mobility_kg.search.engine import SearchMode

    try:
        return SearchMode(name)
    except ValueError:
        known = ", ".join(m.value for m in SearchMode)
        raise InvalidParameter("mode", f"{name!r} is not one of {known}") from None


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
        _print_list(
            "query",
            response.query,
            response.results,
            mode=response.mode,
            k=k,
            type=entity_type,
            pillar=pillar,
            predictor=predictor,
        )
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
    from mobility_kg.data.stage import open_metric_data
    from mobility_kg.search.answer import answer_question
    from mobility_kg.search.place_answer import format_value

    engine = _open_engine(data_dir)
    settings = _settings(data_dir)
    with _errors():
        answer = answer_question(
            engine, question, metric_data=lambda: open_metric_data(settings.data_dir)
        )
    if as_json:
        _print_json(asdict(answer))
        return
    if answer.abstained:
        print(answer.message)
    for number, sentence in enumerate(answer.answer, start=1):
        print(f"{sentence.text} [{number}]")
    print()
    for number, sentence in enumerate(answer.answer, start=1):
        cite = sentence.citation
        print(f"[{number}] {cite.id} ({cite.title}, {cite.section}) {cite.source_url}")
    if answer.data:
        print("\ndata:")
        for v in answer.data:
            bounds = (
                f"[{format_value(v.lower_bound, v.unit)}, {format_value(v.upper_bound, v.unit)}]"
                if v.lower_bound is not None and v.upper_bound is not None
                else "-"
            )
            position = f"{v.rank:>2}. " if v.rank is not None else ""
            median = f"  median {format_value(v.median, v.unit)}" if v.median is not None else ""
            group = f" {v.subgroup}" if v.subgroup != "all" else ""
            standing = (  # a subgroup's values have no percentiles
                f"  national {v.national_percentile}  state {v.state_percentile}"
                if v.national_percentile is not None or v.state_percentile is not None
                else ""
            )
            print(
                f"  {position}{v.place}  {v.place_name}  {v.variable}{group} {v.year}  "
                f"{format_value(v.value, v.unit)} {bounds}  {v.quality or 'no flag'}"
                f"{' (WEAK)' if v.weak else ''}{standing}{median}"
            )
    if answer.linked:
        print("\nnext:")
        for entity in answer.linked:
            print(f"  {entity.relation:<10} {entity.id}  ({entity.title})")


@app.command(name="eval")
def eval_command(
    questions_file: Annotated[Path, typer.Argument(metavar="FILE.jsonl")],
    k: Annotated[int, typer.Option("--k", help="Depth of the ranking scored.")] = 10,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, dense, bm25 or all.")] = "all",
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="ANSWERS.jsonl",
            help="Also score `ask`: facts found, off-topic questions abstained.",
        ),
    ] = None,
    split: Annotated[
        str | None,
        typer.Option("--split", help="Score only the questions of this half: dev or test."),
    ] = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score retrieval on questions with known answers: recall@1/5/10, MRR@10, nDCG@10.

    With --answers, also answer-fact recall and abstention; with --split, one half of the set."""
    from mobility_kg.search.answer import answer_question
    from mobility_kg.search.answer_eval import evaluate_answers, read_answer_questions
    from mobility_kg.search.engine import SearchMode
    from mobility_kg.search.evaluate import SPLITS, check_relevant, evaluate, read_questions

    with _errors():
        if mode not in ("all", *(m.value for m in SearchMode)):
            known_modes = ", ".join(["all", *(m.value for m in SearchMode)])
            raise InvalidParameter("mode", f"{mode!r} is not one of {known_modes}")
        modes = list(SearchMode) if mode == "all" else [_mode(mode)]
        if split is not None and split not in SPLITS:
            raise InvalidParameter("split", f"unknown split {split!r} (known: {', '.join(SPLITS)})")
        questions = [q for q in read_questions(questions_file) if split is None or q.split == split]
        if not questions:
            raise InvalidParameter("split", f"no question in {questions_file} has split {split!r}")
        answer_questions = read_answer_questions(answers) if answers else []
        check_relevant(questions_file, questions, _entity_graph(data_dir).require)
        engine = _open_engine(data_dir)
        settings = _settings(data_dir)
        opened: list[tuple[MetricData, EntityGraph]] = []  # opened once, on first need

        def metric_data() -> tuple[MetricData, EntityGraph]:
            from mobility_kg.data.stage import open_metric_data

            if not opened:
                opened.append(open_metric_data(settings.data_dir))
            return opened[0]

        reports = [
            evaluate(
                m.value,
                questions,
                lambda q, m=m: [h.id for h in engine.search(q, k, m).results],  # type: ignore[misc]
            )
            for m in modes
        ]
        answer_report = (
            evaluate_answers(
                answer_questions, lambda q: answer_question(engine, q, metric_data=metric_data)
            )
            if answers
            else None
        )
        # The retrieval questions all have answers in the corpus: none may be abstained.
        abstained_on_eval = (
            [
                q.question
                for q in questions
                if answer_question(engine, q.question, metric_data=metric_data).abstained
            ]
            if answers
            else []
        )
    if as_json:
        report: dict[str, Any] = {
            "questions": len(questions),
            "k": k,
            "modes": [_rounded(asdict(r)) for r in reports],
        }
        if answer_report is not None:
            report["answers"] = {
                **asdict(answer_report),
                "retrieval_questions_abstained": abstained_on_eval,
            }
        _print_json(report)
        return
    header = f"{'mode':<8} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MRR@10':>7} {'nDCG@10':>8}"
    print(f"{header}  ({counted(len(questions), 'question')})")
    for r in reports:
        print(
            f"{r.mode:<8} {r.recall['recall@1']:>6.3f} {r.recall['recall@5']:>6.3f} "
            f"{r.recall['recall@10']:>6.3f} {r.mrr_at_10:>7.3f} {r.ndcg_at_10:>8.3f}"
        )
    for r in reports:
        for missed in r.missed:
            print(f"missed ({r.mode}): {missed}")
    if answer_report is not None:
        a = answer_report
        off_topic = (
            f"off-topic abstained {a.abstention:.3f} ({a.off_topic_questions} questions)"
            if a.off_topic_questions
            else "no off-topic questions"
        )
        print(
            f"\nanswers: facts found {a.fact_recall:.3f} ({a.fact_questions} questions), "
            f"{off_topic}, "
            f"retrieval questions abstained {len(abstained_on_eval)} of {len(questions)}"
        )
        for question in a.facts_missed:
            print(f"fact missing: {question}")
        for question in [*a.answered_off_topic, *abstained_on_eval]:
            print(f"wrong abstention decision: {question}")


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
def publish(data_dir: DataDirOption = None) -> None:
    """Write the whole graph to the remote store (MOBILITY_KG_STORE_*), graph by graph.

    Each named graph is replaced whole: the framework and corpus, each data set's values,
    each added document. Graphs the store already holds as the build has them are skipped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.progress import TextColumn as Text

    from mobility_kg.publish import publish as run_publish

    settings = _settings(data_dir)
    console = Console(stderr=True)
    with (
        _errors(),
        Progress(
            Text("{task.description:<40}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            console=console,
            disable=not console.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("publishing", total=None)
        base = len(settings.base_iri)

        seen: set[str] = set()

        def advance(graph: str, done: int, total: int) -> None:
            bar.update(task, description=graph[base:], completed=done, total=total)
            if not console.is_terminal and graph not in seen:  # one line per graph in logs
                seen.add(graph)
                print(f"publish: {graph[base:]} ({done:,} of {total:,} triples)", file=sys.stderr)

        report = run_publish(settings, advance)
    print(
        f"published {report.triples:,} triples in {counted(len(report.graphs), 'named graph')} "
        f"to {settings.store_graph_url}"
    )
    if report.unchanged:
        keyed = (
            f" ({len(report.known_by_key):,} data sets known by the build's data key, not read)"
            if report.known_by_key
            else ""
        )
        print(f"{counted(len(report.unchanged), 'graph')} unchanged on the server: not sent{keyed}")
    if report.dropped:
        print(f"dropped {counted(len(report.dropped), 'graph')} the build no longer has")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Worker processes (one per core serves best; they share nothing but files).",
        ),
    ] = 1,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the web page and the JSON API over HTTP; the build is loaded once, at start-up.

    Says what it loads, then the URL, then one line per request."""
    from mobility_kg.api.serving import serve as run_server
    from mobility_kg.artifacts import check_compatible, read_manifest

    settings = _settings(data_dir)
    if not 1 <= workers <= 64:
        _fail(InvalidParameter("--workers", f"must be between 1 and 64, got {workers}"))
    _guarded(lambda: _check_listenable(host, port))  # before the build is loaded, not after
    _guarded(
        lambda: check_compatible(settings.data_dir, read_manifest(settings.data_dir), __version__)
    )
    if workers > 1:  # each worker process reads its settings from the environment
        os.environ["MOBILITY_KG_DATA_DIR"] = str(settings.data_dir)
    run_server(settings, host, port, workers)


def _check_listenable(host: str, port: int) -> None:
    """Fail when the server could not listen on ``host``:``port`` (a bad port or host, or a
    port another process holds).

    Raises:
        InvalidParameter: naming ``--port`` or ``--host``, with the system's reason.
    """
    import socket

    if not 0 <= port <= 65535:
        raise InvalidParameter("--port", f"must be between 0 and 65535, got {port}")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        raise InvalidParameter("--host", f"cannot listen on {host!r}: {error.strerror}") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            raise InvalidParameter(
                "--port", f"cannot listen on {host}:{port}: {error.strerror}"
            ) from None


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
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as error:
        error.show()
        sys.exit(error.exit_code)
    except ClickException as error:  # typer's usage errors: one line, as every other error
        context = error.ctx if isinstance(error, UsageError) else None
        print(f"error: {_usage_error_line(error.format_message(), context)}", file=sys.stderr)
        sys.exit(error.exit_code)
    except typer.Abort:
        print("error: aborted", file=sys.stderr)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def _usage_error_line(message: str, context: Context | None) -> str:
    """A usage error's message on one line, after the command it concerns and where to look."""
    message = " ".join(message.split())
    if context is None:
        return message
    command = context.command_path
    return f"{command}: {message} (see '{command} --help')"
