"""Methodology documents: read from methodology/, typed as articles, linked to what they explain."""

from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF
from tests.conftest import MINI, copy_corpus

from mobility_kg.errors import CorpusError
from mobility_kg.graph.build import build_graph
from mobility_kg.graph.namespaces import SCHEMA, UMF
from mobility_kg.graph.shapes import validate_graph
from mobility_kg.ids import DEFAULT_BASE_IRI
from mobility_kg.ingest.corpus import load_corpus

CHOOSING = """---
id: methodology/choosing-metrics
title: Choosing the metrics
source: https://upward-mobility.urban.org/metrics-and-evidence
subjects: [predictor/housing-stability, metric/student-homelessness]
---
How the working group picked one measure for each predictor.

## Criteria

Evidence of a predictive link, and data for every county.

## Quality

Each value carries a flag.
"""


def _corpus_with(tmp_path: Path, text: str) -> Path:
    root = copy_corpus(MINI, tmp_path / "corpus")
    (root / "methodology").mkdir()
    (root / "methodology" / "choosing-metrics.md").write_text(text)
    return root


def test_methodology_document_links_its_subjects_and_conforms(tmp_path: Path) -> None:
    corpus = load_corpus(_corpus_with(tmp_path, CHOOSING))
    graph = build_graph(corpus, DEFAULT_BASE_IRI)
    node = URIRef(DEFAULT_BASE_IRI + "methodology/choosing-metrics")
    assert {UMF.MethodologyDocument, SCHEMA.Article} <= set(graph.objects(node, RDF.type))
    subjects = sorted(
        str(s).removeprefix(DEFAULT_BASE_IRI) for s in graph.objects(node, DCTERMS.subject)
    )
    assert subjects == ["metric/student-homelessness", "predictor/housing-stability"]
    assert len(list(graph.objects(node, UMF.hasSection))) == 2
    assert validate_graph(graph, corpus.shapes_ttl, DEFAULT_BASE_IRI) == []


def test_methodology_document_needs_a_subject(tmp_path: Path) -> None:
    text = CHOOSING.replace(
        "subjects: [predictor/housing-stability, metric/student-homelessness]\n", ""
    )
    with pytest.raises(CorpusError, match="subjects"):
        load_corpus(_corpus_with(tmp_path, text))


def test_methodology_subject_must_exist(tmp_path: Path) -> None:
    text = CHOOSING.replace("metric/student-homelessness", "metric/student-homeless")
    with pytest.raises(CorpusError, match="metric/student-homelessness"):
        load_corpus(_corpus_with(tmp_path, text))
