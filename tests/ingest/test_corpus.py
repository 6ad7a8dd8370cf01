import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mobility_kg.errors import CorpusError
from mobility_kg.ingest.corpus import load_corpus
from mobility_kg.ingest.records import MetricRecord, StrategyRecord

DATA = Path(__file__).resolve().parents[1] / "data"
CASES = json.loads((DATA / "bad" / "cases.json").read_text())


def test_mini_corpus_loads_in_type_then_id_order(expected: dict[str, Any]) -> None:
    corpus = load_corpus(DATA / "mini")
    counts: dict[str, int] = {}
    for doc in corpus.documents:
        counts[doc.entity_type.value] = counts.get(doc.entity_type.value, 0) + 1
    assert counts == expected["entities"]
    assert [d.id for d in corpus.documents][:4] == [
        "dimension/economic-success",
        "dimension/power-and-autonomy",
        "pillar/opportunity-rich-inclusive-neighborhoods",
        "pillar/rewarding-work",
    ]


def test_records_are_typed_with_controlled_values() -> None:
    corpus = load_corpus(DATA / "mini")
    metric = corpus.by_id["metric/affordable-housing-ratio"].record
    assert isinstance(metric, MetricRecord)
    assert metric.geographic_levels == ("county", "city")
    assert metric.years == (2021, 2022)
    strategy = corpus.by_id["strategy/housing-choice-vouchers"].record
    assert isinstance(strategy, StrategyRecord)
    assert strategy.evidence_strength == "strong"
    assert strategy.actors == ("housing-authorities", "federal-government")


def test_content_hash_changes_with_any_file(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "c"
    shutil.copytree(DATA / "mini", corpus_dir)
    before = load_corpus(corpus_dir).content_hash
    guide = corpus_dir / "guide" / "step-1-learn-the-approach.md"
    guide.write_text(guide.read_text() + "\nOne more line.\n")
    assert load_corpus(corpus_dir).content_hash != before


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_each_bad_input_is_a_corpus_error_naming_file_line_and_field(
    case: dict[str, str], tmp_path: Path
) -> None:
    corpus_dir = tmp_path / "c"
    shutil.copytree(DATA / "mini", corpus_dir)
    target = corpus_dir / case["target"]
    shutil.copyfile(DATA / "bad" / f"{case['case']}.md", target)
    with pytest.raises(CorpusError) as caught:
        load_corpus(corpus_dir)
    assert str(caught.value).startswith(case["error"])


def test_file_outside_type_folders_is_an_error(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "c"
    shutil.copytree(DATA / "mini", corpus_dir)
    (corpus_dir / "misc").mkdir()
    shutil.copyfile(DATA / "bad" / "wrong-folder.md", corpus_dir / "misc" / "digital-access.md")
    with pytest.raises(
        CorpusError, match=r"^misc/digital-access.md:1: field \"id\": is not in a type folder"
    ):
        load_corpus(corpus_dir)


def test_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "c"
    shutil.copytree(DATA / "mini", corpus_dir)
    (corpus_dir / "glossary" / "latin1.md").write_bytes(b"---\nid: term/caf\xe9\n---\n")
    with pytest.raises(CorpusError, match=r"^glossary/latin1.md: is not UTF-8 text"):
        load_corpus(corpus_dir)


def test_missing_ontology_is_an_error(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "c"
    shutil.copytree(DATA / "mini", corpus_dir, symlinks=True)
    (corpus_dir / "ontology").unlink()
    with pytest.raises(CorpusError, match=r"ontology/umf.ttl: is missing"):
        load_corpus(corpus_dir)
