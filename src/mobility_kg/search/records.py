"""What the search index is made of, as the read path loads it: chunks, their sentences and
the entity cards. No RDF here: queries never import rdflib."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

# Bump when chunking, sentence splitting or index layout changes: builds made before are then
# rebuilt, and an engine refuses to open them (StaleArtifact) instead of serving them.
INDEX_FORMAT = 12


@dataclass(frozen=True, slots=True)
class Chunk:
    """One indexed piece of text. ``text`` is what is embedded; ``body`` what is shown."""

    chunk_id: str
    entity_id: str
    section: str
    text: str
    body: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One answer candidate from the chunk at row ``chunk``: ``text`` reads on its own (what is
    embedded and shown), ``quote`` is the corpus text it stands for."""

    chunk: int
    text: str
    quote: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class EntityCard:
    id: str
    type: str
    title: str
    source_url: str
    about: list[str]
    pillars: list[str] = field(default_factory=list)
    predictors: list[str] = field(default_factory=list)
    strategies: list[str] = field(default_factory=list)
    evidence_strength: str | None = None
    order: int | None = None  # a planning-guide step's number
    labels: list[str] = field(default_factory=list)  # other names (SKOS alternative labels)
    # What the data and the evidence library record of it, by facet value ("subgroup-disability",
    # "level-city", "actor-housing-authorities", "source:American Community Survey ..."), with
    # the names a question may call that value by.
    facets: dict[str, list[str]] = field(default_factory=dict)


class Catalog:
    """Entity cards by compact id."""

    def __init__(self, cards: dict[str, EntityCard]) -> None:
        self.cards = cards

    def __getitem__(self, compact: str) -> EntityCard:
        return self.cards[compact]

    def __contains__(self, compact: object) -> bool:
        return compact in self.cards

    def to_json(self) -> str:
        return json.dumps(
            {k: asdict(v) for k, v in sorted(self.cards.items())}, indent=1, sort_keys=True
        )

    @classmethod
    def from_json(cls, text: str) -> Catalog:
        return cls({k: EntityCard(**v) for k, v in json.loads(text).items()})


def chunks_to_jsonl(chunks: list[Chunk]) -> str:
    return "".join(json.dumps(asdict(c), ensure_ascii=False, sort_keys=True) + "\n" for c in chunks)


def chunks_from_jsonl(text: str) -> list[Chunk]:
    return [Chunk(**json.loads(line)) for line in text.splitlines() if line.strip()]


def sentences_to_jsonl(sentences: list[Sentence]) -> str:
    return "".join(
        json.dumps(asdict(s), ensure_ascii=False, sort_keys=True) + "\n" for s in sentences
    )


def sentences_from_jsonl(text: str) -> list[Sentence]:
    return [Sentence(**json.loads(line)) for line in text.splitlines() if line.strip()]
