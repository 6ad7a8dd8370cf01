"""Train the learned last step of hybrid ranking on the development half; write its weights.

For every dev question, the first 30 candidates of hybrid search (fused and re-ranked with
the graph, the learned step off) and their signals (``mobility_kg.search.learned``) become
rows, labelled by whether the candidate is one of the question's relevant entities. A
logistic regression (scikit-learn, inverse regularisation C) learns their weights, and the
model is written, with where it came from, to ``src/mobility_kg/search/ranker.json``, which
the engine reads. ``--objective pairwise`` learns from pairs instead, as RankNet does with a
linear scorer: the differences between a relevant and a non-relevant candidate of one
question, so that only the order within a question counts; Platt scaling then makes its
score a probability. The objective and C were chosen on the dev half alone (``--folds 5``,
docs/search-quality.md, "Ranking"); the test half is never read here.

    .venv/bin/python benchmarks/train_ranker.py --data-dir DIR [--c 1.0] [--check] [--folds 5]
        [--objective pointwise|pairwise]

``--check`` writes nothing and exits 1 when the weights it learns differ from the shipped
file's (by more than 1e-4), so a build of the shipped corpus reproduces them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import sklearn
from numpy.typing import NDArray
from rank_grid import ROOT, figures, measure, split_questions
from sklearn.linear_model import LogisticRegression

from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.evaluate import Question, read_questions
from mobility_kg.search.learned import LearnedRanker
from mobility_kg.search.ranking import RankingParams

CANDIDATES = 30
CHECK_TOLERANCE = 1e-4  # --check: the largest weight difference that is still the same model
SHIPPED = ROOT / "src" / "mobility_kg" / "search" / "ranker.json"


OBJECTIVES = ("pointwise", "pairwise")
PLACES = ROOT / "tests" / "eval" / "places.jsonl"


def fit(
    tables: Sequence[NDArray[np.float64]],
    labels: Sequence[NDArray[np.bool_]],
    c: float,
    objective: str = "pointwise",
) -> tuple[NDArray[np.float64], float]:
    """Weights and intercept of a linear model over the questions' feature tables
    (``labels``: which rows are relevant): a logistic regression on the rows (pointwise), or
    on the differences of a relevant and a non-relevant row of one question (pairwise,
    RankNet with a linear scorer), whose score Platt scaling then makes a probability."""
    if objective == "pointwise":
        model = LogisticRegression(C=c, max_iter=5000).fit(
            np.vstack(tables), np.concatenate(labels)
        )
        return model.coef_[0].astype(np.float64), float(model.intercept_[0])
    differences = [
        table[relevant][:, None, :] - table[~relevant][None, :, :]
        for table, relevant in zip(tables, labels, strict=True)
    ]
    pairs = np.vstack([d.reshape(-1, d.shape[-1]) for d in differences])
    if not len(pairs):
        sys.exit("no question has both a relevant and a non-relevant candidate")
    both = np.vstack([pairs, -pairs])
    order = np.r_[np.ones(len(pairs)), np.zeros(len(pairs))]
    weights = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(both, order).coef_[0]
    scores = np.concatenate([table @ weights for table in tables])[:, None]
    platt = LogisticRegression(max_iter=5000).fit(scores, np.concatenate(labels))
    slope = float(platt.coef_[0][0])
    if slope <= 0:
        sys.exit("the learned score does not rise with relevance: nothing to calibrate")
    return (weights * slope).astype(np.float64), float(platt.intercept_[0])


# How a fold's held-out questions are ranked: (seen, held) question indexes -> question ->
# its first ten entities, ranked by what was learnt from the seen ones.
FoldRanker = Callable[[list[int], list[int]], dict[str, list[str]]]
SEEDS = (0, 1, 2)


def three_fold_splits(questions: Sequence[Question], rank_fold: FoldRanker) -> str:
    """nDCG@10 | R@5 | MRR@10 | R@1 of five folds within ``questions`` for the fold splits of
    seeds 0, 1 and 2, each cell "seed 0 / seed 1 / seed 2", so that a gain that rests on how
    the questions fell into folds shows as such."""
    cells = []
    for seed in SEEDS:
        ranked: dict[str, list[str]] = {}
        order = np.random.default_rng(seed).permutation(len(questions))
        for held in np.array_split(order, 5):
            ranked.update(rank_fold(np.setdiff1d(order, held).tolist(), held.tolist()))
        cells.append(figures(questions, ranked.__getitem__).split(" | "))
    return " | ".join(" / ".join(c[k] for c in cells) for k in range(4))


def first_ten(ids: Sequence[str], scores: NDArray[np.float64]) -> list[str]:
    """The ten best of ``ids`` by ``scores`` (ties in their order)."""
    return [ids[j] for j in np.argsort(-scores, kind="stable")][:10]


def print_folds(
    questions: Sequence[Question],
    rankings: list[list[str]],
    tables: list[NDArray[np.float64]],
    labels: list[NDArray[np.bool_]],
    kinds: tuple[str, ...],
    args: argparse.Namespace,
) -> None:
    """nDCG@10 | R@5 | MRR@10 | R@1 of the candidates' order before the learned step and
    ordered by a model trained on the other folds; then the place questions' dev half,
    searched with a model trained on every dev question (it never sees a place question)."""
    c, folds, objective = args.c, args.folds, args.objective
    learned: dict[str, list[str]] = {}
    order = np.random.default_rng(0).permutation(len(questions))
    for held in np.array_split(order, folds):
        seen = np.setdiff1d(order, held).tolist()
        weights, _ = fit([tables[i] for i in seen], [labels[i] for i in seen], c, objective)
        for i in held.tolist():
            chance = tables[i] @ weights
            ranked = [rankings[i][j] for j in np.argsort(-chance, kind="stable")]
            learned[questions[i].question] = ranked[:10]
    before = {q.question: ids[:10] for q, ids in zip(questions, rankings, strict=True)}
    print("| ranking | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|")
    print(f"| before the learned step | {figures(questions, before.__getitem__)} |")
    print(f"| learned, {folds}-fold, C {c:g}, {objective} | "
          f"{figures(questions, learned.__getitem__)} |")  # fmt: skip
    weights, intercept = fit(tables, labels, c, objective)
    ranker = LearnedRanker(kinds, weights, intercept, {})
    engine = SearchEngine.open(args.data_dir, ranker=ranker)
    places = [q for q in read_questions(PLACES) if q.split == "dev"]
    print(f"| place questions (dev, {len(places)}), trained on all dev | "
          f"{measure(engine, places, engine.params)} |")  # fmt: skip
    engine.close()


def main() -> None:
    def options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation")
        parser.add_argument("--check", action="store_true", help="compare, write nothing")
        parser.add_argument("--objective", choices=OBJECTIVES, default="pointwise")
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
    labels: list[NDArray[np.bool_]] = []
    rankings: list[list[str]] = []
    for question in questions:
        ids, table = engine.learning_table(question.question, kinds, CANDIDATES)
        tables.append(table)
        rankings.append(ids)
        labels.append(np.array([entity in question.relevant for entity in ids], dtype=bool))
    if args.folds:
        print_folds(questions, rankings, tables, labels, tuple(kinds), args)
        return
    weights, intercept = fit(tables, labels, args.c, args.objective)
    source = args.questions.resolve()
    ranker = LearnedRanker(
        tuple(kinds),
        weights,
        intercept,
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
            "relevant_rows": int(sum(int(label.sum()) for label in labels)),
            "objective": args.objective,
            "c": args.c,
            "chunk_set": engine.manifest.search.get("chunk_set_hash", ""),
            "known_questions": engine.manifest.search.get("known_questions_hash", ""),
            "scikit_learn": sklearn.__version__,
        },
    )
    engine.close()
    if args.check:
        shipped = LearnedRanker.load(SHIPPED)
        # A fresh build's vectors differ from another machine's in their last bits (up to 2e-7),
        # and the cosines and their standardised forms are nearly collinear: the weights then
        # move by up to 2e-5. A changed question, signal or chunk moves them by far more.
        largest = (
            float(np.abs(shipped.weights - ranker.weights).max())
            if shipped.kinds == ranker.kinds
            else float("inf")
        )
        same = largest <= CHECK_TOLERANCE
        print(
            f"the shipped weights are reproduced (largest difference {largest:.1e})"
            if same
            else f"the shipped weights differ (largest difference {largest:.1e})"
        )
        sys.exit(0 if same else 1)
    SHIPPED.write_text(ranker.to_json(), encoding="utf-8")
    print(f"wrote {SHIPPED.relative_to(ROOT)}: {len(ranker.weights)} weights")
    for name, weight in zip(ranker.columns, ranker.weights, strict=True):
        print(f"  {name:<24} {weight:+.4f}")


if __name__ == "__main__":
    main()
