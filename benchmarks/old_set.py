"""Today's hybrid search on an earlier evaluation set, like for like.

Issue 11 asks that retrieval be no worse than when it was filed, when the set had 70 questions
and the corpus had no methodology documents. This script scores the shipped ranking on the
questions and relevant entities of ``tests/eval/questions.jsonl`` as a git revision had them,
and again with the entities of the given kinds taken out of every ranking (the corpus as it
was then, as nearly as one build can show it).

    .venv/bin/python benchmarks/old_set.py --data-dir DIR --revision b4258fb --without methodology
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.evaluate import Question, evaluate

ROOT = Path(__file__).resolve().parents[1]
SET = "tests/eval/questions.jsonl"


def questions_at(revision: str) -> list[Question]:
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:{SET}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [Question(row["question"], frozenset(row["relevant"])) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--revision", default="b4258fb", help="git revision of the old set")
    parser.add_argument("--without", nargs="*", default=["methodology"], help="entity kinds")
    args = parser.parse_args()
    print(f"$ {shlex.join([Path(sys.executable).name, *sys.argv])}")
    old = questions_at(args.revision)
    today = {
        q["question"]: frozenset(q["relevant"])
        for q in map(json.loads, (ROOT / SET).read_text().splitlines())
    }
    current = [Question(q.question, today.get(q.question, q.relevant)) for q in old]
    engine = SearchEngine.open(args.data_dir)
    kinds = tuple(f"{kind}/" for kind in args.without)

    def shipped(question: str) -> list[str]:
        return [hit.id for hit in engine.search(question, 10, SearchMode.HYBRID).results]

    # The kinds left out of every step (dense, BM25, the graph's additions), as a filter is.
    kept = np.array([not entity.startswith(kinds) for entity in engine._entity_of])

    def without(question: str) -> list[str]:
        engine._allowed = lambda filters: kept  # type: ignore[method-assign]
        try:
            return shipped(question)
        finally:
            del engine._allowed

    print(f"{len(old)} questions of {SET} at {args.revision}")
    print()
    print("| relevant entities | ranking | R@1 | R@5 | R@10 | MRR@10 | nDCG@10 |")
    print("|---|---|---|---|---|---|---|")
    runs = (
        ("today's", "shipped", current, shipped),
        (f"at {args.revision}", "shipped", old, shipped),
        (f"at {args.revision}", f"without {', '.join(args.without)}", old, without),
    )
    for relevant, ranking, questions, rank in runs:
        report = evaluate("hybrid", questions, rank)
        recall = report.recall
        print(
            f"| {relevant} | {ranking} | {recall['recall@1']:.3f} | {recall['recall@5']:.3f} | "
            f"{recall['recall@10']:.3f} | {report.mrr_at_10:.3f} | {report.ndcg_at_10:.3f} |"
        )
    engine.close()


if __name__ == "__main__":
    main()
