"""Serialise the graph deterministically: same graph, byte-identical output."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from rdflib import Graph

from mobility_kg.errors import UnsupportedFormat
from mobility_kg.graph.namespaces import PREFIXES


class RdfFormat(StrEnum):
    TURTLE = "turtle"
    JSONLD = "jsonld"
    NTRIPLES = "nt"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def suffix(self) -> str:
        return {"turtle": ".ttl", "jsonld": ".jsonld", "nt": ".nt"}[self.value]

    @classmethod
    def parse(cls, name: str) -> RdfFormat:
        """The format called ``name`` (also accepts ttl, json-ld, ntriples, n-triples).

        Raises:
            UnsupportedFormat: any other name.
        """
        key = name.strip().lower()
        key = _ALIASES.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise UnsupportedFormat(name, [f.value for f in cls]) from None


_MEDIA_TYPES = {
    RdfFormat.TURTLE: "text/turtle",
    RdfFormat.JSONLD: "application/ld+json",
    RdfFormat.NTRIPLES: "application/n-triples",
}
_ALIASES = {"ttl": "turtle", "json-ld": "jsonld", "ntriples": "nt", "n-triples": "nt"}


def serialize(graph: Graph, rdf_format: RdfFormat, base_iri: str) -> str:
    """The graph as text in ``rdf_format``, in a stable order."""
    if rdf_format is RdfFormat.NTRIPLES:
        lines = graph.serialize(format="nt").splitlines()
        return "".join(line + "\n" for line in sorted(set(lines)) if line.strip())
    if rdf_format is RdfFormat.TURTLE:
        return graph.serialize(format="turtle")
    return _jsonld(graph, base_iri)


def _jsonld(graph: Graph, base_iri: str) -> str:
    # The context is inline, so a reader never fetches anything to expand it.
    context: dict[str, str] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    context["id"] = base_iri
    data: Any = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data]) if isinstance(data, dict) else data
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    nodes.sort(key=lambda node: str(node.get("@id", "")))
    document = {"@context": context, "@graph": nodes}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
