"""The data stage of the build: the shipped dataset -> small triples in the graph, the
observation store in the data dir (rebuilt only when the dataset changes), and checks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from mobility_kg.artifacts import Artifact, write_atomic
from mobility_kg.data.checks import check_sample
from mobility_kg.data.cube import add_data_triples, build_store, cube_lines
from mobility_kg.data.dataset import dataset_hash, read_provenance
from mobility_kg.data.gazetteer import gazetteer_json
from mobility_kg.data.table import TableWriter

if TYPE_CHECKING:
    from mobility_kg.data.query import MetricData
    from mobility_kg.graph.traverse import EntityGraph

STORE_ROLE = "store"
TABLE_ROLE = "table"
# What search reads to recognise places and metrics named in a question (issue 10), without
# opening the graph (data/gazetteer.py).
PLACES_ROLE = "places"
CUBE_FORMAT = 1  # bump when the observations' triples change shape


@dataclass(frozen=True, slots=True)
class DataBuild:
    """What the data stage adds to a build: artifacts and the manifest's ``data`` section."""

    artifacts: list[Artifact] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)


def data_folder(corpus_dir: Path) -> Path:
    return corpus_dir / "data"


def data_key(corpus_dir: Path, base_iri: str) -> str:
    """What the store depends on: the dataset's bytes, the base IRI and the cube format."""
    content = dataset_hash(data_folder(corpus_dir))
    if not content:
        return ""
    return hashlib.sha256(f"{content}\0{base_iri}\0{CUBE_FORMAT}".encode()).hexdigest()


def prepare_store(data_dir: Path, corpus_dir: Path, base_iri: str) -> str:
    """Write the observation store (and its rank table) into ``data_dir`` unless they are
    there; the store's folder name (the table is ``table-<same key>.npz``).

    Called first in a build, while little else is in memory: the bulk loader needs about a
    gigabyte of its own. Written atomically (a temporary folder, then a rename); "" when the
    corpus has no data.

    Raises:
        DataError: the dataset is unreadable, or the store lost triples (nothing is kept).
    """
    key = data_key(corpus_dir, base_iri)
    if not key:
        return ""
    name = f"{STORE_ROLE}-{key[:12]}"
    table_path = data_dir / f"{TABLE_ROLE}-{key[:12]}.npz"
    if (data_dir / name).is_dir() and table_path.is_file():
        return name
    folder = data_folder(corpus_dir)
    table = TableWriter()
    if (data_dir / name).is_dir():
        for _ in cube_lines(base_iri, folder, table):
            pass
    else:

        def write(path: Path) -> None:
            build_store(path, base_iri, folder, table)

        write_atomic(data_dir / name, write)
    write_atomic(table_path, table.write)
    return name


def build_data(
    graph: Graph,
    corpus_dir: Path,
    base_iri: str,
    shapes_ttl: str,
    store: str,
    check: bool = True,
) -> DataBuild:
    """Add the dataset's small triples to ``graph``; the store artifact and manifest info.

    ``store`` is the folder :func:`prepare_store` wrote. Does nothing without data.

    Raises:
        DataError: the dataset is unreadable.
        ShapeViolation: the data's places, or a sample of observations, break the shapes.
    """
    if not store:
        return DataBuild()
    folder = data_folder(corpus_dir)
    places = add_data_triples(graph, base_iri, folder)
    if check:
        check_sample(graph, shapes_ttl, base_iri, folder)
    provenance = read_provenance(folder)
    info = {
        "key": data_key(corpus_dir, base_iri),
        "commit": provenance["commit"],
        "repository": provenance["repository"],
        "places_from_data": places,
    }
    # Already in place (written by prepare_store); the manifest names them.
    table = store.replace(STORE_ROLE, TABLE_ROLE, 1) + ".npz"
    artifacts = [
        Artifact(STORE_ROLE, store, _in_place),
        Artifact(TABLE_ROLE, table, _in_place),
        Artifact.text(PLACES_ROLE, ".json", gazetteer_json(graph, base_iri, folder)),
    ]
    return DataBuild(artifacts, info)


def _in_place(path: Path) -> None:
    return None


def store_size(path: Path) -> int:
    """Bytes on disk of a store folder."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def open_metric_data(data_dir: Path) -> tuple[MetricData, EntityGraph]:
    """The metric data and the entity graph of the build in ``data_dir``.

    Raises:
        MissingArtifact: no build, or a build without metric data.
        StaleArtifact: built by an incompatible version.
    """
    from mobility_kg.artifacts import artifact_path
    from mobility_kg.build import load_built_graph
    from mobility_kg.data.query import MetricData
    from mobility_kg.graph.traverse import EntityGraph

    built = load_built_graph(data_dir)
    path = artifact_path(data_dir, built.manifest, STORE_ROLE)
    has_table = TABLE_ROLE in built.manifest.files
    table = artifact_path(data_dir, built.manifest, TABLE_ROLE) if has_table else None
    base = built.manifest.base_iri
    return MetricData.open(path, built.graph, base, table), EntityGraph(built.graph, base)
