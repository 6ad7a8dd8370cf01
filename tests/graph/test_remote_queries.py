"""The metric data's queries as the remote store sends them: the pattern inside ``GRAPH ?g``,
``?g`` one of the build's data graphs (run here on an in-memory pyoxigraph store)."""

from __future__ import annotations

import pyoxigraph
import pytest

from mobility_kg.errors import QueryError
from mobility_kg.graph.remote import in_graphs

EX = "http://example.org/"
VALUE = pyoxigraph.NamedNode(EX + "value")
BOUND = pyoxigraph.NamedNode(EX + "bound")
QUERY = (
    f"SELECT ?o ?v ?b WHERE {{ ?o <{VALUE.value}> ?v . OPTIONAL {{ ?o <{BOUND.value}> ?b }} }} "
    "ORDER BY ?o"
)


def _store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    graphs = {name: pyoxigraph.NamedNode(EX + "graph/" + name) for name in ("a", "b", "tmp")}

    def add(subject: str, predicate: pyoxigraph.NamedNode, value: int, graph: str) -> None:
        node = pyoxigraph.NamedNode(EX + subject)
        store.add(pyoxigraph.Quad(node, predicate, pyoxigraph.Literal(str(value)), graphs[graph]))

    add("o1", VALUE, 1, "a")
    add("o1", BOUND, 0, "a")
    add("o2", VALUE, 2, "b")
    add("o2", BOUND, 9, "a")  # a bound in another graph than its value: not joined
    add("o3", VALUE, 3, "tmp")  # a publish's temporary graph: not read
    return store


def test_the_pattern_matches_within_one_of_the_graphs_only() -> None:
    query = in_graphs(QUERY, [EX + "graph/a", EX + "graph/b"])
    rows = [
        tuple(None if term is None else term.value for term in row) for row in _store().query(query)
    ]
    assert rows == [(EX + "o1", "1", "0"), (EX + "o2", "2", None)]
    assert query.endswith("} ORDER BY ?o")  # the solution modifiers stay outside


def test_a_query_without_a_pattern_is_refused() -> None:
    with pytest.raises(QueryError, match="WHERE"):
        in_graphs("ASK {}", [EX + "graph/a"])
