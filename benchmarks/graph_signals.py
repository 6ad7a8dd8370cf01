"""Ways of reading the graph around a candidate, as one signal of the learned last step.

The shipped signal ``anchor_links`` counts a candidate's core neighbours among the first five
candidates. This script puts each other reading in its column (or none) and scores the
learned step five-fold within the dev half, for three splits of the folds (seeds 0, 1, 2),
so that a gain that rests on how the questions fell into folds shows as such:

- core neighbours among the first 10 / 20 / 30 candidates;
- the best rank (1 / (rank + 1)) or the best chunk cosine of a core neighbour among them;
- the rank of its twin (a predictor's evidence page, an evidence page's predictor);
- its other ``about`` links among the first 10;
- the share of the first five that are of its kind.

    .venv/bin/python benchmarks/graph_signals.py --data-dir DIR
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from numpy.typing import NDArray
from rank_grid import split_questions
from train_ranker import CANDIDATES, first_ten, fit, three_fold_splits

from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.learned import SIGNALS
from mobility_kg.search.ranking import RankingParams

Links = Mapping[str, frozenset[str]]
# A reading: (candidate ids, their feature table, core links, other links) -> one value each.
Reading = Callable[[list[str], NDArray[np.float64], Links, Links], list[float]]
ANCHOR = SIGNALS.index("anchor_links")
INVERSE_RANK = SIGNALS.index("inverse_rank")
BEST_COSINE = SIGNALS.index("best_cosine")
TWINS = {"predictor": "evidence", "evidence": "predictor"}


def among_first(depth: int, core: bool = True) -> Reading:
    def read(ids: list[str], _: NDArray[np.float64], links: Links, others: Links) -> list[float]:
        first = set(ids[:depth])
        chosen = links if core else others
        return [float(np.log1p(len(chosen.get(e, frozenset()) & first))) for e in ids]

    return read


def best_neighbour(column: int) -> Reading:
    def read(ids: list[str], table: NDArray[np.float64], links: Links, _: Links) -> list[float]:
        place = {e: i for i, e in enumerate(ids)}
        return [
            max((table[place[n], column] for n in links.get(e, ()) if n in place), default=0.0)
            for e in ids
        ]

    return read


def twin_rank(ids: list[str], table: NDArray[np.float64], _: Links, __: Links) -> list[float]:
    place = {e: i for i, e in enumerate(ids)}
    values = []
    for entity in ids:
        kind, _slash, name = entity.partition("/")
        twin = f"{TWINS[kind]}/{name}" if kind in TWINS else ""
        values.append(table[place[twin], INVERSE_RANK] if twin in place else 0.0)
    return values


def kind_share(ids: list[str], _: NDArray[np.float64], __: Links, ___: Links) -> list[float]:
    kinds = [e.partition("/")[0] for e in ids]
    return [
        sum(1 for j, k in enumerate(kinds[:5]) if k == kinds[i] and j != i) / 5
        for i in range(len(ids))
    ]


READINGS: Sequence[tuple[str, Reading | None]] = (
    ("none", None),
    ("core neighbours among the first 5 (shipped)", among_first(5)),
    ("core neighbours among the first 10", among_first(10)),
    ("core neighbours among the first 20", among_first(20)),
    ("core neighbours among the first 30", among_first(30)),
    ("best rank of a core neighbour", best_neighbour(INVERSE_RANK)),
    ("best cosine of a core neighbour", best_neighbour(BEST_COSINE)),
    ("rank of its twin (predictor / evidence)", twin_rank),
    ("other about links among the first 10", among_first(10, core=False)),
    ("share of the first 5 of its kind", kind_share),
)


def main() -> None:
    args, questions = split_questions(__doc__)
    engine = SearchEngine.open(args.data_dir, params=replace(RankingParams(), learned=False))
    kinds = sorted({card.type for card in engine.catalog.cards.values()})
    links, others = engine._graph.neighbours, engine._graph.others
    rows = [engine.learning_table(q.question, kinds, CANDIDATES) for q in questions]
    labels = [
        np.array([e in q.relevant for e in ids])
        for q, (ids, _) in zip(questions, rows, strict=True)
    ]
    engine.close()
    print(f"{len(questions)} questions (split {args.split}); five folds, seeds 0 / 1 / 2")
    print()
    print("| reading in the anchor_links column | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|")
    for name, reading in READINGS:
        tables = [
            np.delete(table, ANCHOR, axis=1)
            if reading is None
            else np.column_stack(
                [table[:, :ANCHOR], reading(ids, table, links, others), table[:, ANCHOR + 1 :]]
            )
            for ids, table in rows
        ]

        def rank_fold(
            seen: list[int], held: list[int], tables: list[NDArray[np.float64]] = tables
        ) -> dict[str, list[str]]:
            weights, _ = fit([tables[i] for i in seen], [labels[i] for i in seen], 1.0)
            return {questions[i].question: first_ten(rows[i][0], tables[i] @ weights) for i in held}

        print(f"| {name} | {three_fold_splits(questions, rank_fold)} |")


if __name__ == "__main__":
    main()
