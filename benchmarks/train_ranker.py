"""Train the learned last step of hybrid ranking on the development half; write its weights.

For every dev question, the first 30 candidates of hybrid search (fused and re-ranked with
the graph, the learned step off) and their signals (``mobility_kg.search.learned``) become
rows, labelled by whether the candidate is one of the question's relevant entities. A
logistic regression (scikit-learn, inverse regularisation C) learns their weights, and the
model is written, with where it came from, to ``src/mobility_kg/search/ranker.json``, which
the engine reads. C 1 was chosen on the dev half alone: five-fold within it,
``benchmarks/rank_alternatives.py --only "learned to rank"`` gives nDCG@10 0.828 / 0.830 /
0.835 for C 0.01 / 0.1 / 1. The test half is never read here.

    .venv/bin/python benchmarks/train_ranker.py --data-dir DIR [--c 1.0] [--check] [--folds 5]

``--check`` writes nothing and exits 1 when the weights it learns differ from the shipped
file's (by more than 1e-6), so a build of the shipped corpus reproduces them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import sklearn
from numpy.typing import NDArray
from rank_grid import ROOT, figures, split_questions
from sklearn.linear_model import LogisticRegression

from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.evaluate import Question
from mobility_kg.search.learned import LearnedRanker
from mobility_kg.search.ranking import RankingParams

CANDIDATES = 30
SHIPPED = ROOT / "src" / "mobility_kg" / "search" / "ranker.json"


def print_folds(
    questions: Sequence[Question],
    rankings: list[list[str]],
    tables: list[NDArray[np.float64]],
    labels: list[bool],
    c: float,
    folds: int,
) -> None:
    """nDCG@10 | R@5 | MRR@10 | R@1 of the candidates' order before the learned step and
    ordered by a model trained on the other folds."""
    starts = np.cumsum([0, *(len(t) for t in tables)])
    learned: dict[str, list[str]] = {}
    order = np.random.default_rng(0).permutation(len(questions))
    for held in np.array_split(order, folds):
        seen = np.setdiff1d(order, held)
        rows = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in seen])
        model = LogisticRegression(C=c, max_iter=5000).fit(
            np.vstack([tables[i] for i in seen]), np.asarray(labels)[rows]
        )
        for i in held.tolist():
            chance = model.decision_function(tables[i])
            ranked = [rankings[i][j] for j in np.argsort(-chance, kind="stable")]
            learned[questions[i].question] = ranked[:10]
    before = {q.question: ids[:10] for q, ids in zip(questions, rankings, strict=True)}
    print("| ranking | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|")
    print(f"| before the learned step | {figures(questions, before.__getitem__)} |")
    print(f"| learned, {folds}-fold, C {c:g} | {figures(questions, learned.__getitem__)} |")


def main() -> None:
    def options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation")
        parser.add_argument("--check", action="store_true", help="compare, write nothing")
        parser.add_argument(
            "--folds",
            type=int,
            default=0,
            help="only score k-fold within the dev half (each fold by a model trained on the "
            "others), against the order before the learned step; write nothing",
        )

    args, questions = split_questions(__doc__, options)
    if args.split != "dev":
        sys.exit("the ranker learns from the dev half only (--split dev)")
    engine = SearchEngine.open(args.data_dir, params=replace(RankingParams(), learned=False))
    kinds = sorted({card.type for card in engine.catalog.cards.values()})
    tables: list[NDArray[np.float64]] = []
    labels: list[bool] = []
    rankings: list[list[str]] = []
    for question in questions:
        ids, table = engine.learning_table(question.question, kinds, CANDIDATES)
        tables.append(table)
        rankings.append(ids)
        labels.extend(entity in question.relevant for entity in ids)
    if args.folds:
        print_folds(questions, rankings, tables, labels, args.c, args.folds)
        return
    model = LogisticRegression(C=args.c, max_iter=5000).fit(np.vstack(tables), labels)
    source = args.questions.resolve()
    ranker = LearnedRanker(
        tuple(kinds),
        model.coef_[0].astype(np.float64),
        float(model.intercept_[0]),
        {
            "trained_by": "benchmarks/train_ranker.py",
            "questions": source.relative_to(ROOT).as_posix()
            if source.is_relative_to(ROOT)
            else str(source),
            "questions_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            "split": "dev",
            "question_count": len(questions),
            "candidates_per_question": CANDIDATES,
            "rows": int(sum(len(t) for t in tables)),
            "relevant_rows": int(sum(labels)),
            "c": args.c,
            "chunk_set": engine.manifest.search.get("chunk_set_hash", ""),
            "scikit_learn": sklearn.__version__,
        },
    )
    engine.close()
    if args.check:
        shipped = LearnedRanker.load(SHIPPED)
        same = shipped.kinds == ranker.kinds and np.allclose(
            shipped.weights, ranker.weights, atol=1e-6
        )
        print("the shipped weights are reproduced" if same else "the shipped weights differ")
        sys.exit(0 if same else 1)
    SHIPPED.write_text(ranker.to_json(), encoding="utf-8")
    print(f"wrote {SHIPPED.relative_to(ROOT)}: {len(ranker.weights)} weights")
    for name, weight in zip(ranker.columns, ranker.weights, strict=True):
        print(f"  {name:<24} {weight:+.4f}")


if __name__ == "__main__":
    main()
