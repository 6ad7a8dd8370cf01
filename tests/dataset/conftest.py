"""A corpus with the metric data of the upstream fixture, built once per session.

The framework, evidence, strategies and places of the shipped corpus (so every variable has
its metric, predictor, pillar and strategies) plus ``data/`` imported from
``tests/data/upstream`` (real rows of three counties and two cities).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.data.importer import import_upstream
from mobility_kg.search.embedder import MiniLMEmbedder

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ROOT / "tests" / "data" / "upstream"
COMMIT = "5aa12e3e08b1e44db52b06c0a731fe9985cb17f8"


@pytest.fixture(scope="session")
def data_settings(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Settings:
    corpus = tmp_path_factory.mktemp("data-corpus") / "corpus"
    corpus.mkdir()
    for part in ("ontology", "framework", "evidence", "strategies", "places"):
        shutil.copytree(ROOT / "corpus" / part, corpus / part)
    import_upstream(UPSTREAM, corpus / "data", COMMIT)
    settings = Settings(data_dir=tmp_path_factory.mktemp("data-built"), corpus_dir=corpus)
    build(settings, embedder=embedder)
    return settings
