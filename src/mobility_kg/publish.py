"""``publish``: the whole build written to a remote SPARQL store, in named graphs.

Each named graph (:mod:`mobility_kg.graph.named_graphs`) is replaced whole, so publishing
twice gives the same store, and a publish that fails at any moment leaves each named graph
either as it was or complete:

- a graph the server does not hold yet is sent in one Graph Store HTTP Protocol PUT whose
  body streams the N-Triples in chunks: one transaction on the server, so a failure leaves
  no triple of it (Oxigraph and Virtuoso both discard a PUT cut off or killed mid-way);
- a graph the server holds goes in chunks (a PUT, then POSTs) into a temporary graph beside
  it, and one SPARQL Update ``MOVE`` swaps it in. The swap copies every triple on the
  server (on a slice of the build, 65% of a publish's time on Oxigraph and 46% on
  Virtuoso), so it is kept for the graphs whose old triples must stay readable until the
  new ones are complete.

A graph the server holds as the build has it is not sent again: publish keeps a record
(the graph ``publish-record``: each graph's N-Triples SHA-256 and triple count, removed
before the graph changes and written after), and a graph whose record matches and whose
triples are as many as recorded is left alone (a republish after ``add`` sends the framework and the
new document's graphs, not the 12 million observation triples). A data set's graph also
records the build's data key (which fixes the observation store's content): while the key
and the count match, its triples are not even read out of the store and hashed.

Graphs of ours that the build no longer has (a removed document) are dropped at the end, and
temporary graphs a failed publish left are dropped at the start.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mobility_kg.artifacts import artifact_path, read_manifest
from mobility_kg.build import added_document_ids, load_built_graph
from mobility_kg.config import Settings
from mobility_kg.graph.named_graphs import (
    dataset_graph,
    document_graph,
    framework_graph,
    is_ours,
)
from mobility_kg.graph.remote import RemoteStore
from mobility_kg.stores import dataset_iris

# Triples per request: about 8 MB of N-Triples, small enough for any server's request limit
# and its transaction log, large enough that a request's overhead does not count.
CHUNK_TRIPLES = 50_000
PUBLISHING = "graph/publishing/"
# What publish wrote last, one record per graph (its N-Triples' SHA-256 and triple count),
# so that a graph the server holds as the build has it is not sent again.
PUBLISHED = "publish-record"  # outside graph/: not one of the graphs publish writes
_DIGEST = "publish-record#sha256"
_TRIPLES = "publish-record#triples"
_DATA_KEY = "publish-record#data-key"

# (graph IRI, triples sent so far in all graphs, total triples)
PublishProgress = Callable[[str, int, int], None]


def _quiet(graph: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class PublishReport:
    graphs: dict[str, int]  # named graph IRI -> triples
    dropped: list[str]
    unchanged: list[str] = field(default_factory=list)  # held as the build has them: not sent
    # of those, the data sets known by the build's data key: their triples were not even read
    known_by_key: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def temporary_graph(base_iri: str, graph: str) -> str:
    """Where a graph's triples go before the swap."""
    return base_iri + PUBLISHING + graph.removeprefix(base_iri + "graph/")


def _chunks(lines: Iterator[bytes], size: int) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Body:
    """A graph's N-Triples as one request body, in chunks of ``chunk_triples`` lines, each
    reported as sent; iterable again from the start (a digest login sends the body twice)."""

    def __init__(
        self,
        lines: Callable[[], Iterator[bytes]],
        chunk_triples: int,
        sent: Callable[[int], None],
    ) -> None:
        self.lines = lines
        self.chunk_triples = chunk_triples
        self.sent = sent
        self.count = 0

    def __iter__(self) -> Iterator[bytes]:
        count = 0
        for chunk in _chunks(self.lines(), self.chunk_triples):
            yield b"".join(chunk)
            count += len(chunk)
            self.sent(count)
        self.count = count


@dataclass(frozen=True, slots=True)
class _Source:
    """A graph's N-Triples lines, readable more than once, their size in bytes, their number
    and their SHA-256."""

    lines: Callable[[], Iterator[bytes]]
    size: int
    count: int
    digest: str


def _in_memory(lines: list[bytes]) -> _Source:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    return _Source(lambda: iter(lines), sum(map(len, lines)), len(lines), digest.hexdigest())


def _in_file(path: Path, count: int, digest: str) -> _Source:
    def lines() -> Iterator[bytes]:
        with path.open("rb") as stream:
            yield from stream

    return _Source(lines, path.stat().st_size, count, digest)


@dataclass(frozen=True, slots=True)
class _Record:
    """What publish last wrote to the server: graph -> (SHA-256, triples)."""

    store: RemoteStore
    base_iri: str
    held: dict[str, tuple[str, int]]
    data_keys: dict[str, str] = field(default_factory=dict)  # data set graph -> data key

    @classmethod
    def read(cls, store: RemoteStore, base_iri: str) -> _Record:
        state, digest, triples, key = (
            base_iri + PUBLISHED,
            base_iri + _DIGEST,
            base_iri + _TRIPLES,
            base_iri + _DATA_KEY,
        )
        rows = store.select(
            f"SELECT ?g ?d ?n ?k WHERE {{ GRAPH <{state}> {{ ?g <{digest}> ?d ; <{triples}> ?n "
            f"OPTIONAL {{ ?g <{key}> ?k }} }} }}",
            dataset=(),
        )
        return cls(
            store,
            base_iri,
            {str(r["g"].value): (str(r["d"].value), int(r["n"].value)) for r in rows},
            {str(r["g"].value): str(r["k"].value) for r in rows if r["k"] is not None},
        )

    def _count_is(self, graph: str, count: int) -> bool:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        rows = self.store.select(query, dataset=())
        return bool(rows) and rows[0]["n"] is not None and int(rows[0]["n"].value) == count

    def unchanged(self, graph: str, source: _Source) -> bool:
        """Whether the server holds ``graph`` as ``source`` has it: the record says so and
        the graph has as many triples (a graph altered by hand is sent again)."""
        if self.held.get(graph) != (source.digest, source.count):
            return False
        return self._count_is(graph, source.count)

    def held_for_key(self, graph: str, data_key: str) -> int | None:
        """The triples of a data set's graph published from the same data (the same data key),
        if the server still holds as many; else None."""
        if not data_key or self.data_keys.get(graph) != data_key or graph not in self.held:
            return None
        count = self.held[graph][1]
        return count if self._count_is(graph, count) else None

    def forget(self, graph: str) -> None:
        """Before the graph changes: a publish that fails from here sends it again."""
        if graph in self.held:
            state = self.base_iri + PUBLISHED
            self.store.update(f"DELETE WHERE {{ GRAPH <{state}> {{ <{graph}> ?p ?o }} }}")
            del self.held[graph]
            self.data_keys.pop(graph, None)

    def remember(self, graph: str, source: _Source, data_key: str = "") -> None:
        state, digest, triples, key = (
            self.base_iri + PUBLISHED,
            self.base_iri + _DIGEST,
            self.base_iri + _TRIPLES,
            self.base_iri + _DATA_KEY,
        )
        keyed = f'; <{key}> "{data_key}" ' if data_key else ""
        self.store.update(
            f'INSERT DATA {{ GRAPH <{state}> {{ <{graph}> <{digest}> "{source.digest}" ; '
            f"<{triples}> {source.count} {keyed}}} }}"
        )
        self.held[graph] = (source.digest, source.count)
        if data_key:
            self.data_keys[graph] = data_key


def _dataset_files(
    cube: Any, datasets: list[str], folder: Path
) -> Generator[tuple[str, _Source], None, None]:
    """Each data set's observations as an N-Triples file in ``folder``; the next one is
    written (in a thread) while the caller sends this one, and each is removed when the
    caller moves on."""
    import pyoxigraph

    def write(index: int) -> _Source:
        path = folder / f"dataset-{index}.nt"
        query = (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s <http://purl.org/linked-data/cube#dataSet> "
            f"<{datasets[index]}> ; ?p ?o }}"
        )
        triples = cube.query(query)
        assert isinstance(triples, pyoxigraph.QueryTriples)  # a CONSTRUCT's answer
        triples.serialize(path, pyoxigraph.RdfFormat.N_TRIPLES)
        digest = hashlib.sha256()
        count = 0
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
                count += block.count(b"\n")
        return _in_file(path, count, digest.hexdigest())

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(write, 0) if datasets else None
        for index, dataset in enumerate(datasets):
            assert pending is not None
            source = pending.result()
            pending = pool.submit(write, index + 1) if index + 1 < len(datasets) else None
            try:
                yield dataset, source
            finally:
                (folder / f"dataset-{index}.nt").unlink()


def _send_graph(
    store: RemoteStore,
    base_iri: str,
    graph: str,
    source: _Source,
    held: bool,
    sent: int,
    total: int,
    progress: PublishProgress,
    chunk_triples: int,
) -> int:
    """Write one graph whole; the triples sent. ``held``: the server holds the graph now."""
    if not held:
        done = 0

        def report(count: int) -> None:
            nonlocal done
            done = max(done, count)  # a second pass (digest login) does not go back
            progress(graph, sent + done, total)

        body = _Body(source.lines, chunk_triples, report)
        if source.size:
            store.put(graph, body, size=source.size)
        return body.count
    temporary = temporary_graph(base_iri, graph)
    count = 0
    first = True
    for chunk in _chunks(source.lines(), chunk_triples):
        store.put(temporary, b"".join(chunk), replace=first)
        first = False
        count += len(chunk)
        progress(graph, sent + count, total)
    if first:  # no triple: the graph is emptied
        store.update(f"DROP SILENT GRAPH <{graph}>")
        return 0
    store.update(f"MOVE SILENT <{temporary}> TO <{graph}>")
    return count


def publish(
    settings: Settings,
    progress: PublishProgress = _quiet,
    *,
    chunk_triples: int = CHUNK_TRIPLES,
) -> PublishReport:
    """Write the build in ``settings.data_dir`` to the remote store the settings name, in
    requests of ``chunk_triples`` triples.

    Raises:
        MissingArtifact, StaleArtifact: no usable build.
        ConfigError: no query, update or graph store URL.
        StoreError: the store is down, too slow or refuses (graphs already swapped in stay;
            the others are as they were).
    """
    import pyoxigraph

    built = load_built_graph(settings.data_dir)
    base = built.manifest.base_iri
    manifest = read_manifest(settings.data_dir)
    documents = added_document_ids(settings.data_dir, manifest)
    subjects = {base + entity: document_graph(base, entity) for entity in documents}
    framework = framework_graph(base)
    graph_text = artifact_path(settings.data_dir, manifest, "graph").read_bytes()
    parts: dict[str, list[bytes]] = {framework: []}
    parts.update({g: [] for g in subjects.values()})
    for line in graph_text.splitlines(keepends=True):
        subject = line.split(b" ", 1)[0].strip(b"<>").decode().partition("#")[0]
        parts[subjects.get(subject, framework)].append(line)
    cube = None
    datasets: list[str] = []
    if "store" in manifest.files:
        cube = pyoxigraph.Store.read_only(str(artifact_path(settings.data_dir, manifest, "store")))
        datasets = dataset_iris(built.graph)
    total = sum(len(lines) for lines in parts.values()) + (len(cube) if cube is not None else 0)

    store = RemoteStore.from_settings(settings)
    try:
        names = store.graph_names(base + "graph/")
        for name in names:
            if name.startswith(base + PUBLISHING):
                store.update(f"DROP SILENT GRAPH <{name}>")
        record = _Record.read(store, base)
        sent = 0
        counts: dict[str, int] = {}
        unchanged: list[str] = []
        known_by_key: list[str] = []

        def write(graph: str, source: _Source, data_key: str = "") -> None:
            nonlocal sent
            if graph in names and record.unchanged(graph, source):
                unchanged.append(graph)
                counts[graph] = source.count
                if data_key and record.data_keys.get(graph) != data_key:
                    record.forget(graph)  # recorded before data keys: add this one
                    record.remember(graph, source, data_key)
                progress(graph, sent + source.count, total)
            else:
                record.forget(graph)
                held = graph in names
                counts[graph] = _send_graph(
                    store, base, graph, source, held, sent, total, progress, chunk_triples
                )
                record.remember(graph, source, data_key)
            sent += counts[graph]

        for graph, lines in parts.items():
            write(graph, _in_memory(lines))
        data_key = str(manifest.data.get("key", ""))
        to_read = []
        for dataset in datasets:
            graph = dataset_graph(base, dataset)
            held = record.held_for_key(graph, data_key) if graph in names else None
            if held is None:
                to_read.append(dataset)
                continue
            unchanged.append(graph)
            known_by_key.append(graph)
            counts[graph] = held
            sent += held
            progress(graph, sent, total)
        with (
            tempfile.TemporaryDirectory(prefix="mobility-kg-publish-") as temp,
            closing(_dataset_files(cube, to_read, Path(temp))) as files,
        ):
            for dataset, source in files:
                write(dataset_graph(base, dataset), source, data_key)
        dropped = [n for n in names if is_ours(n, base) and n not in counts]
        for name in dropped:
            record.forget(name)
            store.update(f"DROP SILENT GRAPH <{name}>")
    finally:
        store.close()
    return PublishReport(counts, dropped, unchanged, known_by_key)
