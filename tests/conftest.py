"""Session fixtures: the mini corpus built once; tests that mutate get their own copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mobility_kg.build import BuiltGraph, build, load_built_graph
from mobility_kg.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini"
SHIPPED = ROOT / "corpus"


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    result: dict[str, Any] = json.loads((MINI / "expected.json").read_text())
    return result


def copy_corpus(source: Path, target: Path) -> Path:
    """A real copy of a corpus (the ontology link resolved), safe to modify."""
    shutil.copytree(source, target, symlinks=False)
    return target


@pytest.fixture(scope="session")
def mini_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("mini-data")
    settings = Settings(data_dir=data_dir, corpus_dir=MINI)
    build(settings)
    return settings


@pytest.fixture(scope="session")
def mini_built(mini_settings: Settings) -> BuiltGraph:
    return load_built_graph(mini_settings.data_dir)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Settings:
    """A private copy of the mini corpus and an empty data dir."""
    corpus = copy_corpus(MINI, tmp_path / "corpus")
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
