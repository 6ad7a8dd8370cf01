"""Field values: text is only YAML text, numbers and dates only in their ranges and forms."""

from pathlib import Path

import pytest

from mobility_kg.errors import CorpusError
from mobility_kg.ingest.corpus import load_document
from mobility_kg.ingest.records import GUIDE_STEPS, GuideRecord, PostRecord

TERM = """---
id: term/x
title: {title}
source: https://example.org/x
---
Lead.
"""
GUIDE = """---
id: guide/step-x
title: Step
source: https://example.org/x
step: {step}
---
Lead.
"""
POST = """---
id: post/x
title: Post
source: https://example.org/x
subjects: [term/x]
date: {date}
---
Lead.
"""


def _error(text: str) -> str:
    with pytest.raises(CorpusError) as caught:
        load_document(Path("x.md"), text)
    return str(caught.value)


@pytest.mark.parametrize(
    ("title", "got"),
    [
        ("2021-02-03", "the date 2021-02-03; quote it to use it as text"),
        ("2021-02-03 10:00:00", "the timestamp 2021-02-03 10:00:00; quote it to use it as text"),
        ("1984", "the number 1984; quote it to use it as text"),
        ("yes", "the boolean true; quote it to use it as text"),
        ('!!binary "AAAA"', "binary data (!!binary)"),
        ("[a, b]", "a list"),
        ("", "an empty value"),
    ],
)
def test_a_text_field_takes_only_yaml_text(title: str, got: str) -> None:
    assert _error(TERM.format(title=title)) == f'x.md:3: field "title": must be text, got {got}'


def test_quoted_text_that_looks_like_a_date_is_text() -> None:
    assert load_document(Path("x.md"), TERM.format(title='"2021-02-03"')).record.title == (
        "2021-02-03"
    )


def test_bytes_are_refused_in_ids_and_lists_too() -> None:
    # "dGVybS94" is base64 for "term/x": pydantic alone would take the bytes as that id.
    related = TERM.format(title="X").replace("---\nLead", "related: [!!binary dGVybS94]\n---\nLead")
    assert _error(related) == 'x.md:5: field "related[0]": must be text, got binary data (!!binary)'


@pytest.mark.parametrize(
    ("title", "code"), [('"a\\0b"', "0000"), ('"a\\rb"', "000D"), ('"a\\x85b"', "0085")]
)
def test_text_holds_no_control_characters(title: str, code: str) -> None:
    assert _error(TERM.format(title=title)) == (
        f'x.md:3: field "title": must not contain the control character U+{code} '
        "(text may hold tabs and newlines only)"
    )


def test_text_may_hold_tabs_and_newlines() -> None:
    record = load_document(Path("x.md"), TERM.format(title='"a\\tb\\nc"')).record
    assert record.title == "a\tb\nc"


@pytest.mark.parametrize("step", [1, GUIDE_STEPS])
def test_guide_steps_from_one_to_ten(step: int) -> None:
    record = load_document(Path("x.md"), GUIDE.format(step=step)).record
    assert isinstance(record, GuideRecord)
    assert record.step == step


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("0", "must be a step of the planning guide, from 1 to 10, got 0"),
        ("11", "must be a step of the planning guide, from 1 to 10, got 11"),
        (
            "99999999999999999999999999",
            "must be a step of the planning guide, from 1 to 10, got 99999999999999999999999999",
        ),
        ("true", "must be a whole number, got the boolean true"),
        ("2.0", "must be a whole number, got the number 2.0"),
    ],
)
def test_a_guide_step_out_of_range_is_an_error(step: str, message: str) -> None:
    assert _error(GUIDE.format(step=step)) == f'x.md:5: field "step": {message}'


@pytest.mark.parametrize(
    ("date", "got"),
    [("0", "the number 0"), ("2022-03-01 10:00:00", "the timestamp 2022-03-01 10:00:00")],
)
def test_a_date_field_takes_only_a_date(date: str, got: str) -> None:
    assert _error(POST.format(date=date)) == (
        f'x.md:6: field "date": must be a date like 2022-03-01, got {got}'
    )


@pytest.mark.parametrize("date", ["2022-03-01", "'2022-03-01'"])
def test_a_date_or_a_quoted_iso_date_is_a_date(date: str) -> None:
    record = load_document(Path("x.md"), POST.format(date=date)).record
    assert isinstance(record, PostRecord)
    assert str(record.date) == "2022-03-01"
