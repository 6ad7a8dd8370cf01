"""Today's ranking code against an older revision's, on that revision's corpus and questions.

`old_set.py` scores today's build on an old revision's questions; the corpus has grown since,
so its figures mix two changes. This script holds the corpus still: it takes the corpus, the
questions and the package source of REVISION (``git archive`` into a temporary folder),
builds that corpus twice, once with the old package and once with today's, and scores both on
the old questions. It prints each one's figures, and the questions whose first hit became
relevant or stopped being relevant, with how many relevant entities each has (recall@1 counts
a first place as 1 / that number, so a first place gained on a question with four relevant
entities weighs a quarter of one lost on a question with one).

    nice .venv/bin/python benchmarks/old_code.py [--revision b4258fb]

Takes about four minutes on 2 cores (two builds without the metric data, each embedding
every chunk).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a child with the package to score on PYTHONPATH: build, then the first 10 hits of
# each question and the evaluation's figures, as JSON on stdout.
CHILD = """
import json, sys
from pathlib import Path
from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.evaluate import evaluate, read_questions
corpus, data_dir, questions = map(Path, sys.argv[1:4])
build(Settings(corpus_dir=corpus, data_dir=data_dir))
engine = SearchEngine.open(data_dir)
asked = read_questions(questions)
hits = {q.question: [h.id for h in engine.search(q.question, 10, SearchMode.HYBRID).results]
        for q in asked}
report = evaluate("hybrid", asked, lambda text: hits[text])
print(json.dumps({"hits": hits, "figures": [report.recall["recall@1"], report.recall["recall@5"],
                  report.recall["recall@10"], report.mrr_at_10, report.ndcg_at_10]}))
"""


def run(source: Path, corpus: Path, data_dir: Path, questions: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(source), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus), str(data_dir), str(questions)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--revision", default="b4258fb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="old-code-") as temp:
        old = Path(temp) / "old"
        archive = subprocess.run(
            ["git", "archive", args.revision, "src", "corpus", "tests/eval/questions.jsonl"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(old, filter="data")
        questions = old / "tests" / "eval" / "questions.jsonl"
        relevant = {
            (line := json.loads(text))["question"]: set(line["relevant"])
            for text in questions.read_text().splitlines()
            if text.strip()
        }
        results = {
            name: run(source, old / "corpus", Path(temp) / f"data-{name}", questions)
            for name, source in (("old", old / "src"), ("today", ROOT / "src"))
        }
    print(f"{len(relevant)} questions and the corpus of {args.revision}")
    print()
    print("| ranking code | R@1 | R@5 | R@10 | MRR@10 | nDCG@10 |")
    print("|---|---|---|---|---|---|")
    for name, result in results.items():
        cells = " | ".join(f"{value:.3f}" for value in result["figures"])  # type: ignore[attr-defined]
        print(f"| {name if name == 'today' else args.revision} | {cells} |")
    first = {
        name: {q: (hits[:1] or [""])[0] in relevant[q] for q, hits in result["hits"].items()}  # type: ignore[attr-defined]
        for name, result in results.items()
    }
    gained = [q for q in relevant if first["today"][q] and not first["old"][q]]
    lost = [q for q in relevant if first["old"][q] and not first["today"][q]]
    print()
    print(
        f"questions whose first hit is relevant: {sum(first['old'].values())} with the code of "
        f"{args.revision}, {sum(first['today'].values())} with today's"
    )
    print(f"gained by today's code ({len(gained)}), relevant entities: "
          f"{sorted(len(relevant[q]) for q in gained)}")  # fmt: skip
    print(f"lost by today's code ({len(lost)}), relevant entities: "
          f"{sorted(len(relevant[q]) for q in lost)}")  # fmt: skip
    # Today's split of each question (the old set had none): only dev questions are shown,
    # since looking at a test question's hits would be tuning on it.
    split = {
        (line := json.loads(text))["question"]: line.get("split", "")
        for text in (ROOT / "tests" / "eval" / "questions.jsonl").read_text().splitlines()
        if text.strip()
    }
    for name, changed in (("gained", gained), ("lost", lost)):
        halves = [split.get(q, "") for q in changed]
        print(f"{name}: {halves.count('dev')} dev, {halves.count('test')} test")
        for question in (q for q in changed if split.get(q) == "dev"):
            today, before = (
                results["today"]["hits"][question][:3],
                results["old"]["hits"][question][:3],
            )  # type: ignore[index]
            print(f"  dev: {question}\n    relevant {sorted(relevant[question])}"
                  f"\n    today {today}\n    {args.revision} {before}")  # fmt: skip


if __name__ == "__main__":
    main()
