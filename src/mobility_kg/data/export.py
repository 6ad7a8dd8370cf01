"""Stream the observations of a build's store after the small graph, for the export."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from mobility_kg.graph.export import RdfFormat


def dump_observations(store_path: Path, stream: BinaryIO, rdf_format: RdfFormat) -> None:
    """Write every observation of the store to ``stream`` as N-Triples or Turtle.

    The store is read in its index order, so the same build always gives the same bytes.
    JSON-LD is not offered for the observations (millions of nodes in one document).
    """
    import pyoxigraph

    formats = {
        RdfFormat.NTRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
        RdfFormat.TURTLE: pyoxigraph.RdfFormat.TURTLE,
    }
    store = pyoxigraph.Store.read_only(str(store_path))
    store.dump(
        stream,
        formats[rdf_format],
        from_graph=pyoxigraph.DefaultGraph(),
        prefixes={
            "qb": "http://purl.org/linked-data/cube#",
            "umf": "https://w3id.org/mobility-kg/ontology#",
        }
        if rdf_format is RdfFormat.TURTLE
        else None,
    )
