"""SHACL validation of a built graph with pyshacl."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from mobility_kg.errors import Violation
from mobility_kg.graph.namespaces import short_iri
from mobility_kg.ids import from_iri


def validate_graph(data: Graph, shapes_ttl: str, base_iri: str) -> list[Violation]:
    """Every SHACL result of ``data`` against the shapes, sorted by node and path.

    Focus nodes are shown as compact ids (sections as ``id#section``). RDFS inference is
    off: the graph states every type it needs, so results do not depend on entailment.
    """
    from pyshacl import validate  # imported here: pyshacl is slow to import

    shapes = Graph().parse(data=shapes_ttl, format="turtle")
    _, report, _ = validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    violations = []
    for result in report.subjects(predicate=SH.focusNode):
        severity = report.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus_node=_show(base_iri, report.value(result, SH.focusNode)),
                path=_show(base_iri, report.value(result, SH.resultPath)),
                message=str(report.value(result, SH.resultMessage) or "constraint not met"),
                severity=str(severity).rpartition("#")[2] if severity else "Violation",
            )
        )
    return sorted(violations, key=lambda v: (v.focus_node, v.path, v.message))


def _show(base_iri: str, term: Node | None) -> str:
    if term is None:
        return "-"
    if not isinstance(term, URIRef):
        return str(term)
    entity, hash_sign, fragment = str(term).partition("#")
    compact = from_iri(base_iri, entity)
    if compact is not None:
        return compact + hash_sign + fragment
    return short_iri(str(term))
