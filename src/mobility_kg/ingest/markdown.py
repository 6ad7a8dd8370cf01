"""Split a Markdown file into YAML front matter (with the line of every key) and body sections."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mobility_kg.errors import CorpusError
from mobility_kg.ingest.records import control_character_in

_FENCE = "---"
_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*#*\s*$")


@dataclass(frozen=True, slots=True)
class Section:
    """A ``##`` section of a body: its heading, its text, and the line the heading is on."""

    title: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A corpus file after parsing, before any field is interpreted."""

    path: Path
    fields: dict[str, Any]
    key_lines: dict[str, int]
    lead: str
    lead_line: int
    sections: tuple[Section, ...]

    def line_of(self, key: str) -> int:
        """The line of a front-matter key, or the opening fence when the key is absent."""
        return self.key_lines.get(key, 1)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys instead of keeping the last one."""


class _BadValue(Exception):
    """A scalar YAML resolves to a type (a timestamp...) whose value cannot be built."""

    def __init__(self, message: str, mark: yaml.Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a key must be a plain value, not a list or mapping",
                key_node.start_mark,
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return dict(loader.construct_pairs(node, deep=True))


def _construct_timestamp(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> Any:
    """A date or time as YAML reads it, or :class:`_BadValue` when it is no real one."""
    try:
        return loader.construct_yaml_timestamp(node)
    # ValueError for 2021-13-45, 2021-02-30, 10:00:99 or +99:00; AttributeError when a text
    # tagged !!timestamp does not even look like one.
    except Exception:
        raise _BadValue(f"not a valid date: {node.value}", node.start_mark) from None


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse_document(path: Path, text: str) -> ParsedDocument:
    """Parse front matter and body of one corpus file.

    Raises:
        CorpusError: no front matter, malformed YAML (with its line), a value YAML cannot
            build (an impossible date...; with its line and field), or front matter that is
            not a mapping.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise CorpusError(path, "the file must start with a '---' front-matter fence", line=1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        raise CorpusError(path, "the front matter has no closing '---' fence", line=1) from None
    fields, key_lines = _read_front_matter(path, "\n".join(lines[1:end]))
    for index in range(end + 1, len(lines)):
        if problem := control_character_in(lines[index]):
            raise CorpusError(path, problem, line=index + 1, field="body")
    lead, lead_line, sections = _split_body(lines, end + 1)
    return ParsedDocument(path, fields, key_lines, lead, lead_line, sections)


def _read_front_matter(path: Path, yaml_text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The fields of the front matter and the line of each key (the file's lines, 1-based).

    Every failure of PyYAML, whatever its type, becomes a :class:`CorpusError`: beyond its
    own errors, its constructors raise ValueError, OverflowError... on values they cannot build.
    """
    try:
        loader = _UniqueKeyLoader(yaml_text)
    except yaml.reader.ReaderError as error:  # a control character, checked before parsing
        line = yaml_text.count("\n", 0, error.position) + 2
        raise CorpusError(
            path, f"malformed YAML: the character U+{error.character:04X} is not allowed", line=line
        ) from None
    try:
        node = _compose(path, loader)
        if not isinstance(node, yaml.MappingNode):
            raise CorpusError(path, "the front matter must be a mapping of fields", line=2)
        fields: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise CorpusError(
                    path,
                    "malformed YAML: a field name must be a plain word, not a list or mapping",
                    line=key_node.start_mark.line + 2,
                )
            key = str(key_node.value)
            if key in seen:
                raise CorpusError(
                    path,
                    f"malformed YAML: duplicate key {key!r}",
                    line=key_node.start_mark.line + 2,
                )
            seen.add(key)
            key_lines[key] = key_node.start_mark.line + 2
            fields[key] = _construct(path, loader, value_node, key)
        return fields, key_lines
    finally:
        loader.dispose()


def _compose(path: Path, loader: _UniqueKeyLoader) -> yaml.Node | None:
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise _malformed(path, error) from None
    except RecursionError:
        raise CorpusError(path, "malformed YAML: nested too deeply", line=2) from None
    except Exception as error:  # any other failure of PyYAML is still a bad document
        raise CorpusError(path, f"malformed YAML: {error}", line=2) from None


def _construct(path: Path, loader: _UniqueKeyLoader, node: yaml.Node, field: str) -> Any:
    """The Python value of one field, or a CorpusError naming that field and the line."""
    try:
        return loader.construct_object(node, deep=True)
    except _BadValue as error:
        raise CorpusError(path, error.message, line=error.mark.line + 2, field=field) from None
    except yaml.MarkedYAMLError as error:
        raise _malformed(path, error, field) from None
    except RecursionError:
        raise CorpusError(
            path, "malformed YAML: nested too deeply", line=node.start_mark.line + 2, field=field
        ) from None
    except Exception as error:  # PyYAML's constructors raise plain ValueError, OverflowError...
        raise CorpusError(
            path, f"cannot read the value: {error}", line=node.start_mark.line + 2, field=field
        ) from None


def _malformed(path: Path, error: yaml.MarkedYAMLError, field: str | None = None) -> CorpusError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 2 if mark is not None else 1
    problem = error.problem or error.context or "invalid YAML"
    return CorpusError(path, f"malformed YAML: {problem}", line=line, field=field)


def _split_body(lines: list[str], start: int) -> tuple[str, int, tuple[Section, ...]]:
    """Lead text before the first ``##`` heading, then one section per heading (1-based lines)."""
    lead_lines: list[str] = []
    sections: list[Section] = []
    current_title: str | None = None
    current_line = 0
    current: list[str] = []
    for index in range(start, len(lines)):
        match = _HEADING.match(lines[index])
        if match:
            if current_title is not None:
                sections.append(Section(current_title, _clean(current), current_line))
            current_title, current_line, current = match["title"], index + 1, []
        elif current_title is None:
            lead_lines.append(lines[index])
        else:
            current.append(lines[index])
    if current_title is not None:
        sections.append(Section(current_title, _clean(current), current_line))
    first_text = next((i for i, line in enumerate(lead_lines) if line.strip()), 0)
    return _clean(lead_lines), start + first_text + 1, tuple(sections)


def _clean(lines: list[str]) -> str:
    return "\n".join(lines).strip()
