"""The data dir: a manifest plus content-addressed files, written atomically.

Layout::

    <data dir>/manifest.json          what was built, from what, with which versions
    <data dir>/graph-<sha12>.nt       the graph, N-Triples, sorted
    <data dir>/shapes-<sha12>.ttl     the SHACL shapes it was built against

Files are named by their content hash and written before the manifest, which is replaced in
one ``os.replace``; a reader that opens the manifest always finds the files it names, and a
build that fails midway leaves the previous build in place.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mobility_kg.errors import MissingArtifact, StaleArtifact

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a build holds and what it was made from."""

    format_version: int
    package_version: str
    built_at: str
    corpus_dir: str
    corpus_hash: str
    base_iri: str
    files: dict[str, str]
    file_hashes: dict[str, str]
    triples: int
    entities_by_type: dict[str, int]
    triples_by_type: dict[str, int]
    links_by_property: dict[str, int]
    versions: dict[str, str] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # the Mobility Metrics stage (issue 9)

    def to_json(self) -> str:
        fields = asdict(self)
        if not fields["data"]:
            del fields["data"]  # a build without metric data reads as before issue 9
        return json.dumps(fields, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, path: Path) -> Manifest:
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError) as error:
            raise MissingArtifact(path, f"unreadable manifest ({error})") from None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Artifact:
    """One file or folder of a build: its role, its content-addressed name, and its writer.

    ``write`` fills the path it is given (a file, or a folder it creates); ``sha256`` is
    checked on every load for text files and left empty for binary ones.
    """

    role: str
    name: str
    write: Callable[[Path], None]
    sha256: str = ""

    @classmethod
    def text(cls, role: str, suffix: str, text: str) -> Artifact:
        def write(path: Path) -> None:
            path.write_text(text, encoding="utf-8", newline="")

        digest = sha256_text(text)
        return cls(role, f"{role}-{digest[:12]}{suffix}", write, digest)


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary sibling, then rename into place (files and folders alike)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.")) / target.name
    try:
        write(temp)
        if temp.is_file():
            with temp.open("rb") as stream:
                os.fsync(stream.fileno())
        os.replace(temp, target)
    finally:
        shutil.rmtree(temp.parent, ignore_errors=True)


def write_build(data_dir: Path, artifacts: list[Artifact], manifest: Manifest) -> None:
    """Write each artifact not already there, then the manifest that names them all.

    Files and folders of earlier builds that the new manifest no longer names are removed
    afterwards, so a reader holding the old manifest may fail only after the switch.
    """
    for artifact in artifacts:
        target = data_dir / artifact.name
        if not target.exists():
            write_atomic(target, artifact.write)
    manifest_text = manifest.to_json()

    def write_manifest(path: Path) -> None:
        path.write_text(manifest_text, encoding="utf-8")

    write_atomic(data_dir / MANIFEST, write_manifest)
    keep = {MANIFEST, *manifest.files.values()}
    for old in data_dir.iterdir():
        if old.name not in keep and old.name.split("-")[0] in manifest.files:
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)


def read_manifest(data_dir: Path) -> Manifest:
    """The manifest of the build in ``data_dir``.

    Raises:
        MissingArtifact: nothing was built there, or the manifest is unreadable.
    """
    path = data_dir / MANIFEST
    if not path.is_file():
        raise MissingArtifact(data_dir, "no build here; run `mobility-kg build` first")
    return Manifest.from_json(path)


def check_compatible(data_dir: Path, manifest: Manifest, package_version: str) -> None:
    """Refuse a build made by an incompatible package.

    Raises:
        StaleArtifact: the format or package version differs.
    """
    differences = []
    if manifest.format_version != FORMAT_VERSION:
        differences.append(f"format {manifest.format_version} != {FORMAT_VERSION}")
    if manifest.package_version != package_version:
        differences.append(f"built by {manifest.package_version}, running {package_version}")
    if differences:
        raise StaleArtifact(data_dir, differences)


def artifact_path(data_dir: Path, manifest: Manifest, role: str) -> Path:
    """The path of one file or folder of the build.

    Raises:
        MissingArtifact: the manifest names no such role, or the path is gone.
    """
    name = manifest.files.get(role)
    if name is None:
        raise MissingArtifact(data_dir / MANIFEST, f"the build has no {role!r} file; rebuild")
    path = data_dir / name
    if not path.exists():
        raise MissingArtifact(path, "file named by the manifest is missing; rebuild")
    return path


def read_file(data_dir: Path, manifest: Manifest, role: str) -> str:
    """The text of one file of the build, checked against its recorded hash.

    Raises:
        MissingArtifact: the file is gone or its content changed.
    """
    path = artifact_path(data_dir, manifest, role)
    text = path.read_text(encoding="utf-8")
    if sha256_text(text) != manifest.file_hashes.get(role):
        raise MissingArtifact(path, "content does not match the manifest's hash; rebuild")
    return text


@contextmanager
def write_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data dir's write lock: one writer at a time across threads and processes
    (server workers, the CLI). Readers never take it; they see one manifest or the next."""
    data_dir.mkdir(parents=True, exist_ok=True)
    handle = os.open(data_dir, os.O_RDONLY)  # the folder itself: no lock file to leave behind
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def manifest_stamp(data_dir: Path) -> tuple[int, int] | None:
    """Identifies the manifest file now in place (each commit replaces it with a new file)."""
    try:
        info = (data_dir / MANIFEST).stat()
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns)
