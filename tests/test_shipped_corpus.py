"""The shipped corpus: every canonical id of ids.md, with its pillar and metrics, and SHACL clean.

tests/data/ids.md is a copy of shared/reference/ids.md (the canonical ids).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from mobility_kg.config import Settings

ROOT = Path(__file__).resolve().parents[1]
IDS_MD = ROOT / "tests" / "data" / "ids.md"
SHARED_IDS_MD = ROOT.parent / "shared" / "reference" / "ids.md"

pytestmark = pytest.mark.slow


def canonical_framework() -> tuple[list[str], dict[str, str], dict[str, list[str]]]:
    """(dimension ids, predictor -> pillar, predictor -> metrics) as ids.md states them."""
    dimensions: list[str] = []
    pillar_of: dict[str, str] = {}
    metrics_of: dict[str, list[str]] = {}
    pillar = predictor = ""
    for line in IDS_MD.read_text().splitlines():
        found = re.search(r"`((?:dimension|pillar|predictor|metric)/[a-z0-9-]+)`", line)
        if not found:
            continue
        compact = found.group(1)
        kind = compact.partition("/")[0]
        if kind == "dimension":
            dimensions.append(compact)
        elif kind == "pillar":
            pillar = compact
        elif kind == "predictor":
            predictor = compact
            pillar_of[predictor] = pillar
            metrics_of[predictor] = []
        else:
            metrics_of[predictor].append(compact)
    return dimensions, pillar_of, metrics_of


@pytest.fixture(scope="module")
def shipped_turtle(
    shipped_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> pyoxigraph.Store:
    """The shipped build as a user meets it: `validate` passes, `export` gives Turtle that an
    independent parser (Oxigraph) reads."""
    data = str(shipped_settings.data_dir)
    cli = [sys.executable, "-m", "mobility_kg"]
    done = subprocess.run(
        [*cli, "validate", "--data-dir", data], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = tmp_path_factory.mktemp("export") / "export.ttl"
    subprocess.run(
        [*cli, "export", "-o", str(out), "--no-observations", "--data-dir", data],
        check=True,
        capture_output=True,
    )
    store = pyoxigraph.Store()
    store.load(path=str(out), format=pyoxigraph.RdfFormat.TURTLE)
    return store


PREFIXES = """
PREFIX umf: <https://w3id.org/mobility-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def _select(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(term.value for term in row) for row in store.query(PREFIXES + query))


def test_ids_copy_matches_shared_reference() -> None:
    if not SHARED_IDS_MD.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert IDS_MD.read_text() == SHARED_IDS_MD.read_text()


def test_counts_by_type_are_the_framework_s(shipped_turtle: pyoxigraph.Store) -> None:
    rows = _select(
        shipped_turtle,
        "SELECT ?t (COUNT(?e) AS ?n) WHERE { ?e umf:entityType ?t "
        "FILTER(?t IN ('dimension','pillar','predictor','metric')) } GROUP BY ?t",
    )
    assert rows == [("dimension", "3"), ("metric", "26"), ("pillar", "5"), ("predictor", "24")]


def test_every_canonical_id_has_its_pillar_and_metrics(shipped_turtle: pyoxigraph.Store) -> None:
    dimensions, pillar_of, metrics_of = canonical_framework()
    assert (len(dimensions), len(set(pillar_of.values())), len(pillar_of)) == (3, 5, 24)
    found_dimensions = _select(
        shipped_turtle, "SELECT ?id WHERE { ?d a umf:Dimension ; dcterms:identifier ?id }"
    )
    assert found_dimensions == sorted((d,) for d in dimensions)
    found_pillars = _select(
        shipped_turtle,
        "SELECT ?p ?pillar WHERE { ?x a umf:Predictor ; dcterms:identifier ?p ; umf:pillar ?y . "
        "?y dcterms:identifier ?pillar }",
    )
    assert found_pillars == sorted(pillar_of.items())
    found_metrics = _select(
        shipped_turtle,
        "SELECT ?p ?m WHERE { ?x a umf:Predictor ; dcterms:identifier ?p ; umf:measuredBy ?y . "
        "?y dcterms:identifier ?m . ?y umf:measures ?x }",
    )
    assert found_metrics == sorted((p, m) for p, ms in metrics_of.items() for m in ms)
