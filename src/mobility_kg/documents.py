"""Add and remove documents after the build, atomically.

Added documents live in the data dir, in a content-addressed folder ``documents-<hash>/``
laid out like the corpus. Adding or removing writes a new folder, rebuilds from the corpus
plus that folder (validation, SHACL, graph, index: vectors are reused by content hash), and
only then swaps the manifest to name it. The manifest swap is the single commit point: a
failure or a kill at any moment before it leaves the previous build, files included, as it was.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from mobility_kg.artifacts import read_manifest, write_atomic, write_lock
from mobility_kg.build import BuildResult, Progress, build, current_documents, quiet
from mobility_kg.config import Settings
from mobility_kg.errors import DocumentConflict, MobilityKGError, UnknownEntityError
from mobility_kg.ids import FOLDERS, closest_ids, parse_compact_id
from mobility_kg.ingest.corpus import corpus_files, load_corpus, load_document
from mobility_kg.ingest.turtle import read_turtle_document
from mobility_kg.search.embedder import Embedder


def _folder_name(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for relative, text in sorted(files.items()):
        digest.update(relative.encode() + b"\0" + text.encode() + b"\0")
    return f"documents-{digest.hexdigest()[:12]}"


def _added_files(folder: Path | None) -> dict[str, str]:
    if folder is None:
        return {}
    paths = [*corpus_files(folder), *folder.rglob("*.ttl")]
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in paths}


def _rebuild_with(
    settings: Settings, files: dict[str, str], embedder: Embedder | None, progress: Progress
) -> BuildResult:
    folder = settings.data_dir / _folder_name(files)

    def write(path: Path) -> None:
        for relative, text in files.items():
            target = path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        path.mkdir(exist_ok=True)

    if not folder.exists():
        write_atomic(folder, write)
    try:
        return build(settings, embedder=embedder, progress=progress, documents=folder)
    except BaseException:
        current = (
            read_manifest(settings.data_dir)
            if (settings.data_dir / "manifest.json").exists()
            else None
        )
        if current is None or current.files.get("documents") != folder.name:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def add_document(
    settings: Settings,
    text: str,
    *,
    turtle: bool = False,
    embedder: Embedder | None = None,
    progress: Progress = quiet,
) -> tuple[str, BuildResult]:
    """Add one document, Markdown in the corpus format or (``turtle``) Turtle describing one
    entity; returns its id and the new build. Writers take turns (see ``write_lock``).

    Raises:
        CorpusError: the document is invalid (nothing changes).
        DocumentConflict: its id already exists.
        ShapeViolation: the graph with it breaks the shapes (nothing changes).
        MissingArtifact: there is no build to add to.
    """
    with write_lock(settings.data_dir):
        return _add(settings, text, turtle=turtle, embedder=embedder, progress=progress)


def remove_document(
    settings: Settings,
    compact_id: str,
    *,
    embedder: Embedder | None = None,
    progress: Progress = quiet,
) -> BuildResult:
    """Remove a document added earlier. Writers take turns (see ``write_lock``).

    Raises:
        UnknownEntityError: no added document has that id.
        DocumentConflict: the id belongs to the shipped corpus (edit the corpus instead), or
            other documents still refer to it.
    """
    with write_lock(settings.data_dir):
        return _remove(settings, compact_id, embedder=embedder, progress=progress)


def _add(
    settings: Settings,
    text: str,
    *,
    turtle: bool = False,
    embedder: Embedder | None = None,
    progress: Progress = quiet,
) -> tuple[str, BuildResult]:
    manifest = read_manifest(settings.data_dir)
    if turtle:
        new_id = read_turtle_document(Path("document.ttl"), text, settings.base_iri).id
    else:
        new_id = load_document(Path("document.md"), text).id
    entity_type, slug = parse_compact_id(new_id)
    added = current_documents(settings.data_dir, manifest)
    existing = {d.id for d in load_corpus(settings.require_corpus(), added).documents}
    files = _added_files(added)
    if new_id in existing or any(k.startswith(f"{FOLDERS[entity_type]}/{slug}.") for k in files):
        raise DocumentConflict(new_id, "already exists; remove it first or choose another id")
    files[f"{FOLDERS[entity_type]}/{slug}.{'ttl' if turtle else 'md'}"] = text
    return new_id, _rebuild_with(settings, files, embedder, progress)


def _remove(
    settings: Settings,
    compact_id: str,
    *,
    embedder: Embedder | None = None,
    progress: Progress = quiet,
) -> BuildResult:
    manifest = read_manifest(settings.data_dir)
    entity_type, slug = parse_compact_id(compact_id)
    files = _added_files(current_documents(settings.data_dir, manifest))
    candidates = [f"{FOLDERS[entity_type]}/{slug}.{suffix}" for suffix in ("md", "ttl")]
    relative = next((c for c in candidates if c in files), None)
    if relative is None:
        shipped = {d.id for d in load_corpus(settings.require_corpus()).documents}
        if compact_id in shipped:
            raise DocumentConflict(
                compact_id, "belongs to the shipped corpus; edit the corpus instead"
            )
        added_ids = [f"{entity_type.value}/{Path(k).stem}" for k in files]
        raise UnknownEntityError(compact_id, closest_ids(compact_id, added_ids))
    del files[relative]
    try:
        return _rebuild_with(settings, files, embedder, progress)
    except MobilityKGError as error:
        if "unknown entity" in str(error):
            raise DocumentConflict(
                compact_id, f"other documents still refer to it ({error})"
            ) from None
        raise
