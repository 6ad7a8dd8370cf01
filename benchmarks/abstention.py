"""Where `ask`'s abstention threshold falls between the questions it must answer and those it
must not: for every question, the cosine between it and the best sentence `ask` could answer
with (the one `ABSTAIN_BELOW` is compared with). Prints the off-topic questions' highest
values and the answerable questions' lowest ones, on either side of the threshold.

    .venv/bin/python benchmarks/abstention.py --data-dir DIR [--show 6]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from mobility_kg.search.answer import ABSTAIN_BELOW, TOP_HITS, candidate_sentences
from mobility_kg.search.engine import SearchEngine, SearchMode

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "eval"


def best_sentence(engine: SearchEngine, question: str) -> float:
    response = engine.search(question, TOP_HITS, SearchMode.HYBRID)
    vector = engine.embed_query(response.query)[0]
    _, indexes = candidate_sentences(engine, response.results, vector)
    return float((engine.sentence_vectors[indexes] @ vector).max()) if indexes else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--show", type=int, default=6)
    args = parser.parse_args()
    engine = SearchEngine.open(args.data_dir)
    rows = [json.loads(line) for line in (EVAL / "answers.jsonl").read_text().splitlines() if line]
    off_topic = [r["question"] for r in rows if r.get("abstain")]
    answerable = [r["question"] for r in rows if not r.get("abstain")] + [
        json.loads(line)["question"]
        for line in (EVAL / "questions.jsonl").read_text().splitlines()
        if line.strip()
    ]
    print(f"threshold (ABSTAIN_BELOW): {ABSTAIN_BELOW}")
    for name, questions, highest in (
        (f"off-topic ({len(off_topic)}), highest first", off_topic, True),
        (f"answerable ({len(answerable)}), lowest first", answerable, False),
    ):
        scored = sorted(((best_sentence(engine, q), q) for q in questions), reverse=highest)
        print(f"\n{name}:")
        for score, question in scored[: args.show]:
            side = "answered" if score >= ABSTAIN_BELOW else "abstained"
            print(f"  {score:.3f}  {side:<9}  {question}")
    engine.close()


if __name__ == "__main__":
    main()
