"""The place questions (tests/eval/places.jsonl, issue 10): well-formed, their facts read
from the shipped CSV files by tests/eval/place_facts.py, and `ask` stating them (slow: the
shipped corpus with its data, built in full)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mobility_kg.build import load_built_graph
from mobility_kg.config import Settings
from mobility_kg.graph.inspect import entity_ids
from mobility_kg.search.evaluate import read_questions

EVAL = Path(__file__).resolve().parents[1] / "eval"
PLACES = EVAL / "places.jsonl"

pytestmark = pytest.mark.slow


def test_place_questions_are_well_formed() -> None:
    rows = [json.loads(line) for line in PLACES.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 20
    assert {row["class"] for row in rows} == {"place"}
    assert [row["split"] for row in rows] == ["dev", "test"] * (len(rows) // 2) + ["dev"] * (
        len(rows) % 2
    )
    assert all(row["facts"] and any(r.startswith("place/") or r.startswith("metric/")
                                    for r in row["relevant"]) for row in rows)  # fmt: skip


def test_facts_are_those_the_script_reads_from_the_csv_files() -> None:
    done = subprocess.run(
        [sys.executable, str(EVAL / "place_facts.py")], capture_output=True, text=True, check=True
    )
    assert done.stdout == PLACES.read_text(encoding="utf-8")


def test_ask_states_the_facts_of_the_place_questions(shipped_settings: Settings) -> None:
    known = set(entity_ids(load_built_graph(shipped_settings.data_dir).graph))
    assert sorted({r for q in read_questions(PLACES) for r in q.relevant} - known) == []
    done = subprocess.run(
        [sys.executable, "-m", "mobility_kg", "eval", str(PLACES), "--answers", str(PLACES),
         "--mode", "hybrid", "--json", "--data-dir", str(shipped_settings.data_dir)],
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert report["answers"]["fact_recall"] >= 0.9, report["answers"]["facts_missed"]
    assert report["answers"]["retrieval_questions_abstained"] == []
    [hybrid] = report["modes"]
    assert hybrid["recall"]["recall@10"] >= 0.85, hybrid["missed"]
