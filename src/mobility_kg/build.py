"""The one orchestrator: corpus -> records -> graph -> SHACL -> search index -> artifacts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from rdflib import Graph, URIRef

from mobility_kg import __version__
from mobility_kg.artifacts import (
    FORMAT_VERSION,
    Artifact,
    Manifest,
    artifact_path,
    check_compatible,
    read_file,
    read_manifest,
    write_build,
)
from mobility_kg.config import Settings
from mobility_kg.data.stage import PLACES_ROLE, build_data, data_key, prepare_store
from mobility_kg.errors import MissingArtifact, MobilityKGError, ShapeViolation
from mobility_kg.graph.build import build_graph
from mobility_kg.graph.export import RdfFormat, serialize
from mobility_kg.graph.inspect import graph_stats
from mobility_kg.graph.namespaces import new_graph
from mobility_kg.graph.shapes import validate_graph
from mobility_kg.ids import from_iri
from mobility_kg.ingest.corpus import hash_corpus, load_corpus
from mobility_kg.search.embedder import DEFAULT_MODEL, Embedder, MiniLMEmbedder, Vectors
from mobility_kg.search.indexing import build_search, load_cached_vectors
from mobility_kg.search.known_questions import fingerprint, shipped_known_questions
from mobility_kg.search.onnx_encoder import PreviousEncoder, build_encoder, encoder_artifacts
from mobility_kg.search.records import INDEX_FORMAT
from mobility_kg.search.vector_store import SyncReport, sync_built, sync_pgvector

Progress = Callable[[str], None]
STAGES = (
    "read corpus",
    "load metric values",
    "build graph",
    "check SHACL shapes",
    "embed and index",
    "add metric data",
    "write artifacts",
)


@dataclass(frozen=True, slots=True)
class BuildResult:
    manifest: Manifest
    changed: bool
    data_dir: Path
    embedded: int = 0
    reused: int = 0
    sentences_embedded: int = 0
    vector_store: SyncReport | None = None  # rows written to PostgreSQL, when configured


def quiet(_: str) -> None:
    """A progress callback that reports nothing."""
    return None


def build(
    settings: Settings,
    *,
    progress: Progress = quiet,
    check_shapes: bool = True,
    embedder: Embedder | None = None,
    documents: Path | bool | None = True,
) -> BuildResult:
    """Build the corpus into the data dir, unless the build there is already up to date.

    ``progress`` is called with the name of each stage as it starts (see :data:`STAGES`).
    ``embedder`` defaults to the packaged MiniLM model, loaded only if a chunk needs embedding.
    ``documents`` is the folder of added documents to include: ``True`` keeps the current
    build's (see :mod:`mobility_kg.documents`), ``None`` builds without any.

    Raises:
        ConfigError: no corpus.
        CorpusError: a corpus file is invalid (nothing is written).
        ShapeViolation: the graph breaks the SHACL shapes (nothing is written).
    """
    corpus_dir = settings.require_corpus()
    data_dir = settings.data_dir
    model_name = embedder.name if embedder else DEFAULT_MODEL
    current = _current_manifest(data_dir)
    added = current_documents(data_dir, current) if documents is True else documents or None
    corpus_hash = hash_corpus(corpus_dir, added)
    if current is not None and _up_to_date(
        current, settings, corpus_hash, model_name, data_key(corpus_dir, settings.base_iri)
    ):
        synced = (
            sync_built(data_dir, current, settings.pgvector_url) if settings.pgvector_url else None
        )
        return BuildResult(current, changed=False, data_dir=data_dir, vector_store=synced)
    progress(STAGES[0])
    corpus = load_corpus(corpus_dir, added)  # a corpus error stops the build before the store
    progress(STAGES[1])
    # The metric store before the rest, while memory is free; reused while the data is unchanged.
    store = prepare_store(data_dir, corpus_dir, settings.base_iri)
    progress(STAGES[2])
    graph = build_graph(corpus, settings.base_iri)
    if check_shapes:
        progress(STAGES[3])
        results = validate_graph(graph, corpus.shapes_ttl, settings.base_iri)
        violations = [v for v in results if v.severity == "Violation"]
        if violations:
            raise ShapeViolation(violations)
    progress(STAGES[4])
    loaded: list[Embedder] = [embedder] if embedder else []

    def get_embedder() -> Embedder:
        if not loaded:
            loaded.append(build_encoder(settings.cache_dir, _previous_encoder(data_dir, current)))
        return loaded[0]

    search = build_search(
        graph,
        settings.base_iri,
        get_embedder,
        model_name,
        embedder.dimension if embedder else MiniLMEmbedder.dimension,
        _previous_vectors(data_dir, current, model_name),
    )
    search_info = dict(search.info)
    encoder_files: list[Artifact] = []
    if model_name == DEFAULT_MODEL:  # the packaged model: queries run on its ONNX export
        encoder_files, search_info["query_encoder"] = encoder_artifacts(
            settings.cache_dir, _previous_encoder(data_dir, current)
        )
    progress(STAGES[5])
    # Data places are added after the search index: they are in the graph, not in the chunks.
    data = build_data(graph, corpus_dir, settings.base_iri, corpus.shapes_ttl, store, check_shapes)
    progress(STAGES[6])
    artifacts = [
        Artifact.text("graph", ".nt", serialize(graph, RdfFormat.NTRIPLES, settings.base_iri)),
        Artifact.text("shapes", ".ttl", corpus.shapes_ttl),
        *search.artifacts,
        *encoder_files,
        *data.artifacts,
    ]
    if added is not None:
        # Already in place (written by mobility_kg.documents); the manifest names it.
        artifacts.append(Artifact("documents", added.name, lambda path: None))
    stats = graph_stats(graph, settings.base_iri)
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        package_version=__version__,
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        corpus_dir=str(corpus_dir.resolve()),
        corpus_hash=corpus.content_hash,
        base_iri=settings.base_iri,
        files={a.role: a.name for a in artifacts},
        file_hashes={a.role: a.sha256 for a in artifacts if a.sha256},
        triples=stats.triples,
        entities_by_type=stats.entities,
        triples_by_type=_triples_by_type(graph, settings.base_iri),
        links_by_property=stats.links,
        versions={
            n: version(n)
            for n in (
                "rdflib",
                "pyshacl",
                "faiss-cpu",
                "bm25s",
                "sentence-transformers",
                "onnxruntime",
                "tokenizers",
            )
        },
        search=search_info,
        data=data.info,
    )
    synced = None
    if settings.pgvector_url:  # before the manifest: a reader of the new build finds its rows
        synced = sync_pgvector(
            settings.pgvector_url,
            search.rows,
            search.vectors,
            model_name,
            str(search_info["chunk_set_hash"]),
        )
    write_build(data_dir, artifacts, manifest)
    return BuildResult(
        manifest,
        True,
        data_dir,
        search.embedded,
        search.reused,
        search.sentences_embedded,
        synced,
    )


def current_documents(data_dir: Path, manifest: Manifest | None) -> Path | None:
    """The folder of added documents the build in ``data_dir`` includes, if any."""
    if manifest is None or "documents" not in manifest.files:
        return None
    folder = data_dir / manifest.files["documents"]
    return folder if folder.is_dir() else None


def added_document_ids(data_dir: Path, manifest: Manifest) -> list[str]:
    """The compact ids of the documents added with ``add`` to the build (each is served in
    its own named graph)."""
    from mobility_kg.ids import FOLDERS

    folder = current_documents(data_dir, manifest)
    if folder is None:
        return []
    types = {path: entity_type.value for entity_type, path in FOLDERS.items()}
    ids = []
    for file in folder.rglob("*"):
        if file.suffix in (".md", ".ttl"):
            entity_type = types.get(file.parent.relative_to(folder).as_posix())
            if entity_type is not None:
                ids.append(f"{entity_type}/{file.stem}")
    return sorted(ids)


def _current_manifest(data_dir: Path) -> Manifest | None:
    try:
        return read_manifest(data_dir)
    except MobilityKGError:
        return None


def _previous_encoder(data_dir: Path, manifest: Manifest | None) -> PreviousEncoder | None:
    """The exported encoders of the current build, to reuse when the model is unchanged."""
    if manifest is None or "query_encoder" not in manifest.search:
        return None
    try:
        return PreviousEncoder(
            str(manifest.search["query_encoder"]["model_hash"]),
            artifact_path(data_dir, manifest, "encoder"),
            artifact_path(data_dir, manifest, "quantized"),
        )
    except (MissingArtifact, KeyError, TypeError):
        return None


def _previous_vectors(
    data_dir: Path, manifest: Manifest | None, model_name: str
) -> dict[str, Vectors]:
    if manifest is None or manifest.search.get("model") != model_name:
        return {}
    pairs = []
    roles = (("chunks", "vectors"), ("sentences", "sentvectors"), ("questions", "questionvectors"))
    for records, vectors in roles:
        try:
            pairs.append(
                (
                    artifact_path(data_dir, manifest, records),
                    artifact_path(data_dir, manifest, vectors),
                )
            )
        except MissingArtifact:
            continue
    return load_cached_vectors(pairs)


def _up_to_date(
    manifest: Manifest, settings: Settings, corpus_hash: str, model_name: str, data: str
) -> bool:
    if (
        manifest.data.get("key", "") != data
        or manifest.format_version != FORMAT_VERSION
        or manifest.package_version != __version__
        or manifest.corpus_hash != corpus_hash
        or manifest.base_iri != settings.base_iri
        or manifest.search.get("model") != model_name
        or manifest.search.get("index_format") != INDEX_FORMAT
        or manifest.search.get("known_questions_hash") != fingerprint(shipped_known_questions())
        or (data and PLACES_ROLE not in manifest.files)  # built before issue 10's gazetteer
    ):
        return False
    try:
        for role in manifest.files:
            if role in manifest.file_hashes:
                read_file(settings.data_dir, manifest, role)
            else:
                artifact_path(settings.data_dir, manifest, role)
    except MissingArtifact:
        return False
    return True


def _triples_by_type(graph: Graph, base_iri: str) -> dict[str, int]:
    """Triples per entity type of their subject (sections count with their entity)."""
    counts: Counter[str] = Counter()
    for subject, _, _ in graph:
        entity = None
        if isinstance(subject, URIRef):
            entity = from_iri(base_iri, str(subject).partition("#")[0])
        counts[entity.partition("/")[0] if entity else "ontology"] += 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True, slots=True)
class BuiltGraph:
    """A loaded build: its graph, manifest and shapes."""

    graph: Graph
    manifest: Manifest
    shapes_ttl: str


def load_built_graph(data_dir: Path) -> BuiltGraph:
    """Open the graph of the build in ``data_dir``.

    Raises:
        MissingArtifact: nothing built there, or a file is missing or altered.
        StaleArtifact: built by an incompatible version of mobility-kg.
    """
    manifest = read_manifest(data_dir)
    check_compatible(data_dir, manifest, __version__)
    graph = new_graph(manifest.base_iri)
    graph.parse(data=read_file(data_dir, manifest, "graph"), format="nt")
    return BuiltGraph(graph, manifest, read_file(data_dir, manifest, "shapes"))
