"""A Turtle document states one entity, typed with the ontology's class for its id."""

from pathlib import Path

import pytest

from mobility_kg.errors import CorpusError
from mobility_kg.graph.build import CLASSES
from mobility_kg.ids import DEFAULT_BASE_IRI, EntityType
from mobility_kg.ingest.turtle import ENTITY_CLASSES, read_turtle_document

PREFIXES = """@prefix umf: <https://w3id.org/mobility-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""
TERM = f"<{DEFAULT_BASE_IRI}term/audit-x>"


def _read(text: str) -> str:
    return read_turtle_document(Path("document.ttl"), PREFIXES + text, DEFAULT_BASE_IRI).id


def test_entity_classes_are_those_the_graph_gives_each_type() -> None:
    assert {t: str(classes[0]) for t, classes in CLASSES.items()} == ENTITY_CLASSES
    assert set(ENTITY_CLASSES) == set(EntityType)


def test_a_typed_entity_is_read() -> None:
    assert _read(f'{TERM} a umf:Term, skos:Concept ; dcterms:identifier "term/audit-x" .') == (
        "term/audit-x"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            f'{TERM} dcterms:identifier "term/audit-x" .',
            f"a term/ id needs the class umf:Term, but {TERM} has no rdf:type",
        ),
        (
            f'{TERM} a skos:Concept ; dcterms:identifier "term/audit-x" .',
            f"a term/ id needs the class umf:Term, but {TERM} has rdf:type "
            "<http://www.w3.org/2004/02/skos/core#Concept>",
        ),
        (
            f'{TERM} a umf:Strategy ; dcterms:identifier "term/audit-x" .',
            f"a term/ id needs the class umf:Term, but {TERM} is typed umf:Strategy "
            "(the class of strategy/ ids)",
        ),
        (
            f'{TERM} a umf:Term, umf:Strategy ; dcterms:identifier "term/audit-x" .',
            f"a term/ id needs the class umf:Term, but {TERM} is typed umf:Strategy "
            "(the class of strategy/ ids)",
        ),
        (
            f'{TERM} a umf:Term ; dcterms:identifier "term/audit-x" .\n'
            f"<{DEFAULT_BASE_IRI}term/audit-x#part> a umf:Predictor .",
            "only the entity may have an entity class, but "
            f"<{DEFAULT_BASE_IRI}term/audit-x#part> is typed umf:Predictor",
        ),
    ],
)
def test_an_entity_without_the_class_of_its_id_is_an_error(text: str, problem: str) -> None:
    with pytest.raises(CorpusError) as caught:
        _read(text)
    assert str(caught.value) == f'document.ttl: field "rdf:type": {problem}'
