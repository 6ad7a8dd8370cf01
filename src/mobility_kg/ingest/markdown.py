"""Split a Markdown file into YAML front matter (with the line of every key) and body sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mobility_kg.errors import CorpusError

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


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return dict(loader.construct_pairs(node))


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def parse_document(path: Path, text: str) -> ParsedDocument:
    """Parse front matter and body of one corpus file.

    Raises:
        CorpusError: no front matter, malformed YAML (with its line), or front matter that is
            not a mapping.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise CorpusError(path, "the file must start with a '---' front-matter fence", line=1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        raise CorpusError(path, "the front matter has no closing '---' fence", line=1) from None
    yaml_text = "\n".join(lines[1:end])
    try:
        node = yaml.compose(yaml_text, Loader=_UniqueKeyLoader)
        fields = yaml.load(yaml_text, Loader=_UniqueKeyLoader)  # safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else 1
        problem = error.problem or error.context or "invalid YAML"
        raise CorpusError(path, f"malformed YAML: {problem}", line=line) from None
    if not isinstance(fields, dict) or not isinstance(node, yaml.MappingNode):
        raise CorpusError(path, "the front matter must be a mapping of fields", line=2)
    key_lines = {str(key_node.value): key_node.start_mark.line + 2 for key_node, _ in node.value}
    lead, lead_line, sections = _split_body(lines, end + 1)
    return ParsedDocument(path, fields, key_lines, lead, lead_line, sections)


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
