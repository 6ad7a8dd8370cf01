"""Which store the reads use: the data dir's (embedded, the default) or a remote SPARQL 1.1
server (``MOBILITY_KG_STORE_QUERY_URL`` set).

Both give the same two things to every read: the graph as an rdflib ``Graph`` (show,
neighbours, path, strategies and the entity pages walk it) and a store that answers the
metric data's SPARQL (profile, rank). Embedded, the graph is parsed from the data dir and the
store is the on-disk pyoxigraph ``Store``, exactly as before. Remote, the graph is read from
the server's named graphs at open (the framework graph and each added document's, about
0.1 million triples), and profile and rank are SPARQL sent to the server (the rank table of
the data dir is not used, so every value comes from the server). The data dir still holds
the manifest and the search index.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.namespace import QB, RDF

from mobility_kg.artifacts import check_compatible, read_file, read_manifest
from mobility_kg.build import BuiltGraph, added_document_ids, load_built_graph
from mobility_kg.config import Settings
from mobility_kg.errors import StoreUnavailable
from mobility_kg.graph.named_graphs import dataset_graph, document_graph, framework_graph
from mobility_kg.graph.namespaces import new_graph

if TYPE_CHECKING:
    from mobility_kg.data.query import MetricData
    from mobility_kg.graph.remote import RemoteStore
    from mobility_kg.graph.traverse import EntityGraph


def dataset_iris(graph: Graph) -> list[str]:
    """The IRIs of the graph's ``qb:DataSet``s (each one named graph of values)."""
    return sorted(str(node) for node in graph.subjects(RDF.type, QB.DataSet))


@dataclass(frozen=True, slots=True)
class OpenedGraph:
    """The build's graph and, with a remote store configured, the store it came from."""

    built: BuiltGraph
    remote: RemoteStore | None = None

    def close(self) -> None:
        if self.remote is not None:
            self.remote.close()


def open_graph(settings: Settings) -> OpenedGraph:
    """The graph every read walks: from the data dir, or from the remote store.

    Raises:
        MissingArtifact, StaleArtifact: no usable build in the data dir.
        StoreError: the remote store is down, too slow, refuses, or holds no published graph.
    """
    if not settings.remote_store:
        return OpenedGraph(load_built_graph(settings.data_dir))
    from mobility_kg import __version__
    from mobility_kg.graph.remote import RemoteStore

    manifest = read_manifest(settings.data_dir)
    check_compatible(settings.data_dir, manifest, __version__)
    base = manifest.base_iri
    documents = [document_graph(base, d) for d in added_document_ids(settings.data_dir, manifest)]
    store = RemoteStore.from_settings(settings)
    try:
        text = "".join(store.ntriples([framework_graph(base), *documents]))
        if not text:
            raise StoreUnavailable(
                store.query_url,
                f"holds no graph <{framework_graph(base)}>; run `mobility-kg publish` first",
            )
        graph = new_graph(base)
        graph.parse(data=text, format="nt")
    except BaseException:
        store.close()
        raise
    datasets = [dataset_graph(base, iri) for iri in dataset_iris(graph)]
    store.with_dataset([framework_graph(base), *datasets, *documents], datasets)
    return OpenedGraph(
        BuiltGraph(graph, manifest, read_file(settings.data_dir, manifest, "shapes")), store
    )


def metric_data(opened: OpenedGraph, data_dir: Path) -> MetricData:
    """The metric data over the store that ``opened`` reads from.

    Raises:
        MissingArtifact: an embedded build without metric data.
    """
    from mobility_kg.artifacts import artifact_path
    from mobility_kg.data.query import MetricData
    from mobility_kg.data.stage import STORE_ROLE, TABLE_ROLE

    built = opened.built
    base = built.manifest.base_iri
    if opened.remote is not None:
        return MetricData(opened.remote, built.graph, base)
    path = artifact_path(data_dir, built.manifest, STORE_ROLE)
    has_table = TABLE_ROLE in built.manifest.files
    table = artifact_path(data_dir, built.manifest, TABLE_ROLE) if has_table else None
    return MetricData.open(path, built.graph, base, table)


def open_metric_data(settings: Settings) -> tuple[MetricData, EntityGraph]:
    """The metric data and the entity graph, from whichever store the settings name.

    Raises:
        MissingArtifact: no build, or an embedded build without metric data.
        StaleArtifact: built by an incompatible version.
        StoreError: the remote store cannot answer.
    """
    from mobility_kg.graph.traverse import EntityGraph

    opened = open_graph(settings)
    built = opened.built
    return metric_data(opened, settings.data_dir), EntityGraph(built.graph, built.manifest.base_iri)
