"""The data stage of the build: the shipped dataset -> small triples in the graph, the
observation store in the data dir (rebuilt only when the dataset changes), and checks.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from mobility_kg.artifacts import Artifact
from mobility_kg.data.checks import check_sample, check_store
from mobility_kg.data.cube import add_data_triples, build_store
from mobility_kg.data.dataset import dataset_hash, read_provenance

if TYPE_CHECKING:
    from mobility_kg.data.query import MetricData
    from mobility_kg.graph.traverse import EntityGraph

STORE_ROLE = "store"
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


def build_data(
    graph: Graph, corpus_dir: Path, base_iri: str, shapes_ttl: str, check: bool = True
) -> DataBuild:
    """Add the dataset's small triples to ``graph``; the store artifact and manifest info.

    Does nothing when the corpus has no ``data/`` folder. The store is written only if the
    data dir has no store of the same key (see :func:`data_key`).

    Raises:
        DataError: the dataset is unreadable.
        ShapeViolation: a sample of observations, or the store's integrity checks, fail.
    """
    folder = data_folder(corpus_dir)
    key = data_key(corpus_dir, base_iri)
    if not key:
        return DataBuild()
    places = add_data_triples(graph, base_iri, folder)
    if check:
        check_sample(graph, shapes_ttl, base_iri, folder)
    name = f"{STORE_ROLE}-{key[:12]}"
    counts: dict[str, int] = {}

    def write(path: Path) -> None:
        try:
            counts["triples"] = build_store(path, base_iri, folder)
            if check:
                check_store(path)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise

    provenance = read_provenance(folder)
    info = {
        "key": key,
        "commit": provenance["commit"],
        "repository": provenance["repository"],
        "places_from_data": places,
    }
    return DataBuild([Artifact(STORE_ROLE, name, write)], info)


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
    base = built.manifest.base_iri
    return MetricData.open(path, built.graph, base), EntityGraph(built.graph, base)
