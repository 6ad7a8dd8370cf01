import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from mobility_kg.build import BuiltGraph
from mobility_kg.config import Settings
from mobility_kg.errors import UnsupportedFormat
from mobility_kg.graph.export import RdfFormat, serialize

RDFLIB_NAMES = {RdfFormat.TURTLE: "turtle", RdfFormat.JSONLD: "json-ld", RdfFormat.NTRIPLES: "nt"}
OX_FORMATS = {
    RdfFormat.TURTLE: pyoxigraph.RdfFormat.TURTLE,
    RdfFormat.JSONLD: pyoxigraph.RdfFormat.JSON_LD,
    RdfFormat.NTRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
}


@pytest.mark.parametrize("rdf_format", list(RdfFormat))
def test_export_round_trips_isomorphic(mini_built: BuiltGraph, rdf_format: RdfFormat) -> None:
    text = serialize(mini_built.graph, rdf_format, mini_built.manifest.base_iri)
    again = Graph().parse(data=text, format=RDFLIB_NAMES[rdf_format])
    assert len(again) == len(mini_built.graph)
    assert isomorphic(again, mini_built.graph)


@pytest.mark.parametrize("rdf_format", list(RdfFormat))
def test_independent_parser_reads_every_triple(
    mini_built: BuiltGraph, rdf_format: RdfFormat
) -> None:
    text = serialize(mini_built.graph, rdf_format, mini_built.manifest.base_iri)
    store = pyoxigraph.Store()
    store.load(text.encode(), format=OX_FORMATS[rdf_format])
    assert len(store) == len(mini_built.graph)


def test_jsonld_context_is_inline(mini_built: BuiltGraph) -> None:
    text = serialize(mini_built.graph, RdfFormat.JSONLD, mini_built.manifest.base_iri)
    assert '"@context": {' in text
    assert '"umf": "https://w3id.org/mobility-kg/ontology#"' in text


def test_turtle_binds_standard_prefixes(mini_built: BuiltGraph) -> None:
    text = serialize(mini_built.graph, RdfFormat.TURTLE, mini_built.manifest.base_iri)
    for prefix in ("skos", "dcterms", "prov", "schema", "umf"):
        assert f"@prefix {prefix}: " in text


@pytest.mark.parametrize("name", ["turtle", "jsonld", "nt"])
def test_export_is_byte_identical_across_processes(mini_settings: Settings, name: str) -> None:
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "mobility_kg",
                "export",
                "--format",
                name,
                "--data-dir",
                str(mini_settings.data_dir),
            ],
            capture_output=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1000


def test_format_aliases_and_unknown_format() -> None:
    assert RdfFormat.parse("TTL") is RdfFormat.TURTLE
    assert RdfFormat.parse("n-triples") is RdfFormat.NTRIPLES
    with pytest.raises(UnsupportedFormat) as caught:
        RdfFormat.parse("rdfxml")
    assert str(caught.value) == "format 'rdfxml' is not supported; use one of turtle, jsonld, nt"


def test_turtle_file_written_by_cli_parses(mini_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mobility_kg",
            "export",
            "-o",
            str(out),
            "--data-dir",
            str(mini_settings.data_dir),
        ],
        check=True,
        capture_output=True,
    )
    store = pyoxigraph.Store()
    store.load(path=str(out), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(Graph().parse(out, format="turtle"))
