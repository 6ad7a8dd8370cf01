"""Walk a corpus folder: parse every file into a typed record and check the corpus as a whole.

Checks made here, each failing with a :class:`CorpusError` naming file, line and field:
front matter syntax and fields (per type), the file's folder and name against its id, ids
unique across files, and every reference naming an existing entity of the right type.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from mobility_kg.errors import CorpusError, InvalidIdError
from mobility_kg.ids import FOLDERS, EntityType, closest_ids, parse_compact_id
from mobility_kg.ingest.markdown import ParsedDocument, Section, parse_document
from mobility_kg.ingest.records import RECORD_TYPES, Record

ONTOLOGY_FILE = Path("ontology/umf.ttl")
SHAPES_FILE = Path("ontology/shapes.ttl")
_SKIPPED_NAMES = {"README.md"}
# Documents added after the build (see mobility_kg.documents) show under this prefix in errors.
ADDED_PREFIX = Path("added")


@dataclass(frozen=True, slots=True)
class Document:
    """One corpus file, checked: its record, its body, and where it came from."""

    path: Path
    record: Record
    lead: str
    sections: tuple[Section, ...]
    key_lines: Mapping[str, int]

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def entity_type(self) -> EntityType:
        return self.record.entity_type


@dataclass(frozen=True, slots=True)
class Corpus:
    """A whole corpus, checked, in a stable order (by type, then id)."""

    root: Path
    documents: tuple[Document, ...]
    ontology_ttl: str
    shapes_ttl: str
    content_hash: str
    # Added documents given as Turtle: (path shown in errors, text), merged into the graph.
    turtle: tuple[tuple[str, str], ...] = ()

    @property
    def by_id(self) -> Mapping[str, Document]:
        return MappingProxyType({doc.id: doc for doc in self.documents})


def _type_of_folder(relative: Path) -> EntityType | None:
    folder = relative.parent.as_posix()
    for entity_type, name in FOLDERS.items():
        if folder == name:
            return entity_type
    return None


def corpus_files(root: Path) -> Iterator[Path]:
    """Every Markdown entity file under ``root``, sorted, READMEs and the ontology excluded."""
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(root)
        if path.name in _SKIPPED_NAMES or relative.parts[0] == "ontology":
            continue
        yield path


def hash_corpus(root: Path, added: Path | None = None) -> str:
    """A content hash of every file the build reads (names and bytes), added documents too."""
    digest = hashlib.sha256()
    sources = [(root, [*corpus_files(root), root / ONTOLOGY_FILE, root / SHAPES_FILE], "")]
    if added is not None:
        files = [*corpus_files(added), *sorted(added.rglob("*.ttl"))]
        sources.append((added, files, ADDED_PREFIX.as_posix() + "/"))
    for source_root, paths, prefix in sources:
        for path in paths:
            digest.update((prefix + path.relative_to(source_root).as_posix()).encode() + b"\0")
            digest.update(path.read_bytes() if path.is_file() else b"<missing>")
            digest.update(b"\0")
    return digest.hexdigest()


def load_document(path: Path, text: str, relative: Path | None = None) -> Document:
    """Parse and type-check one file on its own (references are not resolved here).

    With ``relative`` (its path inside a corpus), the file's folder and name must fit its id.

    Raises:
        CorpusError: syntax, an unknown or missing field, a bad value, or an id that does not
            fit the file's folder and name.
    """
    return _document_from(parse_document(relative or path, text), relative)


def _document_from(parsed: ParsedDocument, relative: Path | None) -> Document:
    shown = parsed.path
    raw_id = parsed.fields.get("id")
    if not isinstance(raw_id, str):
        raise CorpusError(shown, "is required and must be a compact id", line=1, field="id")
    try:
        entity_type, slug = parse_compact_id(raw_id)
    except InvalidIdError as error:
        raise CorpusError(shown, error.reason, line=parsed.line_of("id"), field="id") from None
    record = _validate(parsed, RECORD_TYPES[entity_type])
    if not parsed.lead:
        raise CorpusError(
            shown,
            "a lead paragraph (text before the first '##' heading) is required",
            line=parsed.lead_line,
            field="body",
        )
    if relative is not None:
        _check_location(parsed, relative, entity_type, slug)
    return Document(shown, record, parsed.lead, parsed.sections, parsed.key_lines)


def _validate(parsed: ParsedDocument, model: type[Record]) -> Record:
    try:
        return model.model_validate(parsed.fields)
    except ValidationError as error:
        first = error.errors()[0]
        raise _field_error(parsed, model, first) from None


def _field_error(parsed: ParsedDocument, model: type[Record], error: Any) -> CorpusError:
    loc = [str(part) for part in error["loc"]]
    field = loc[0] if loc else "?"
    shown_field = field + "".join(f"[{part}]" for part in loc[1:])
    kind = error["type"]
    if kind == "missing":
        message = f"is required for a {model.entity_type.value}"
    elif kind == "extra_forbidden":
        allowed = ", ".join(model.model_fields)
        message = f"is not a field of a {model.entity_type.value} (allowed: {allowed})"
    elif kind.startswith(("string_", "int_", "date_", "tuple_", "list_", "bool_")):
        message = f"{error['msg']}, got {error['input']!r}"
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
    return CorpusError(parsed.path, message, line=parsed.line_of(field), field=shown_field)


def _check_location(
    parsed: ParsedDocument, relative: Path, entity_type: EntityType, slug: str
) -> None:
    folder_type = _type_of_folder(relative)
    if folder_type is None:
        known = ", ".join(sorted(FOLDERS.values()))
        raise CorpusError(
            relative, f"is not in a type folder (one of: {known})", line=1, field="id"
        )
    if folder_type is not entity_type:
        raise CorpusError(
            relative,
            f"a {entity_type.value} id in the {FOLDERS[folder_type]}/ folder, which holds "
            f"{folder_type.value} entities",
            line=parsed.line_of("id"),
            field="id",
        )
    if relative.stem != slug:
        raise CorpusError(
            relative,
            f"the slug {slug!r} must equal the file name {relative.stem!r}",
            line=parsed.line_of("id"),
            field="id",
        )


def load_corpus(root: Path, added: Path | None = None) -> Corpus:
    """Read and check a whole corpus folder, plus a folder of added documents if given.

    Raises:
        CorpusError: the first problem found, with file, line and field.
    """
    if not root.is_dir():
        raise CorpusError(root, "the corpus folder does not exist")
    parsed_files: list[tuple[ParsedDocument, Path]] = []
    sources = [(root, Path())] + ([(added, ADDED_PREFIX)] if added is not None else [])
    for source_root, prefix in sources:
        for path in corpus_files(source_root):
            relative = path.relative_to(source_root)
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as error:
                raise CorpusError(
                    prefix / relative, f"is not UTF-8 text ({error.reason})"
                ) from None
            parsed_files.append((parse_document(prefix / relative, text), relative))
    _check_unique_ids(parsed_files)
    documents = [_document_from(parsed, relative) for parsed, relative in parsed_files]
    check_references(documents)
    documents.sort(key=lambda doc: (list(EntityType).index(doc.entity_type), doc.id))
    return Corpus(
        root=root,
        documents=tuple(documents),
        ontology_ttl=_read_required(root, ONTOLOGY_FILE),
        shapes_ttl=_read_required(root, SHAPES_FILE),
        content_hash=hash_corpus(root, added),
        turtle=_turtle_files(added),
    )


def _check_unique_ids(parsed_files: list[tuple[ParsedDocument, Path]]) -> None:
    """Two files with one id: blame the one whose name does not match the id."""
    files_by_id: dict[str, list[tuple[ParsedDocument, Path]]] = {}
    for parsed, relative in parsed_files:
        raw_id = parsed.fields.get("id")
        if isinstance(raw_id, str):
            files_by_id.setdefault(raw_id, []).append((parsed, relative))
    for raw_id, files in files_by_id.items():
        if len(files) < 2:
            continue
        slug = raw_id.rpartition("/")[2]
        files.sort(key=lambda item: (item[1].stem != slug, item[0].path.as_posix()))
        (first, _), (parsed, _) = files[0], files[1]
        original = first.path
        raise CorpusError(
            parsed.path,
            f"duplicate id {raw_id!r}, already defined in {original}",
            line=parsed.line_of("id"),
            field="id",
        )


def _turtle_files(added: Path | None) -> tuple[tuple[str, str], ...]:
    if added is None:
        return ()
    return tuple(
        ((ADDED_PREFIX / p.relative_to(added)).as_posix(), p.read_text(encoding="utf-8"))
        for p in sorted(added.rglob("*.ttl"))
    )


def check_references(documents: list[Document]) -> None:
    """Every reference field names an existing entity.

    Raises:
        CorpusError: the first dangling reference, with the closest existing ids as a hint.
    """
    by_id = {doc.id: doc for doc in documents}
    for document in documents:
        _check_references(document, by_id)


def _check_references(document: Document, by_id: Mapping[str, Document]) -> None:
    for field, targets in document.record.references().items():
        single = isinstance(getattr(document.record, field), str)
        for index, target in enumerate(targets):
            if target in by_id:
                continue
            close = closest_ids(target, by_id)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise CorpusError(
                document.path,
                f"unknown entity {target!r}{hint}",
                line=document.key_lines.get(field, 1),
                field=field if single else f"{field}[{index}]",
            )


def _read_required(root: Path, relative: Path) -> str:
    path = root / relative
    if not path.is_file():
        raise CorpusError(root / relative, "is missing; the corpus needs its ontology files")
    return path.read_text(encoding="utf-8")
