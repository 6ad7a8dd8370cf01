"""BM25 scores computed from the saved arrays equal bm25s's own."""

import json
from pathlib import Path

import bm25s
import numpy as np
import pytest
import Stemmer

from mobility_kg.search.lexical import LexicalIndex

TEXTS = [
    "Evicted workers are more likely to be laid off afterwards.",
    "Legal help in housing court and rental vouchers keep families housed.",
    "A forced move can cost a worker a job and a child a school year.",
    "Preschool enrollment of three- and four-year-olds, by county.",
    "The the the and of: stop words only.",
]
QUERIES = [
    "eviction and job loss",
    "housing vouchers for families, housing court",
    "preschool preschool",  # a repeated word counts twice
    "the and of",  # nothing but stop words
    "zebra quantum",  # nothing known
    "Workers' JOBS after an eviction",
]


@pytest.fixture(scope="module")
def reference() -> bm25s.BM25:
    model = bm25s.BM25()
    model.index(
        bm25s.tokenize(
            TEXTS, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False
        ),
        show_progress=False,
    )
    return model


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_bm25s_after_a_save_and_load(
    reference: bm25s.BM25, query: str, tmp_path: Path
) -> None:
    LexicalIndex.build(TEXTS).save(tmp_path / "bm25")
    index = LexicalIndex.load(tmp_path / "bm25")
    tokens = bm25s.tokenize(
        [query],
        stopwords="en",
        stemmer=Stemmer.Stemmer("english"),
        return_ids=False,
        show_progress=False,
    )[0]
    known = [t for t in tokens if t in reference.vocab_dict]
    expected = reference.get_scores(known) if known else np.zeros(len(TEXTS))
    assert np.allclose(index.scores(query), expected, atol=1e-6)


def test_other_k1_and_b_score_as_bm25s_does_with_them(tmp_path: Path) -> None:
    """The benchmark's BM25 variants (benchmarks/rank_alternatives.py) are bm25s's own."""
    model = bm25s.BM25(k1=0.9, b=0.4)
    model.index(
        bm25s.tokenize(
            TEXTS, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False
        ),
        show_progress=False,
    )
    LexicalIndex.build(TEXTS, k1=0.9, b=0.4).save(tmp_path / "bm25")
    index = LexicalIndex.load(tmp_path / "bm25")
    shipped = LexicalIndex.build(TEXTS)
    query = "housing vouchers for families, housing court"
    known = [t for t in index.terms(query) if t in model.vocab_dict]
    assert np.allclose(index.scores(query), model.get_scores(known), atol=1e-6)
    assert not np.allclose(index.scores(query), shipped.scores(query))
    assert json.loads((tmp_path / "bm25" / "index.json").read_text())["params"]["k1"] == 0.9
