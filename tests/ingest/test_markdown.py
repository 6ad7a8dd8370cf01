from pathlib import Path

import pytest

from mobility_kg.errors import CorpusError
from mobility_kg.ingest.markdown import parse_document

TEXT = """---
id: predictor/x
title: X
source: https://example.org/x
---

Lead line one.
Lead line two.

## First part

Alpha.

### Detail stays inside

Beta.

## Second part ##
Gamma.
"""


def test_front_matter_keys_carry_their_file_lines() -> None:
    doc = parse_document(Path("x.md"), TEXT)
    assert doc.fields == {"id": "predictor/x", "title": "X", "source": "https://example.org/x"}
    assert doc.key_lines == {"id": 2, "title": 3, "source": 4}


def test_body_splits_into_lead_and_level_two_sections() -> None:
    doc = parse_document(Path("x.md"), TEXT)
    assert doc.lead == "Lead line one.\nLead line two."
    assert doc.lead_line == 7
    assert [(s.title, s.line) for s in doc.sections] == [("First part", 10), ("Second part", 18)]
    assert doc.sections[0].text == "Alpha.\n\n### Detail stays inside\n\nBeta."
    assert doc.sections[1].text == "Gamma."


def test_duplicate_front_matter_key_is_an_error_with_its_line() -> None:
    text = "---\nid: predictor/x\ntitle: A\ntitle: B\n---\nLead.\n"
    with pytest.raises(CorpusError) as caught:
        parse_document(Path("x.md"), text)
    assert str(caught.value) == "x.md:4: malformed YAML: duplicate key 'title'"


def test_unclosed_front_matter_is_an_error() -> None:
    with pytest.raises(CorpusError, match=r"^x.md:1: the front matter has no closing"):
        parse_document(Path("x.md"), "---\nid: predictor/x\n")


def test_front_matter_must_be_a_mapping() -> None:
    with pytest.raises(CorpusError) as caught:
        parse_document(Path("x.md"), "---\n- a\n- b\n---\nLead.\n")
    assert (caught.value.line, caught.value.message) == (
        2,
        "the front matter must be a mapping of fields",
    )


@pytest.mark.parametrize(
    ("front_matter", "error"),
    [
        # PyYAML's timestamp constructor raises ValueError on impossible dates and offsets.
        ("date: 2021-13-45", 'x.md:3: field "date": not a valid date: 2021-13-45'),
        ("title: 2021-02-30", 'x.md:3: field "title": not a valid date: 2021-02-30'),
        (
            "note: 2021-01-01 10:00:00 +99:00",
            'x.md:3: field "note": not a valid date: 2021-01-01 10:00:00 +99:00',
        ),
        (
            "related:\n  - term/a\n  - 2021-02-30",
            'x.md:5: field "related": not a valid date: 2021-02-30',
        ),
        ("note: !!timestamp soon", 'x.md:3: field "note": not a valid date: soon'),
        # A list as a key: unhashable, a TypeError once.
        (
            "? [a]\n: 1",
            "x.md:3: malformed YAML: a field name must be a plain word, not a list or mapping",
        ),
        (
            "note: {? [a] : 1}",
            'x.md:3: field "note": malformed YAML: a key must be a plain value, not a list or '
            "mapping",
        ),
        # PyYAML's reader refuses control characters before parsing (a ReaderError).
        ("title: a\x01b", "x.md:3: malformed YAML: the character U+0001 is not allowed"),
        # A RecursionError in the composer.
        ("note: " + "[" * 5000 + "]" * 5000, "x.md:2: malformed YAML: nested too deeply"),
    ],
)
def test_any_yaml_failure_is_a_corpus_error_with_line_and_field(
    front_matter: str, error: str
) -> None:
    text = f"---\nid: term/x\n{front_matter}\n---\nLead.\n"
    with pytest.raises(CorpusError) as caught:
        parse_document(Path("x.md"), text)
    assert str(caught.value) == error


def test_a_control_character_in_the_body_is_an_error_with_its_line() -> None:
    text = "---\nid: term/x\n---\nLead.\n\n## Part\nA bell\x07 rings.\n"
    with pytest.raises(CorpusError) as caught:
        parse_document(Path("x.md"), text)
    assert str(caught.value) == (
        'x.md:7: field "body": must not contain the control character U+0007 '
        "(text may hold tabs and newlines only)"
    )
