"""The named graphs the whole graph is served and published in, relative to the base IRI.

- ``graph/framework``: the ontology, the framework and the corpus (the in-memory graph, less
  the documents added with ``add``);
- ``graph/data/<dataset-slug>``: the metric values (observations) of one ``qb:DataSet``,
  whose IRI is ``<base>data/dataset/<variable>/<level>``; the slug is ``<variable>-<level>``;
- ``graph/document/<entity id with / replaced by ->``: one document added with ``add``
  (its triples and its sections').

Pure functions on strings: the embedded SPARQL endpoint and the remote store use the same
names.
"""

from __future__ import annotations

FRAMEWORK = "graph/framework"
DATA_PREFIX = "graph/data/"
DOCUMENT_PREFIX = "graph/document/"
DATASET_PREFIX = "data/dataset/"


def framework_graph(base_iri: str) -> str:
    """The IRI of the framework graph."""
    return base_iri + FRAMEWORK


def dataset_slug(dataset_iri: str, base_iri: str) -> str:
    """``share_employed-county`` for ``<base>data/dataset/share_employed/county``.

    Raises:
        ValueError: the IRI is not a data set of this base IRI.
    """
    tail = dataset_iri.removeprefix(base_iri + DATASET_PREFIX)
    if tail == dataset_iri or not tail:
        raise ValueError(f"{dataset_iri!r} is not a data set under {base_iri!r}")
    return tail.replace("/", "-")


def dataset_graph(base_iri: str, dataset_iri: str) -> str:
    """The IRI of the graph that holds one data set's observations."""
    return base_iri + DATA_PREFIX + dataset_slug(dataset_iri, base_iri)


def document_graph(base_iri: str, entity_id: str) -> str:
    """The IRI of the graph of a document added with ``add`` (``post/x`` -> ``.../post-x``)."""
    return base_iri + DOCUMENT_PREFIX + entity_id.replace("/", "-")


def is_ours(graph_iri: str, base_iri: str) -> bool:
    """Whether a graph IRI is one of the names above (and not, say, a server's own graph)."""
    tail = graph_iri.removeprefix(base_iri)
    return tail != graph_iri and (
        tail == FRAMEWORK or tail.startswith((DATA_PREFIX, DOCUMENT_PREFIX))
    )
