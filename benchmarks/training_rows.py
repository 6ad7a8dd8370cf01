"""Would the learned step gain from more training questions? Two ways to ask it, on the dev half.

- *Learning curve*: five folds within dev (seeds 0 / 1 / 2, as `train_ranker.py --folds 5`),
  each fold's model trained on a random share of the other folds' questions (25%, 50%, 100%:
  about 18, 36 and 73 questions). If the figures still climb at 100%, more dev questions would
  help; if they level off, the linear model has learnt what these signals can tell it.
- *Known questions as rows*: the same folds, with every known question
  (`search/known_questions.jsonl`) added to the training rows at a weight (a dev question's
  rows weigh 1). A known question's own signals are computed with the known questions within
  cosine 0.8 of it left out of the engine's known-question index, as the evaluation questions
  are kept that far from them; otherwise it would find itself.

- *Other questions as rows* (``--extra FILE``): the same folds, with every question of FILE
  (say the fresh set, ``tests/eval/fresh.jsonl``) added to the training rows at weight 1. It
  tells whether more questions written like the evaluation set would help; the dev half is
  still the only one scored, and FILE's questions are never scored.

Only the dev half is scored.

    .venv/bin/python benchmarks/training_rows.py --data-dir DIR [--extra FILE]
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from numpy.typing import NDArray
from rank_grid import split_questions
from sklearn.linear_model import LogisticRegression
from train_ranker import CANDIDATES, first_ten, three_fold_splits

from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.evaluate import Question, read_questions
from mobility_kg.search.ranking import RankingParams

Table = NDArray[np.float64]
Labels = NDArray[np.bool_]
SHARES = (0.25, 0.5, 1.0)
KNOWN_WEIGHTS = (0.1, 0.25, 1.0)
PARAPHRASE = 0.8  # known questions this close to the one being read are left out of the index


def known_rows(engine: SearchEngine, kinds: list[str]) -> tuple[list[Table], list[Labels]]:
    """Each known question's candidate table and labels, read with its near neighbours (and
    itself) left out of the known-question index."""
    known, vectors = engine.known
    shipped = engine.known_questions
    similar = vectors @ vectors.T
    tables, labels = [], []
    try:
        for row, question in enumerate(known):
            kept = np.flatnonzero(similar[row] < PARAPHRASE)
            others = [known[i] for i in kept]
            engine.known_questions = engine.index_known_questions(others, vectors[kept])
            ids, table = engine.learning_table(question.question, kinds, CANDIDATES)
            tables.append(table)
            labels.append(np.array([entity in question.relevant for entity in ids]))
    finally:
        engine.known_questions = shipped
    return tables, labels


def fit_weighted(
    tables: Sequence[Table], labels: Sequence[Labels], weights: Sequence[float]
) -> Table:
    """The logistic regression of `train_ranker.fit` (C 1), each question's rows weighted."""
    sample = np.concatenate([np.full(len(t), w) for t, w in zip(tables, weights, strict=True)])
    model = LogisticRegression(C=1.0, max_iter=5000)
    model.fit(np.vstack(tables), np.concatenate(labels), sample_weight=sample)
    return model.coef_[0].astype(np.float64)


def question_rows(
    engine: SearchEngine, questions: Sequence[Question], kinds: list[str]
) -> tuple[list[list[str]], list[Table], list[Labels]]:
    """Each question's candidates, their table and which of them are relevant."""
    ids, tables, labels = [], [], []
    for question in questions:
        found, table = engine.learning_table(question.question, kinds, CANDIDATES)
        ids.append(found)
        tables.append(table)
        labels.append(np.array([entity in question.relevant for entity in found]))
    return ids, tables, labels


HEADER = (
    "| training rows of each fold's model | nDCG@10 | R@5 | MRR@10 | R@1 |\n|---|---|---|---|---|"
)
Rows = tuple[list[Table], list[Labels]]


def main() -> None:
    def extra_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--extra", type=Path, help="questions to add to every fold's training rows"
        )

    args, questions = split_questions(__doc__, extra_option)
    questions = [q for q in questions if q.split == "dev"]
    engine = SearchEngine.open(args.data_dir, params=replace(RankingParams(), learned=False))
    kinds = sorted({card.type for card in engine.catalog.cards.values()})
    ids, tables, labels = question_rows(engine, questions, kinds)
    extra = read_questions(args.extra) if args.extra is not None else []
    if extra:
        _, extra_tables, extra_labels = question_rows(engine, extra, kinds)
        added: Rows = (extra_tables, extra_labels)
    else:
        added = known_rows(engine, kinds)
    engine.close()

    def folds(share: float, weight: float) -> str:
        """Five folds; each fold's model also learns from the added rows at ``weight``."""
        rng = np.random.default_rng(7)
        added_tables, added_labels = added if weight else ([], [])

        def rank_fold(seen: list[int], held: list[int]) -> dict[str, list[str]]:
            if share < 1.0:
                seen = sorted(rng.choice(seen, size=round(share * len(seen)), replace=False))
            rows = [tables[i] for i in seen] + added_tables
            marks = [labels[i] for i in seen] + added_labels
            coef = fit_weighted(rows, marks, [1.0] * len(seen) + [weight] * len(added_tables))
            return {questions[i].question: first_ten(ids[i], tables[i] @ coef) for i in held}

        return three_fold_splits(questions, rank_fold)

    if extra:
        for name, asked in (("dev", questions), (args.extra.name, extra)):
            wanted = [len(q.relevant) for q in asked]
            print(f"{name}: {len(asked)} questions, {np.mean(wanted):.2f} relevant entities "
                  f"on average, {wanted.count(1)} want one")  # fmt: skip
        print()
        print(HEADER)
        print(f"| the other folds' dev questions | {folds(1.0, 0.0)} |")
        print(f"| the other folds, and the {len(extra)} questions of {args.extra.name} | "
              f"{folds(1.0, 1.0)} |")  # fmt: skip
        return
    print(f"{len(questions)} dev questions; {len(added[0])} known questions")
    print()
    print(HEADER)
    for share in SHARES:
        print(f"| {share:.0%} of the other folds' dev questions | {folds(share, 0.0)} |")
    for weight in KNOWN_WEIGHTS:
        print(f"| the other folds, and the known questions at weight {weight:g} | "
              f"{folds(1.0, weight)} |")  # fmt: skip


if __name__ == "__main__":
    main()
