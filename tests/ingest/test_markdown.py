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
