"""Ranking choices measured on the development half of the evaluation set (never the test half).

Opens a build once and scores hybrid search on the questions of one split with each setting
of :class:`~mobility_kg.search.ranking.RankingParams`: first each idea alone against the
settings of the previous release (every new knob off), then a grid of fusion depth and weights
around the shipped defaults. Prints nDCG@10, recall@5, MRR@10 and recall@1 per setting.

    .venv/bin/python benchmarks/rank_grid.py --data-dir DIR            # dev half
    .venv/bin/python benchmarks/rank_grid.py --data-dir DIR --grid     # and the fusion grid
"""

from __future__ import annotations

import argparse
import itertools
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.evaluate import Question, evaluate, read_questions
from mobility_kg.search.ranking import RankingParams

ROOT = Path(__file__).resolve().parents[1]
# The previous release's ranking: plain RRF (k 60, equal weights, depth 30), best chunk only,
# no propagation, labels, action or measure cue; list questions lifted by one vote.
BEFORE = RankingParams(
    rrf_k=60,
    dense_weight=1.0,
    lexical_weight=1.0,
    depth=30,
    chunk_decay=0.0,
    title_weight=0.0,
    graph_weight=0.0,
    about_weight=0.0,
    label_weight=0.0,
    action_weight=0.0,
    measure_weight=0.0,
    list_weight=1.0,
    learned=False,
)


def figures(questions: Sequence[Question], rank: Callable[[str], list[str]]) -> str:
    """nDCG@10 | R@5 | MRR@10 | R@1 of ``rank`` over ``questions``, as a table row's cells."""
    report = evaluate("hybrid", questions, rank)
    return (
        f"{report.ndcg_at_10:.3f} | {report.recall['recall@5']:.3f} | "
        f"{report.mrr_at_10:.3f} | {report.recall['recall@1']:.3f}"
    )


def measure(engine: SearchEngine, questions: Sequence[Question], params: RankingParams) -> str:
    engine.params = params

    def rank(question: str) -> list[str]:
        return [hit.id for hit in engine.search(question, 10, SearchMode.HYBRID).results]

    return figures(questions, rank)


def split_questions(
    description: str | None, extra: Callable[[argparse.ArgumentParser], None] | None = None
) -> tuple[argparse.Namespace, list[Question]]:
    """The command line (``--data-dir``, ``--questions``, ``--split``, and ``extra``'s
    options), echoed, and the questions of the split it asks for (dev by default)."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument(
        "--questions", type=Path, default=ROOT / "tests" / "eval" / "questions.jsonl"
    )
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    if extra is not None:
        extra(parser)
    args = parser.parse_args()
    print(f"$ {shlex.join([Path(sys.executable).name, *sys.argv])}")
    questions = [q for q in read_questions(args.questions) if args.split in ("all", q.split)]
    return args, questions


def main() -> None:
    def grid_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--grid", action="store_true", help="also the fusion grid")

    args, questions = split_questions(__doc__, grid_option)
    engine = SearchEngine.open(args.data_dir)
    shipped = RankingParams()
    print(f"{len(questions)} questions (split {args.split}); shipped defaults: {shipped}")
    print()
    print("| setting | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|")
    ideas: list[tuple[str, RankingParams]] = [
        ("before (RRF k 60, depth 30, best chunk)", BEFORE),
        ("shipped defaults", shipped),
        ("shipped, the learned last step off", replace(shipped, learned=False)),
    ]
    knobs: dict[str, tuple[float, ...]] = {
        "chunk_decay": (0.0, 0.1, 0.25, 0.5),
        "title_weight": (0.0, 0.1, 0.25, 0.5, 1.0),
        "graph_weight": (0.0, 0.05, 0.1, 0.2, 0.5),
        "graph_hits": (1, 3, 5, 10),
        "about_weight": (0.0, 0.03, 0.05, 0.07, 0.1, 0.15),
        "about_hits": (1, 3, 5, 10),
        "label_weight": (0.0, 0.5, 1.0, 2.0),
        "action_weight": (0.0, 0.25, 0.5, 1.0, 2.0),
        "measure_weight": (0.0, 0.25, 0.5, 1.0, 2.0),
        "list_weight": (0.0, 1.0, 2.0, 3.0),
        "anchor_share": (0.5, 0.75, 1.0),
    }
    for name, values in knobs.items():
        for value in values:
            ideas.append((f"shipped, {name} {value:g}", replace(shipped, **{name: value})))
    for name, params in ideas:
        print(f"| {name} | {measure(engine, questions, params)} |")
    if not args.grid:
        return
    print()
    print("| rrf_k | depth | dense weight | lexical weight | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|---|---|---|")
    for rrf_k, depth, dense in itertools.product((10, 30, 60, 100), (30, 50, 100), (0.7, 1.0, 1.3)):
        params = replace(shipped, rrf_k=rrf_k, depth=depth, dense_weight=dense)
        print(f"| {rrf_k} | {depth} | {dense} | 1.0 | {measure(engine, questions, params)} |")
    engine.close()


if __name__ == "__main__":
    main()
