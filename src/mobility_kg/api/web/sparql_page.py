"""The SPARQL page for browsers: a query form with examples, and results as an HTML table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

from mobility_kg.ids import from_iri

MAX_ROWS = 1000  # rows drawn in the table; the rest are counted, not shown

UMF = "PREFIX umf: <https://w3id.org/mobility-kg/ontology#>\n"
RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


@dataclass(frozen=True, slots=True)
class Example:
    title: str
    query: str

    @property
    def href(self) -> str:
        return "/sparql?query=" + quote(self.query, safe="")


def examples(base_iri: str) -> list[Example]:
    """Queries a newcomer can run and edit; entity IRIs use the served base IRI."""
    return [
        Example(
            "How many entities of each type",
            UMF
            + "SELECT ?type (COUNT(?entity) AS ?entities)\nWHERE { ?entity umf:entityType ?type }"
            "\nGROUP BY ?type\nORDER BY DESC(?entities)",
        ),
        Example(
            "Every predictor with its pillar",
            UMF + RDFS + "SELECT ?predictor ?label ?pillar\nWHERE {\n  ?predictor a umf:Predictor ;"
            " rdfs:label ?label ; umf:pillar ?pillar .\n}\nORDER BY ?label",
        ),
        Example(
            "Strategies that address housing stability",
            UMF + RDFS + "SELECT ?strategy ?label\nWHERE {\n  ?strategy umf:addresses "
            f"<{base_iri}predictor/housing-stability> ;\n            rdfs:label ?label .\n}}\n"
            "ORDER BY ?label",
        ),
        Example(
            "Is there a predictor without a metric?",
            UMF + "ASK {\n  ?predictor a umf:Predictor .\n"
            "  FILTER NOT EXISTS { ?predictor umf:measuredBy ?metric }\n}",
        ),
        Example(
            "Describe the rewarding work pillar (Turtle)",
            f"DESCRIBE <{base_iri}pillar/rewarding-work>",
        ),
    ]


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    href: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    total: int


def _cell(term: dict[str, str] | None, base_iri: str) -> Cell:
    if term is None:
        return Cell("")
    value = term.get("value", "")
    if term.get("type") == "uri":
        compact = from_iri(base_iri, value)
        if compact is not None:
            return Cell(compact, f"/id/{compact}")
        if value.startswith(("http://", "https://")):
            return Cell(value, value)
    return Cell(value)


def results_table(sparql_json: bytes, base_iri: str) -> Table | bool:
    """SPARQL JSON results as a table (entities link to their pages), or an ASK answer."""
    results = json.loads(sparql_json)
    if "boolean" in results:
        return bool(results["boolean"])
    columns = list(results["head"]["vars"])
    bindings = results["results"]["bindings"]
    rows = [[_cell(b.get(c), base_iri) for c in columns] for b in bindings[:MAX_ROWS]]
    return Table(columns, rows, len(bindings))
