"""Read-only SPARQL 1.1: refuse what must not run, then run the rest in a worker process.

Checking happens before anything runs: the text must parse as a query (an update, including
LOAD, is refused) and may not contain SERVICE (no calls to other endpoints). Queries run on
an Oxigraph store inside one worker process, so a query that passes the time limit is stopped
by ending the worker (a fresh one starts for the next query); results are serialised in the
worker and refused once they pass the size limit.

The store serves the graph as named graphs (:mod:`mobility_kg.graph.named_graphs`): the
framework and corpus in ``graph/framework``, each document added with ``add`` in
``graph/document/<id>``; the metric values stay in the store's default graph. A query's
default graph is the union of all of them, unless its dataset is named: by ``FROM`` /
``FROM NAMED`` in the query, or by the protocol's ``default-graph-uri`` / ``named-graph-uri``
(:class:`Dataset`), which take precedence over the query's.
"""

from __future__ import annotations

import io
import multiprocessing
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from mobility_kg.errors import (
    QueryError,
    QueryNotAllowed,
    QueryTimeout,
    ResultTooLarge,
    SparqlSyntax,
)


class QueryForm(StrEnum):
    SELECT = "SelectQuery"
    ASK = "AskQuery"
    CONSTRUCT = "ConstructQuery"
    DESCRIBE = "DescribeQuery"

    @property
    def returns_graph(self) -> bool:
        return self in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)


RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/ld+json": "JSON_LD",
    "application/n-triples": "N_TRIPLES",
}


def _contains(node: Any, name: str) -> bool:
    """Whether a parse tree (pyparsing results of rdflib CompValues) holds a node ``name``."""
    if getattr(node, "name", None) == name:
        return True
    children: list[Any] = []
    if isinstance(node, dict):
        children = list(node.values())
    elif isinstance(node, list | tuple):
        children = list(node)
    elif hasattr(node, "values") and callable(node.values):
        children = list(node.values())
    if hasattr(node, "asList") and not isinstance(node, dict):
        children += list(node)
    return any(_contains(child, name) for child in children)


@dataclass(frozen=True, slots=True)
class Dataset:
    """The RDF dataset a request names with the protocol's ``default-graph-uri`` and
    ``named-graph-uri`` parameters. When either is given, the dataset is exactly these graphs
    (an absent list is empty) and any ``FROM`` / ``FROM NAMED`` of the query is overridden."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True, slots=True)
class QueryOptions:
    """How to run a checked query: the base IRI of relative IRIs (the endpoint's URL), the
    protocol dataset, and whether the query names its own dataset (``FROM``)."""

    base_iri: str = ""
    dataset: Dataset = Dataset()
    own_dataset: bool = False


DEFAULT_OPTIONS = QueryOptions()  # frozen: safe as a default argument


def check_query(text: str) -> QueryForm:
    """The form of a read-only query.

    Raises:
        SparqlSyntax: the text is neither a query nor an update.
        QueryNotAllowed: an update (INSERT, DELETE, LOAD, CLEAR...) or a SERVICE call.
    """
    return inspect_query(text)[0]


def inspect_query(text: str) -> tuple[QueryForm, bool]:
    """The form of a read-only query, and whether it names its dataset (``FROM``,
    ``FROM NAMED``).

    Raises:
        SparqlSyntax: the text is neither a query nor an update.
        QueryNotAllowed: an update (INSERT, DELETE, LOAD, CLEAR...) or a SERVICE call.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as error:
        try:
            parseUpdate(text)
        except ParseException:
            raise SparqlSyntax(str(error.msg), error.lineno, error.col) from None
        raise QueryNotAllowed(
            "updates (INSERT, DELETE, LOAD, CLEAR...) are refused: the endpoint is read-only"
        ) from None
    if _contains(parsed, "ServiceGraphPattern"):
        raise QueryNotAllowed("SERVICE is refused: the endpoint queries only its own graph")
    return QueryForm(parsed[1].name), _contains(parsed, "DatasetClause")


def split_graphs(
    ntriples: bytes, base_iri: str, documents: Sequence[str]
) -> dict[str, list[bytes]]:
    """The lines of the graph's N-Triples by named graph: a line whose subject is an added
    document (or one of its sections, ``<doc>#...``) goes to that document's graph, the rest
    to the framework graph."""
    from mobility_kg.graph.named_graphs import document_graph, framework_graph

    framework = framework_graph(base_iri)
    graphs = {base_iri + d: document_graph(base_iri, d) for d in documents}
    parts: dict[str, list[bytes]] = {framework: [], **{g: [] for g in graphs.values()}}
    for line in ntriples.splitlines(keepends=True):
        subject = line.split(b" ", 1)[0].strip(b"<>").decode("utf-8", "replace")
        parts[graphs.get(subject.partition("#")[0], framework)].append(line)
    return parts


def _run_options(options: QueryOptions) -> dict[str, Any]:
    """pyoxigraph ``Store.query`` arguments for ``options``."""
    import pyoxigraph

    arguments: dict[str, Any] = {"base_iri": options.base_iri or None}
    if options.dataset.given:
        arguments["default_graph"] = [
            pyoxigraph.NamedNode(g) for g in options.dataset.default_graphs
        ]
        arguments["named_graphs"] = [pyoxigraph.NamedNode(g) for g in options.dataset.named_graphs]
    elif not options.own_dataset:
        arguments["use_default_graph_as_union"] = True
    return arguments


def _worker(
    connection: Connection,
    ntriples: str,
    cube: str = "",
    copy: str = "",
    base_iri: str = "",
    documents: Sequence[str] = (),
) -> None:
    """Load the graph once, then answer (query, form, format, limit, options) messages until
    closed.

    With ``cube`` (an on-disk store of observations), the worker queries a private copy of it
    at ``copy`` (hard links, made in milliseconds) with the graph added, so one query joins
    the framework and the metric values. With ``base_iri``, the graph goes into its named
    graphs (:func:`split_graphs`); without, into the default graph.
    """
    from pathlib import Path

    import pyoxigraph

    if cube:
        pyoxigraph.Store.read_only(cube).backup(copy)
        store = pyoxigraph.Store(copy)
    else:
        store = pyoxigraph.Store()
    if base_iri:
        for graph, lines in split_graphs(Path(ntriples).read_bytes(), base_iri, documents).items():
            store.load(
                b"".join(lines),
                format=pyoxigraph.RdfFormat.N_TRIPLES,
                to_graph=pyoxigraph.NamedNode(graph),
            )
    else:
        store.load(path=ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    connection.send(("ready", len(store)))
    while True:
        try:
            query, returns_graph, format_name, limit, options = connection.recv()
        except EOFError:
            return
        try:
            result = store.query(query, **_run_options(options))
            buffer = CappedBuffer(limit)
            # SELECT solutions and ASK booleans serialise as results, CONSTRUCT triples as RDF.
            formats = pyoxigraph.RdfFormat if returns_graph else pyoxigraph.QueryResultsFormat
            result.serialize(buffer, getattr(formats, format_name))
            connection.send(("ok", buffer.getvalue()))
        except PastLimit:
            connection.send(("too-large", limit))
        except (SyntaxError, ValueError, OSError) as error:
            connection.send(("error", str(error)))


class PastLimit(Exception):
    """The result being written has passed its size limit."""


class CappedBuffer(io.BytesIO):
    """A buffer that refuses to grow past ``limit`` bytes, so that a huge result is stopped
    while it is written instead of being built whole and then refused."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.limit:
            raise PastLimit
        return super().write(data)


class SparqlRunner:
    """Owns the worker process; one query at a time; thread-safe."""

    def __init__(
        self,
        ntriples: Path,
        timeout: float,
        max_result_bytes: int,
        cube: Path | None = None,
        *,
        base_iri: str = "",
        documents: Sequence[str] = (),
    ) -> None:
        """``base_iri`` (the build's) serves the graph as named graphs, ``documents`` (the
        ids of the documents added with ``add``) each in its own; without it, one graph."""
        self.ntriples = ntriples
        self.cube = cube
        self.base_iri = base_iri
        self.documents = tuple(documents)
        self._copy: Path | None = None
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def _start(self) -> Connection:
        parent, child = self._context.Pipe()
        cube = copy = ""
        if self.cube is not None:
            self._copy = Path(tempfile.mkdtemp(dir=self.cube.parent, prefix=".sparql-"))
            self._copy.rmdir()  # the backup creates it
            cube, copy = str(self.cube), str(self._copy)
        args = (child, str(self.ntriples), cube, copy, self.base_iri, self.documents)
        process = self._context.Process(target=_worker, args=args, daemon=True)
        process.start()
        child.close()
        if not parent.poll(120):
            process.kill()
            raise QueryError("the SPARQL worker did not start")
        parent.recv()
        self._process, self._connection = process, parent
        return parent

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._connection is not None:
            self._connection.close()
        if self._copy is not None:
            shutil.rmtree(self._copy, ignore_errors=True)
        self._process = self._connection = None
        self._copy = None

    def run(
        self, query: str, form: QueryForm, media_type: str, options: QueryOptions = QueryOptions()
    ) -> bytes:
        """The serialised result of an already checked query, run with ``options``.

        Raises:
            QueryTimeout: it ran past the time limit (the worker is stopped and replaced).
            ResultTooLarge: the result passed the size limit.
            QueryError: Oxigraph refused the query.
        """
        formats = GRAPH_TYPES if form.returns_graph else RESULT_TYPES
        with self._lock:
            connection = self._connection or self._start()
            connection.send(
                (query, form.returns_graph, formats[media_type], self.max_result_bytes, options)
            )
            if not connection.poll(self.timeout):
                self._stop()
                raise QueryTimeout(
                    f"the query ran past the {self.timeout:g} s limit and was stopped"
                )
            status, payload = connection.recv()
        if status == "too-large":
            raise ResultTooLarge(
                f"the result passed the limit of {self.max_result_bytes:,} bytes and was stopped"
            )
        if status == "error":
            raise QueryError(str(payload))
        data: bytes = payload
        return data

    def close(self) -> None:
        with self._lock:
            self._stop()
