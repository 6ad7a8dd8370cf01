"""Read-only SPARQL 1.1: refuse what must not run, then run the rest in a worker process.

Checking happens before anything runs: the text must parse as a query (an update, including
LOAD, is refused) and may not contain SERVICE (no calls to other endpoints). Queries run on
an Oxigraph store inside one worker process, so a query that passes the time limit is stopped
by ending the worker (a fresh one starts for the next query); results are serialised in the
worker and refused once they pass the size limit.
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import threading
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


def check_query(text: str) -> QueryForm:
    """The form of a read-only query.

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
    return QueryForm(parsed[1].name)


def _worker(connection: Connection, ntriples: str, cube: str = "", copy: str = "") -> None:
    """Load the graph once, then answer (query, form, format, limit) messages until closed.

    With ``cube`` (an on-disk store of observations), the worker queries a private copy of it
    at ``copy`` (hard links, made in milliseconds) with the graph added, so one query joins
    the framework and the metric values.
    """
    import io

    import pyoxigraph

    if cube:
        pyoxigraph.Store.read_only(cube).backup(copy)
        store = pyoxigraph.Store(copy)
    else:
        store = pyoxigraph.Store()
    store.load(path=ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    connection.send(("ready", len(store)))
    while True:
        try:
            query, returns_graph, format_name, limit = connection.recv()
        except EOFError:
            return
        try:
            result = store.query(query)
            buffer = io.BytesIO()
            # SELECT solutions and ASK booleans serialise as results, CONSTRUCT triples as RDF.
            formats = pyoxigraph.RdfFormat if returns_graph else pyoxigraph.QueryResultsFormat
            result.serialize(buffer, getattr(formats, format_name))
            data = buffer.getvalue()
            if len(data) > limit:
                connection.send(("too-large", len(data)))
            else:
                connection.send(("ok", data))
        except (SyntaxError, ValueError, OSError) as error:
            connection.send(("error", str(error)))


class SparqlRunner:
    """Owns the worker process; one query at a time; thread-safe."""

    def __init__(
        self, ntriples: Path, timeout: float, max_result_bytes: int, cube: Path | None = None
    ) -> None:
        self.ntriples = ntriples
        self.cube = cube
        self._copy: Path | None = None
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def _start(self) -> Connection:
        parent, child = self._context.Pipe()
        args: tuple[object, ...] = (child, str(self.ntriples))
        if self.cube is not None:
            self._copy = Path(tempfile.mkdtemp(dir=self.cube.parent, prefix=".sparql-"))
            self._copy.rmdir()  # the backup creates it
            args += (str(self.cube), str(self._copy))
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

    def run(self, query: str, form: QueryForm, media_type: str) -> bytes:
        """The serialised result of an already checked query.

        Raises:
            QueryTimeout: it ran past the time limit (the worker is stopped and replaced).
            ResultTooLarge: the result passed the size limit.
            QueryError: Oxigraph refused the query.
        """
        formats = GRAPH_TYPES if form.returns_graph else RESULT_TYPES
        with self._lock:
            connection = self._connection or self._start()
            connection.send((query, form.returns_graph, formats[media_type], self.max_result_bytes))
            if not connection.poll(self.timeout):
                self._stop()
                raise QueryTimeout(
                    f"the query ran past the {self.timeout:g} s limit and was stopped"
                )
            status, payload = connection.recv()
        if status == "too-large":
            raise ResultTooLarge(
                f"the result is {payload} bytes; the limit is {self.max_result_bytes}"
            )
        if status == "error":
            raise QueryError(str(payload))
        data: bytes = payload
        return data

    def close(self) -> None:
        with self._lock:
            self._stop()
