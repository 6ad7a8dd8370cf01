"""How far a better ordering of the shipped candidates could take the ranking.

Scores oracles that know each question's relevant entities, over the shipped hybrid search:

- *perfect re-ranking of the top N*: the relevant entities among the first N hits moved to the
  front, the rest in shipped order; what a flawless re-ranker (a cross-encoder, say) over N
  candidates could reach, and so the ceiling of any re-ranking of them;
- *the kinds asked for*: only hits of the kinds (predictor, metric, strategy...) that the
  relevant entities have, in shipped order, from the first 30 hits; what perfect knowledge of
  the kind of answer a question wants would give;
- *every relevant entity first*: the relevant entities alone, whether or not the search finds
  them: the most any ranking can reach. Recall@5 stays under 1 where a question has more than
  five relevant entities.

These read the relevant entities, so they measure, never tune: run them on either half.

    .venv/bin/python benchmarks/rank_ceilings.py --data-dir DIR [--split dev|test|all]
"""

from __future__ import annotations

import os
from collections.abc import Callable

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rank_grid import figures, split_questions

from mobility_kg.search.engine import SearchEngine, SearchMode


def kind(entity: str) -> str:
    return entity.split("/", 1)[0]


def main() -> None:
    args, questions = split_questions(__doc__)
    engine = SearchEngine.open(args.data_dir)
    relevant = {q.question: q.relevant for q in questions}
    hits = {
        q.question: [h.id for h in engine.search(q.question, 50, SearchMode.HYBRID).results]
        for q in questions
    }

    def perfect(depth: int) -> Callable[[str], list[str]]:
        def rank(text: str) -> list[str]:
            found = hits[text][:depth]
            wanted = relevant[text]
            return ([e for e in found if e in wanted] + [e for e in found if e not in wanted])[:10]

        return rank

    def kinds_asked(text: str) -> list[str]:
        wanted = {kind(e) for e in relevant[text]}
        return [e for e in hits[text][:30] if kind(e) in wanted][:10]

    print(f"{len(questions)} questions (split {args.split})")
    print()
    print("| ranking | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|")
    shipped = {
        q.question: [h.id for h in engine.search(q.question, 10, SearchMode.HYBRID).results]
        for q in questions
    }
    print(f"| shipped (10 hits) | {figures(questions, lambda t: shipped[t])} |")
    print(f"| shipped, the first 10 of 50 hits (fusion depth grows with k) | "
          f"{figures(questions, lambda t: hits[t][:10])} |")  # fmt: skip
    print(f"| only the kinds of entity asked for (oracle), from the top 30 | "
          f"{figures(questions, kinds_asked)} |")  # fmt: skip
    for depth in (10, 20, 30, 50):
        print(f"| perfect re-ranking of the top {depth} (oracle) | "
              f"{figures(questions, perfect(depth))} |")  # fmt: skip
    print(f"| every relevant entity first, found or not (oracle) | "
          f"{figures(questions, lambda t: sorted(relevant[t]))} |")  # fmt: skip
    engine.close()


if __name__ == "__main__":
    main()
