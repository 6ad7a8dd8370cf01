"""Adding and removing documents after the build: validated first, committed atomically."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mobility_kg.build import build, load_built_graph
from mobility_kg.config import Settings
from mobility_kg.documents import add_document, remove_document
from mobility_kg.errors import CorpusError, DocumentConflict, ShapeViolation, UnknownEntityError
from mobility_kg.graph.inspect import entity_ids
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.engine import SearchEngine

NEW_STRATEGY = """---
id: strategy/job-fairs-at-libraries
title: Job fairs at public libraries
addresses: [predictor/employment-opportunities]
actors: [local-government, employers]
source: https://www.example.org/library-job-fairs
---
Branch libraries host regular hiring events where residents meet local employers face to face.
"""

THIN_EVIDENCE = """---
id: evidence/employment-opportunities
title: "Evidence: Employment opportunities"
predictor: predictor/employment-opportunities
source: https://www.example.org/evidence
---
A summary with no sections breaks the shape that wants three.
"""


def _snapshot(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(mini_copy: Settings, embedder: MiniLMEmbedder) -> Settings:
    build(mini_copy, embedder=embedder)
    return mini_copy


def test_added_document_is_in_the_graph_and_searchable_at_once(
    built: Settings, embedder: MiniLMEmbedder
) -> None:
    added, result = add_document(built, NEW_STRATEGY, embedder=embedder)
    assert added == "strategy/job-fairs-at-libraries"
    assert (result.embedded, "documents" in result.manifest.files) == (1, True)
    assert added in entity_ids(load_built_graph(built.data_dir).graph)
    engine = SearchEngine.open(built.data_dir, embedder)
    assert engine.search("hiring events at the library branch", k=1).results[0].id == added
    assert (
        built.data_dir
        / result.manifest.files["documents"]
        / "strategies"
        / "job-fairs-at-libraries.md"
    ).read_text() == NEW_STRATEGY


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            NEW_STRATEGY.replace("predictor/employment-opportunities", "predictor/employment"),
            CorpusError,
        ),
        (
            NEW_STRATEGY.replace(
                "id: strategy/job-fairs-at-libraries", "id: strategy/housing-choice-vouchers"
            ),
            DocumentConflict,
        ),
        (THIN_EVIDENCE, ShapeViolation),
        ("no front matter at all", CorpusError),
        (
            NEW_STRATEGY.replace("title: Job fairs at public libraries", "title: 2021-02-30"),
            CorpusError,
        ),
        (
            NEW_STRATEGY.replace("title: Job fairs at public libraries", 'title: !!binary "AAAA"'),
            CorpusError,
        ),
    ],
)
def test_a_bad_document_changes_nothing(
    built: Settings, embedder: MiniLMEmbedder, text: str, error: type[Exception]
) -> None:
    before = _snapshot(built.data_dir)
    with pytest.raises(error):
        add_document(built, text, embedder=embedder)
    assert _snapshot(built.data_dir) == before


def test_remove_an_added_document(built: Settings, embedder: MiniLMEmbedder) -> None:
    add_document(built, NEW_STRATEGY, embedder=embedder)
    result = remove_document(built, "strategy/job-fairs-at-libraries", embedder=embedder)
    assert "strategy/job-fairs-at-libraries" not in entity_ids(
        load_built_graph(built.data_dir).graph
    )
    assert result.embedded == 0
    with pytest.raises(UnknownEntityError):
        remove_document(built, "strategy/job-fairs-at-libraries", embedder=embedder)


def test_shipped_documents_cannot_be_removed(built: Settings, embedder: MiniLMEmbedder) -> None:
    with pytest.raises(DocumentConflict, match="belongs to the shipped corpus"):
        remove_document(built, "strategy/housing-choice-vouchers", embedder=embedder)


def _run_and_kill(arguments: list[str], delay: float) -> bool:
    """Run the CLI with ``arguments``, SIGKILL it after ``delay`` seconds; True if it finished."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mobility_kg", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    deadline = time.monotonic() + delay
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if process.poll() is not None:
        return True
    process.send_signal(signal.SIGKILL)
    process.wait()
    return False


def _check_old_or_new(
    built: Settings, before: dict[str, bytes], finished: bool, present_after: bool
) -> None:
    """The build is whole, and it is either the previous one untouched or the complete new one."""
    ids = entity_ids(load_built_graph(built.data_dir).graph)
    SearchEngine.open(built.data_dir)  # every file the manifest names is there and whole
    if ("strategy/job-fairs-at-libraries" in ids) == present_after:
        assert (built.data_dir / "manifest.json").read_bytes() != before["manifest.json"]
    else:
        assert not finished
        after = _snapshot(built.data_dir)
        assert {
            k: v for k, v in after.items() if k in before
        } == before  # nothing of the old build changed


KILL_DELAYS = [1.0, 4.5, 6.0, 7.5, 9.0, 30.0]  # during import, build, writes, and after the end


@pytest.mark.slow
@pytest.mark.parametrize("delay", KILL_DELAYS)
def test_a_kill_during_add_leaves_the_old_or_the_new_build(
    built: Settings, tmp_path: Path, delay: float
) -> None:
    before = _snapshot(built.data_dir)
    document = tmp_path / "new.md"
    document.write_text(NEW_STRATEGY)
    where = ["--corpus", str(built.corpus_dir), "--data-dir", str(built.data_dir)]
    finished = _run_and_kill(["add", str(document), *where], delay)
    _check_old_or_new(built, before, finished, present_after=True)


@pytest.mark.slow
@pytest.mark.parametrize("delay", KILL_DELAYS)
def test_a_kill_during_remove_leaves_the_old_or_the_new_build(
    built: Settings, embedder: MiniLMEmbedder, delay: float
) -> None:
    add_document(built, NEW_STRATEGY, embedder=embedder)
    before = _snapshot(built.data_dir)
    where = ["--corpus", str(built.corpus_dir), "--data-dir", str(built.data_dir)]
    finished = _run_and_kill(["remove", "strategy/job-fairs-at-libraries", *where], delay)
    _check_old_or_new(built, before, finished, present_after=False)


TURTLE_STRATEGY = """@prefix umf: <https://w3id.org/mobility-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

<https://w3id.org/mobility-kg/id/strategy/bike-share-discounts> a umf:Strategy, skos:Concept ;
    dcterms:identifier "strategy/bike-share-discounts" ;
    rdfs:label "Bike share discounts"@en ;
    skos:prefLabel "Bike share discounts"@en ;
    skos:definition "Reduced bike share memberships help residents with low incomes reach work and school."@en ;
    skos:inScheme umf:StrategyScheme ;
    umf:addresses <https://w3id.org/mobility-kg/id/predictor/employment-opportunities> ;
    umf:actor umf:actor-transit-agencies ;
    dcterms:source <https://www.example.org/bike-share> ;
    prov:wasDerivedFrom <https://www.example.org/bike-share> .
"""


def test_a_turtle_document_is_added_and_searchable(
    built: Settings, embedder: MiniLMEmbedder
) -> None:
    added, result = add_document(built, TURTLE_STRATEGY, turtle=True, embedder=embedder)
    assert (added, result.embedded) == ("strategy/bike-share-discounts", 1)
    engine = SearchEngine.open(built.data_dir, embedder)
    assert engine.search("cheaper bicycle memberships", k=1).results[0].id == added
    remove_document(built, added, embedder=embedder)
    assert added not in entity_ids(load_built_graph(built.data_dir).graph)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            TURTLE_STRATEGY.replace("umf:Strategy, skos:Concept ;", "umf:Strategy skos:Concept ;"),
            "document.ttl:7: Turtle syntax",
        ),
        (
            TURTLE_STRATEGY.replace('"strategy/bike-share-discounts"', '"strategy/bikes"'),
            "the entity's IRI must be",
        ),
        (
            TURTLE_STRATEGY + "<https://example.org/other> <https://example.org/p> 1 .\n",
            "states triples about other subjects",
        ),
        (
            "<https://w3id.org/mobility-kg/id/term/audit-x> <http://purl.org/dc/terms/identifier> "
            '"term/audit-x" .\n',
            r'^document.ttl: field "rdf:type": a term/ id needs the class umf:Term, but '
            r"<https://w3id.org/mobility-kg/id/term/audit-x> has no rdf:type$",
        ),
        (
            TURTLE_STRATEGY.replace("strategy/bike-share-discounts", "term/bike-share-discounts"),
            r"a term/ id needs the class umf:Term, but <\S+> is typed umf:Strategy",
        ),
    ],
)
def test_a_bad_turtle_document_changes_nothing(
    built: Settings, embedder: MiniLMEmbedder, text: str, message: str
) -> None:
    before = _snapshot(built.data_dir)
    with pytest.raises(CorpusError, match=message):
        add_document(built, text, turtle=True, embedder=embedder)
    assert _snapshot(built.data_dir) == before


def test_a_turtle_document_breaking_the_shapes_changes_nothing(
    built: Settings, embedder: MiniLMEmbedder
) -> None:
    before = _snapshot(built.data_dir)
    without_actor = TURTLE_STRATEGY.replace("    umf:actor umf:actor-transit-agencies ;\n", "")
    with pytest.raises(ShapeViolation, match="a strategy names at least one kind of actor"):
        add_document(built, without_actor, turtle=True, embedder=embedder)
    assert _snapshot(built.data_dir) == before


def test_adding_again_keeps_earlier_documents_of_both_kinds(
    built: Settings, embedder: MiniLMEmbedder
) -> None:
    add_document(built, TURTLE_STRATEGY, turtle=True, embedder=embedder)
    add_document(built, NEW_STRATEGY, embedder=embedder)
    ids = entity_ids(load_built_graph(built.data_dir).graph)
    assert {"strategy/bike-share-discounts", "strategy/job-fairs-at-libraries"} <= set(ids)


def test_concurrent_writers_take_turns_and_lose_nothing(built: Settings) -> None:
    """Two adds at once (as from two server workers): the data dir's lock orders them, so the
    second builds on the first instead of overwriting it."""
    second = NEW_STRATEGY.replace("job-fairs-at-libraries", "library-career-corners").replace(
        "Job fairs", "Career corners"
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        ids = sorted(
            f.result()[0]
            for f in [pool.submit(add_document, built, t) for t in (NEW_STRATEGY, second)]
        )
    assert ids == ["strategy/job-fairs-at-libraries", "strategy/library-career-corners"]
    engine = SearchEngine.open(built.data_dir)
    assert set(ids) <= set(engine.catalog.cards)
