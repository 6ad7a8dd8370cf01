"""Entity text from the graph -> chunks along sections, each with a content hash.

A chunk is the unit that is embedded and indexed: an entity's lead text (with its key facts),
or one section, split further at paragraph boundaries when longer than ``max_words``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from mobility_kg.graph.namespaces import UMF
from mobility_kg.ids import from_iri
from mobility_kg.search.records import Chunk

MAX_WORDS = 180
LEAD_SECTION = "Summary"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def split_words(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """Split at blank lines into pieces of at most ``max_words`` (a longer paragraph is cut
    at sentence ends, and a sentence longer than the limit at the limit)."""
    pieces: list[str] = []
    current: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph.strip()):
            words = sentence.split()
            while len(words) > max_words:
                if current:
                    pieces.append(" ".join(current))
                    current = []
                pieces.append(" ".join(words[:max_words]))
                words = words[max_words:]
            if len(current) + len(words) > max_words and current:
                pieces.append(" ".join(current))
                current = []
            current.extend(words)
        if current and len(current) >= max_words // 2:
            pieces.append(" ".join(current))
            current = []
    if current:
        pieces.append(" ".join(current))
    return [p for p in pieces if p]


def _facts(graph: Graph, node: URIRef) -> list[str]:
    """Short facts that make the lead chunk findable: other names, actors, data sources."""
    facts = [str(v) for p in (SKOS.altLabel, DCTERMS.alternative) for v in graph.objects(node, p)]
    actors = sorted(
        str(a).rpartition("actor-")[2].replace("-", " ") for a in graph.objects(node, UMF.actor)
    )
    if actors:
        facts.append("Who can act: " + ", ".join(actors) + ".")
    sources = sorted(str(s) for s in graph.objects(node, UMF.dataSource))
    if sources:
        facts.append("Data: " + "; ".join(sources) + ".")
    return facts


def plain_text(markdown: str) -> str:
    """Markdown reduced to prose: list markers, emphasis, code ticks and link syntax removed."""
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", markdown, flags=re.MULTILINE)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return re.sub(r"^#+\s*", "", text, flags=re.MULTILINE).strip()


def chunk_entity(
    graph: Graph, node: URIRef, entity_id: str, max_words: int = MAX_WORDS
) -> Iterator[Chunk]:
    """The chunks of one entity, lead first, then its sections in order.

    ``body`` is prose only (what a hit or an answer shows); ``text``, which is embedded and
    indexed, adds the heading and, on the first chunk, short facts such as other names.
    """
    title = str(graph.value(node, RDFS.label) or entity_id)
    lead = str(graph.value(node, SKOS.definition) or graph.value(node, DCTERMS.abstract) or "")
    parts: list[tuple[str, str, str]] = []  # (section title, fragment, body)
    if lead:
        parts.append((LEAD_SECTION, "", plain_text(lead)))
    sections = sorted(
        graph.objects(node, UMF.hasSection), key=lambda s: int(str(graph.value(s, UMF.order)))
    )
    for section in sections:
        text = str(graph.value(section, UMF.text) or "")
        if text:
            fragment = str(section).partition("#")[2]
            parts.append((str(graph.value(section, DCTERMS.title)), fragment, plain_text(text)))
    facts = " ".join(_facts(graph, node))
    for index, (section_title, fragment, body) in enumerate(parts):
        for number, piece in enumerate(split_words(body, max_words)):
            heading = title if section_title == LEAD_SECTION else f"{title}: {section_title}"
            extra = f" {facts}" if facts and index == 0 and number == 0 else ""
            text = f"{heading}. {piece}{extra}"
            suffix = f"#{fragment}" if fragment else ""
            yield Chunk(
                chunk_id=f"{entity_id}{suffix}@{number}",
                entity_id=entity_id,
                section=section_title,
                text=text,
                body=piece,
                content_hash=_hash(text),
            )


def chunk_graph(graph: Graph, base_iri: str, max_words: int = MAX_WORDS) -> list[Chunk]:
    """Every chunk of every entity in the graph, in id order."""
    entities = []
    for node, value in graph.subject_objects(DCTERMS.identifier):
        if isinstance(node, URIRef) and from_iri(base_iri, str(node)) is not None:
            entities.append((str(value), node))
    chunks: list[Chunk] = []
    for entity_id, node in sorted(entities):
        chunks.extend(chunk_entity(graph, node, entity_id, max_words))
    return chunks
