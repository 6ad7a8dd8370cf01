"""Session fixtures: the mini corpus built once; tests that mutate get their own copy."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The model ships in a package; no library may ask the hub during tests.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from mobility_kg.build import BuiltGraph, build, load_built_graph
from mobility_kg.config import Settings
from mobility_kg.search.embedder import MiniLMEmbedder
from tests.servers import Server, start_oxigraph, start_virtuoso, stop

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
def embedder() -> MiniLMEmbedder:
    """The real packaged model, loaded once per session."""
    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def mini_settings(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Settings:
    data_dir = tmp_path_factory.mktemp("mini-data")
    settings = Settings(data_dir=data_dir, corpus_dir=MINI)
    build(settings, embedder=embedder)
    return settings


@pytest.fixture(scope="session")
def mini_built(mini_settings: Settings) -> BuiltGraph:
    return load_built_graph(mini_settings.data_dir)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Settings:
    """A private copy of the mini corpus and an empty data dir."""
    corpus = copy_corpus(MINI, tmp_path / "corpus")
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus)


@pytest.fixture(scope="session")
def shipped_settings(
    tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder
) -> Settings:
    """The shipped corpus, built once per session (slow tests only)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("shipped-data"), corpus_dir=SHIPPED)
    build(settings, embedder=embedder)
    return settings


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The Oxigraph server on a free loopback port, for the session."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def oxigraph_union_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The Oxigraph server whose default graph is the union of its named graphs."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-union"), union=True)
    yield server
    stop(server)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """OpenLink Virtuoso on free loopback ports (its result cap left at 10,000 rows)."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    stop(server)


# One browser for the whole session: two sync Playwright instances cannot share a thread.
@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "the browser tests need Debian's chromium (scripts/test --all installs it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()
