"""The named graphs' IRIs: one module the endpoint and the remote store share."""

from __future__ import annotations

import pytest

from mobility_kg.graph.named_graphs import (
    dataset_graph,
    dataset_slug,
    document_graph,
    framework_graph,
    is_ours,
)

BASE = "https://w3id.org/mobility-kg/id/"


def test_names() -> None:
    assert framework_graph(BASE) == BASE + "graph/framework"
    dataset = BASE + "data/dataset/share_employed/county"
    assert dataset_slug(dataset, BASE) == "share_employed-county"
    assert dataset_graph(BASE, dataset) == BASE + "graph/data/share_employed-county"
    assert document_graph(BASE, "post/my-post") == BASE + "graph/document/post-my-post"


def test_a_foreign_dataset_is_refused() -> None:
    with pytest.raises(ValueError, match="not a data set"):
        dataset_slug("http://example.org/data/dataset/x/county", BASE)


def test_only_our_graphs_are_ours() -> None:
    assert is_ours(BASE + "graph/framework", BASE)
    assert is_ours(BASE + "graph/data/x-county", BASE)
    assert not is_ours("http://www.openlinksw.com/schemas/virtrdf#", BASE)
    assert not is_ours(BASE + "predictor/x", BASE)
