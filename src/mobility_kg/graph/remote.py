"""A remote SPARQL 1.1 server as the graph store: reads over the SPARQL 1.1 Protocol, writes
over the Graph Store HTTP Protocol and SPARQL 1.1 Update.

Every query names its dataset (``default-graph-uri`` and ``named-graph-uri``: the named graphs
of :mod:`mobility_kg.graph.named_graphs` that the build holds), so the answers are the same
whether or not the server's default graph is the union of its named graphs, and graphs that
are not ours (a server's own, a publish in progress) never show. The metric data's queries
(:meth:`RemoteStore.query`) name the data graphs in the query instead (``GRAPH ?g`` with
``?g`` one of them): a default graph of 89 named graphs makes Oxigraph look each pattern up
once per graph (40 times slower), while ``GRAPH ?g`` is one index lookup on any server.

Servers cap result sizes (Virtuoso: 10,000 rows by default) without failing, so large
results are read in pages (``ORDER BY`` every projected variable, ``LIMIT``/``OFFSET``); a
result that the server says it cut (Virtuoso's ``X-SPARQL-MaxRows`` header) is an error,
never a silent loss.

Each request has a deadline (``timeout`` seconds for the whole answer, not only between
bytes): a server that is down, goes away mid-answer or answers too slowly raises a
:class:`~mobility_kg.errors.StoreError` within it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from mobility_kg.errors import (
    QueryError,
    ResultTooLarge,
    StoreRefused,
    StoreTimeout,
    StoreUnavailable,
)
from mobility_kg.graph.sparql import DEFAULT_OPTIONS, QueryOptions

if TYPE_CHECKING:
    from mobility_kg.config import Settings
    from mobility_kg.graph.sparql import QueryForm

RESULTS_JSON = "application/sparql-results+json"
# A write (one chunk of a publish, or the swap of a graph of a million triples) may take
# longer than a read; its deadline is this or the store timeout, whichever is longer.
WRITE_TIMEOUT = 600.0
NTRIPLES = "application/n-triples"
# Virtuoso says so when it cut a result at its ResultSetMaxRows.
CAP_HEADER = "x-sparql-maxrows"
_SELECT_HEAD = re.compile(
    r"^\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?((?:\?\w+\s+)+)WHERE\b", re.IGNORECASE
)


_LEXICAL = "_lexical"
_DATA_GRAPH = "?data_graph_"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


class _Lexical:
    """A solution whose variables were projected as ``STR(?x) AS ?x_lexical``, read by the
    original names (``row["x"]``) and positions (``row[0]``)."""

    __slots__ = ("_row",)

    def __init__(self, row: Any) -> None:
        self._row = row

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, str):
            return self._row[key.lstrip("?") + _LEXICAL]
        return self._row[key]


def _prefix_lines(prefixes: Mapping[str, str] | None) -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items())


class RemoteStore:
    """One remote SPARQL 1.1 server; thread-safe (one httpx client, pooled connections).

    Capabilities (as rdflib's stores declare theirs): ``read_only`` is false only when an
    update and a graph store URL are configured.
    """

    name = "remote"

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str = "basic",
        timeout: float = 10.0,
        page_size: int = 10_000,
        dataset: Sequence[str] = (),
        union_default: bool = False,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graph_url = graph_url
        self.timeout = timeout
        self.page_size = page_size
        self.dataset = list(dataset)
        self.data_graphs: list[str] = []
        # The server's default graph is the union of its graphs: name no dataset (naming 89
        # graphs makes Oxigraph evaluate each pattern once per graph).
        self.union_default = union_default
        credentials: httpx.Auth | None = None
        if user is not None:
            if auth == "digest":
                credentials = httpx.DigestAuth(user, password or "")
            else:
                credentials = httpx.BasicAuth(user, password or "")
        self._client = httpx.Client(
            auth=credentials, timeout=httpx.Timeout(timeout), trust_env=False
        )
        # A digest login answers a request's first try with a challenge: a streamed body
        # would be sent twice, so the first one goes after a small request has logged in.
        self._logged_in = not isinstance(credentials, httpx.DigestAuth)

    @property
    def read_only(self) -> bool:
        return self.graph_url is None

    @classmethod
    def from_settings(cls, settings: Settings, dataset: Sequence[str] = ()) -> RemoteStore:
        """The store the settings name.

        Raises:
            ConfigError: no query URL is set.
        """
        from mobility_kg.errors import ConfigError

        if settings.store_query_url is None:
            raise ConfigError("MOBILITY_KG_STORE_QUERY_URL", "not set: no remote store")
        return cls(
            settings.store_query_url,
            update_url=settings.store_update_url,
            graph_url=settings.store_graph_url,
            user=settings.store_user,
            password=settings.store_password,
            auth=settings.store_auth,
            timeout=settings.store_timeout,
            page_size=settings.store_page_size,
            dataset=dataset,
            union_default=settings.store_union_default,
        )

    def with_dataset(self, graphs: Sequence[str], data_graphs: Sequence[str] = ()) -> None:
        """Ask every later query over these named graphs, and the metric data's queries over
        ``data_graphs`` (set once, after opening, before the store is shared between
        threads)."""
        self.dataset = list(graphs)
        self.data_graphs = list(data_graphs)

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ transport

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        data: Sequence[tuple[str, str]] | None = None,
        content: bytes | Iterable[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_bytes: int | None = None,
        query: bool = False,
    ) -> tuple[bytes, httpx.Headers]:
        """The whole body of one request's answer, within the deadline.

        Raises:
            StoreUnavailable: no connection, the connection dropped, or a 5xx answer.
            StoreTimeout: no complete answer within ``timeout`` (default the store's).
            StoreRefused: a 4xx answer (a query's 400 is a QueryError instead).
            ResultTooLarge: the answer passed ``max_bytes``.
        """
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        body: bytes | Iterable[bytes] | str | None = content
        if data is not None:
            body = str(httpx.QueryParams(list(data)))
            headers = {**(headers or {}), "Content-Type": "application/x-www-form-urlencoded"}
        try:
            request = self._client.build_request(
                method,
                url,
                params=list(params),
                content=body,
                headers=headers,
                timeout=httpx.Timeout(limit),
            )
            response = self._client.send(request, stream=True)
            try:
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ResultTooLarge(
                            f"the result passed {max_bytes} bytes; the limit is {max_bytes}"
                        )
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("deadline passed while reading")
            finally:
                response.close()
        except httpx.TimeoutException:
            raise StoreTimeout(url, f"no complete answer within {limit:g} s") from None
        except httpx.TransportError as error:
            reason = str(error) or type(error).__name__
            raise StoreUnavailable(url, f"cannot reach the store ({reason})") from None
        payload = b"".join(chunks)
        status = response.status_code
        if status >= 500:
            raise StoreUnavailable(url, f"the store answered {status}: {_excerpt(payload)}")
        if status == 400 and query:
            raise QueryError(f"the store refused the query: {_excerpt(payload)}")
        if status >= 400:
            raise StoreRefused(url, f"the store answered {status}: {_excerpt(payload)}")
        return payload, response.headers

    def _dataset_params(
        self, dataset: Sequence[str] | None, named: Sequence[str] | None = None
    ) -> list[tuple[str, str]]:
        if dataset is None and self.union_default:
            return []
        graphs = self.dataset if dataset is None else dataset
        return [
            *(("default-graph-uri", graph) for graph in graphs),
            *(("named-graph-uri", graph) for graph in (graphs if named is None else named)),
        ]

    # ------------------------------------------------------------------ reads

    def raw(
        self,
        query: str,
        accept: str,
        *,
        timeout: float | None = None,
        max_bytes: int | None = None,
        page: int | None = None,
        dataset: Sequence[str] | None = None,
        named: Sequence[str] | None = None,
    ) -> bytes:
        """The serialised answer to a query, as the server writes it in ``accept``.

        ``page`` is the query's own LIMIT, when it has one: a server whose cap is at least
        that (Virtuoso says it capped even when the LIMIT, not the cap, ended the result)
        has lost nothing. ``dataset`` replaces the store's graphs for this query (``()``: the
        server's own default dataset); ``named``, when given, are the named graphs apart
        from the default graph's.

        Raises:
            StoreError: the server is down, too slow or refuses.
            QueryError: the server refuses the query (400).
            ResultTooLarge: the answer passed ``max_bytes``, or the server cut it.
        """
        payload, headers = self._send(
            "POST",
            self.query_url,
            data=[("query", query), *self._dataset_params(dataset, named)],
            headers={"Accept": accept},
            timeout=timeout,
            max_bytes=max_bytes,
            query=True,
        )
        cap = headers.get(CAP_HEADER)
        if cap is not None and (page is None or not cap.isdigit() or int(cap) < page):
            raise ResultTooLarge(
                f"the store cut the result at {cap} rows (its result limit); "
                "add LIMIT/OFFSET to the query or raise the server's limit"
            )
        return payload

    def select(
        self,
        query: str,
        prefixes: Mapping[str, str] | None = None,
        *,
        page: int | None = None,
        dataset: Sequence[str] | None = None,
    ) -> list[Any]:
        """The solutions of one SELECT, in one request (pyoxigraph ``QuerySolution``s).

        Raises:
            StoreError, QueryError: as :meth:`raw`; ResultTooLarge when the server cut it.
        """
        import pyoxigraph

        payload = self.raw(
            _prefix_lines(prefixes) + query, RESULTS_JSON, page=page, dataset=dataset
        )
        try:
            solutions = pyoxigraph.parse_query_results(payload, pyoxigraph.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as error:
            raise StoreUnavailable(self.query_url, f"unreadable results ({error})") from None
        return list(solutions)  # type: ignore[arg-type]  # a SELECT gives solutions

    def query(self, query: str, prefixes: Mapping[str, str] | None = None) -> Iterator[Any]:
        """Every solution of a SELECT, read in pages, each value as its lexical form.

        The call ``pyoxigraph.Store.query`` takes, so the metric data reads either store;
        every bound value is a literal holding the term's lexical form (an IRI's text, a
        number's digits as stored), because servers may rewrite numbers when they write
        results (Virtuoso writes an ``xsd:double`` with 6 significant digits, though it
        stores and ``STR`` gives all of them).

        The query's pattern is asked in the data graphs (``GRAPH ?g``, ``?g`` one of
        ``data_graphs``), where the observations are, when they are known.

        Raises:
            StoreError, QueryError: as :meth:`select`.
        """
        if not self.data_graphs:
            return self.solutions(query, prefixes, lexical=True)
        return self.solutions(
            in_graphs(query, self.data_graphs), prefixes, lexical=True, dataset=()
        )

    def solutions(
        self,
        query: str,
        prefixes: Mapping[str, str] | None = None,
        *,
        lexical: bool = False,
        dataset: Sequence[str] | None = None,
    ) -> Iterator[Any]:
        """Every solution of a SELECT, read in pages of ``page_size`` rows.

        A SELECT whose head names its variables is paged (ordered by all of them, in a
        subquery, the slice outside it); any other is one request. ``lexical`` as in :meth:`query`.

        Raises:
            StoreError, QueryError: as :meth:`select`.
        """
        head = _SELECT_HEAD.match(query)
        if head is None:
            yield from self.select(query, prefixes, dataset=dataset)
            return
        names = head.group(1).split()
        order = " ".join(names)
        projection = " ".join(f"(STR({n}) AS {n}{_LEXICAL})" for n in names) if lexical else "*"
        offset = 0
        while True:
            # The order inside, the slice outside: Virtuoso refuses to sort more than its
            # row cap for a sorted slice, but scrolls through an ordered subquery.
            page = (
                f"SELECT {projection} WHERE {{ {{ SELECT * WHERE {{ {{ {query} }} }} "
                f"ORDER BY {order} }} }} LIMIT {self.page_size} OFFSET {offset}"
            )
            rows = self.select(page, prefixes, page=self.page_size, dataset=dataset)
            yield from (_Lexical(row) for row in rows) if lexical else rows
            if len(rows) < self.page_size:
                return
            offset += self.page_size

    def ask(self, query: str, prefixes: Mapping[str, str] | None = None) -> bool:
        """The answer to an ASK.

        Raises:
            StoreError, QueryError: as :meth:`raw`.
        """
        import pyoxigraph

        payload = self.raw(_prefix_lines(prefixes) + query, RESULTS_JSON)
        return bool(pyoxigraph.parse_query_results(payload, pyoxigraph.QueryResultsFormat.JSON))

    def ntriples(self, graphs: Iterable[str]) -> Iterator[str]:
        """Every triple of the named graphs as N-Triples lines.

        Each graph in one ``CONSTRUCT`` when the server gives all of its triples (as many
        lines as a ``COUNT`` says), else read in pages (Virtuoso cuts a CONSTRUCT at its row
        cap too): paging sorts the whole graph once per page.

        Raises:
            StoreError: as :meth:`raw`.
        """
        import pyoxigraph

        for graph in graphs:
            pattern = f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            counted = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {pattern}")
            expected = int(counted[0]["n"].value) if counted and counted[0]["n"] else -1
            try:
                text = self.raw(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {pattern}", NTRIPLES)
            except ResultTooLarge:
                text = b""
            triples = list(pyoxigraph.parse(text, pyoxigraph.RdfFormat.N_TRIPLES))
            if len(triples) == expected:  # as the pages write them (Virtuoso writes tabs)
                yield from (f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
                continue
            query = f"SELECT ?s ?p ?o WHERE {pattern}"
            for row in self.solutions(query):
                yield f"{row['s']} {row['p']} {row['o']} .\n"

    def graph_names(self, prefix: str) -> list[str]:
        """The named graphs the server holds whose IRIs start with ``prefix``.

        Asks for the list of graphs first (Oxigraph answers from its list at once); a server
        that leaves ``?g`` unbound there (Virtuoso) is asked for the graphs of its triples.

        Raises:
            StoreError: as :meth:`raw`.
        """
        listed = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", dataset=())
        if all(row["g"] is not None for row in listed):
            names = [str(row["g"].value) for row in listed]
        else:
            query = (
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }}'
            )
            names = [str(row["g"].value) for row in self.solutions(query, dataset=())]
        return sorted(name for name in names if name.startswith(prefix))

    # ------------------------------------------------------------------ writes

    def _graph_store(self) -> str:
        if self.graph_url is None:
            from mobility_kg.errors import ConfigError

            raise ConfigError(
                "MOBILITY_KG_STORE_GRAPH_URL", "not set: writing needs a graph store URL"
            )
        return self.graph_url

    def put(
        self,
        graph: str,
        ntriples: bytes | Iterable[bytes],
        *,
        replace: bool = True,
        size: int | None = None,
    ) -> None:
        """Replace (PUT) or add to (POST) one named graph, N-Triples in one request.

        ``ntriples`` may be an iterable of chunks, streamed, of ``size`` bytes in all (sent
        as the Content-Length: Virtuoso takes no chunked request body); it must be iterable
        more than once, as a digest login sends the body again.

        Raises:
            ConfigError: no graph store URL.
            StoreError: the server is down, too slow or refuses.
        """
        headers = {"Content-Type": NTRIPLES}
        if not isinstance(ntriples, bytes):
            if size is None:
                raise TypeError("a streamed body needs its size")
            headers["Content-Length"] = str(size)
            if not self._logged_in:  # any answer after the login will do (Virtuoso: 501)
                try:
                    self._send("HEAD", self._graph_store(), params=[("graph", graph)])
                except (StoreRefused, StoreUnavailable):
                    pass
                self._logged_in = True
        self._send(
            "PUT" if replace else "POST",
            self._graph_store(),
            params=[("graph", graph)],
            content=ntriples,
            headers=headers,
            timeout=max(self.timeout, WRITE_TIMEOUT),
        )

    def update(self, text: str) -> None:
        """Run one SPARQL 1.1 Update request (one transaction on the server).

        Raises:
            StoreError: the server is down, too slow or refuses.
        """
        self._send(
            "POST",
            self.update_url,
            data=[("update", text)],
            timeout=max(self.timeout, WRITE_TIMEOUT),
        )


def in_graphs(query: str, graphs: Sequence[str]) -> str:
    """``SELECT ... WHERE { P }`` as ``SELECT ... WHERE { GRAPH ?g { P } FILTER(?g IN (graphs)) }``:
    the pattern matched within any one of the graphs, each triple pattern one index lookup.

    Raises:
        QueryError: the query has no ``WHERE {`` (a programming error of the caller).
    """
    where = _WHERE.search(query)
    end = query.rfind("}")
    if where is None or end < where.end():
        raise QueryError("a query over the data graphs needs a WHERE { ... } pattern")
    names = ", ".join(f"<{graph}>" for graph in graphs)
    return (
        f"{query[: where.end()]} GRAPH {_DATA_GRAPH} {{ {query[where.end() : end]} }} "
        f"FILTER({_DATA_GRAPH} IN ({names})) {query[end:]}"
    )


def _excerpt(payload: bytes, limit: int = 200) -> str:
    text = " ".join(payload.decode("utf-8", "replace").split())
    return text[:limit] + ("…" if len(text) > limit else "") if text else "(empty body)"


class RemoteQueryRunner:
    """The SPARQL endpoint's runner over a remote store: the query goes to the server as it
    came (already checked as read-only), the answer comes back in the media type asked."""

    def __init__(self, store: RemoteStore, timeout: float, max_result_bytes: int) -> None:
        self.store = store
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes

    def run(
        self, query: str, form: QueryForm, media_type: str, options: QueryOptions = DEFAULT_OPTIONS
    ) -> bytes:
        """The serialised result. The protocol's dataset goes to the server as its own
        ``default-graph-uri``/``named-graph-uri``; a query with its own ``FROM`` is sent
        without the store's graphs, so its ``FROM`` holds; relative IRIs resolve against
        ``options.base_iri`` (a ``BASE`` before the query's own prologue, which wins).

        Raises:
            StoreError: the store is down, or gave no answer within the timeout.
            QueryError: the store refused the query.
            ResultTooLarge: the result passed the size limit, or the store cut it.
        """
        dataset: Sequence[str] | None = None
        named: Sequence[str] | None = None
        if options.dataset.given:
            dataset, named = options.dataset.default_graphs, options.dataset.named_graphs
        elif options.own_dataset:
            dataset, named = (), ()
        text = f"BASE <{options.base_iri}>\n{query}" if options.base_iri else query
        return self.store.raw(
            text,
            media_type,
            timeout=self.timeout,
            max_bytes=self.max_result_bytes,
            dataset=dataset,
            named=named,
        )

    def close(self) -> None:
        """The store belongs to whoever opened it; nothing to stop here."""
