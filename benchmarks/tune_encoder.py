"""Would a domain-tuned encoder help? MiniLM with a LoRA adapter trained on separate questions.

The known questions (``src/mobility_kg/search/known_questions.jsonl``) were written apart from the
evaluation set: none is within cosine 0.8 of a dev or test question (by the packaged model).
Each is paired with the best chunk (by the packaged model's cosine) of each of its relevant
entities, and the packaged all-MiniLM-L6-v2 learns from the pairs with in-batch negatives
(multiple negatives ranking loss, AdamW, batch 16, seed 0) through a LoRA adapter (``peft``):
every attention and feed-forward weight matrix W of the six layers gains ``alpha / r * B @ A``
of rank r, and only A and B learn. The dev and test halves are never trained on.

The shipped corpus is then built again into a temporary folder with the tuned model (chunks,
sentences, BM25, graph: the whole build), and both builds, the one in ``--data-dir`` (the
packaged model) and the tuned one, are scored the same way on the dev half: dense alone,
hybrid before the learned last step, and the learned step five-fold within dev (fold splits
of seeds 0, 1, 2), each fold trained on the other folds' questions over that build's own
signals. ``--held-out`` adds the test half, each build's learned step trained on all dev
questions: run it only for a setting chosen on dev.

Needs the ``tune`` extra (``pip install -e ".[tune]"``: peft). About six minutes on two cores.

    .venv/bin/python benchmarks/tune_encoder.py --data-dir DIR [--rank 4] [--alpha 8]
        [--lr 3e-4] [--epochs 1] [--held-out]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import torch
from fine_tune import ModelEmbedder, learn, packaged
from numpy.typing import NDArray
from peft import LoraConfig, get_peft_model
from rank_grid import ROOT, figures, split_questions
from sentence_transformers import SentenceTransformer
from train_ranker import CANDIDATES, first_ten, fit, three_fold_splits

from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.evaluate import Question, read_questions
from mobility_kg.search.ranking import RankingParams

TRAINING = ROOT / "src" / "mobility_kg" / "search" / "known_questions.jsonl"
# Every weight matrix of the attention (query, key, value, its output) and the feed-forward
# block (intermediate, output) of each layer; "output.dense" names both outputs.
MODULES = ["query", "key", "value", "intermediate.dense", "output.dense"]
Pair = tuple[str, str]
Table = NDArray[np.float64]


def training_pairs(engine: SearchEngine, questions: Sequence[Question]) -> list[Pair]:
    """Each question with the best chunk of each of its relevant entities, both embedded by
    the packaged model."""
    base = ModelEmbedder(packaged())
    chunk_vectors = base.encode([chunk.text for chunk in engine.chunks])
    question_vectors = base.encode([q.question for q in questions])
    pairs: list[Pair] = []
    for question, vector in zip(questions, question_vectors, strict=True):
        for entity in sorted(question.relevant):
            rows = engine.rows_of(entity)
            if rows:
                best = max(rows, key=lambda row: float(chunk_vectors[row] @ vector))
                pairs.append((question.question, engine.chunks[best].text))
    return pairs


def tune(pairs: list[Pair], args: argparse.Namespace) -> SentenceTransformer:
    """The packaged model with a LoRA adapter trained on ``pairs``, merged into its weights."""
    random.seed(args.seed)  # the order of the pairs
    torch.manual_seed(args.seed)  # the adapter's starting weights, then dropout
    model = packaged()
    config = LoraConfig(
        r=args.rank, lora_alpha=args.alpha, target_modules=MODULES, lora_dropout=0.0, bias="none"
    )
    # peft puts its LoRA layers into the model's own modules: the sentence-transformers
    # model trains through them, and merging puts merged weights back in their place.
    adapted = get_peft_model(model[0].auto_model, config)
    learning = [p for p in model.parameters() if p.requires_grad]
    learn(model, pairs, args.epochs, args.lr, learning, seed=None)
    adapted.merge_and_unload()
    return model.eval()


class TunedEmbedder(ModelEmbedder):
    """The tuned model as the build's embedder (batches of 64, as the build embeds)."""

    def __init__(self, model: SentenceTransformer) -> None:
        super().__init__(model)
        self.name = "all-MiniLM-L6-v2 + LoRA (tune_encoder.py)"


def scores(
    engine: SearchEngine, dev: Sequence[Question], test: Sequence[Question]
) -> list[tuple[str, str]]:
    """(row name, figures) of one build: dense, hybrid before the learned step, learned."""
    kinds = sorted({card.type for card in engine.catalog.cards.values()})

    def tables(questions: Sequence[Question]) -> list[tuple[list[str], Table]]:
        return [engine.learning_table(q.question, kinds, CANDIDATES) for q in questions]

    def labels(
        questions: Sequence[Question], rows: list[tuple[list[str], Table]]
    ) -> list[NDArray[np.bool_]]:
        return [
            np.array([e in q.relevant for e in ids])
            for q, (ids, _) in zip(questions, rows, strict=True)
        ]

    def dense(questions: Sequence[Question]) -> str:
        ranked = {
            q.question: [h.id for h in engine.search(q.question, 10, SearchMode.DENSE).results]
            for q in questions
        }
        return figures(questions, ranked.__getitem__)

    def ordered(row: tuple[list[str], Table], weights: NDArray[np.float64]) -> list[str]:
        return first_ten(row[0], row[1] @ weights)

    dev_rows = tables(dev)
    dev_labels = labels(dev, dev_rows)
    before = {q.question: ids[:10] for q, (ids, _) in zip(dev, dev_rows, strict=True)}

    def rank_fold(seen: list[int], held: list[int]) -> dict[str, list[str]]:
        weights, _ = fit([dev_rows[i][1] for i in seen], [dev_labels[i] for i in seen], 1.0)
        return {dev[i].question: ordered(dev_rows[i], weights) for i in held}

    rows = [
        ("dev, dense", dense(dev)),
        ("dev, hybrid before the learned step", figures(dev, before.__getitem__)),
        ("dev, learned step five-fold (seeds 0 / 1 / 2)", three_fold_splits(dev, rank_fold)),
    ]
    if test:
        weights, _ = fit([t for _, t in dev_rows], dev_labels, 1.0)
        test_rows = tables(test)
        plain = {q.question: ids[:10] for q, (ids, _) in zip(test, test_rows, strict=True)}
        learned = {q.question: ordered(r, weights) for q, r in zip(test, test_rows, strict=True)}
        rows += [
            ("test, dense", dense(test)),
            ("test, hybrid before the learned step", figures(test, plain.__getitem__)),
            ("test, learned step trained on all dev", figures(test, learned.__getitem__)),
        ]
    return rows


def main() -> None:
    def options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--rank", type=int, default=4)
        parser.add_argument("--alpha", type=float, default=8.0)
        parser.add_argument("--lr", type=float, default=3e-4)
        parser.add_argument("--epochs", type=int, default=1)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--training", type=Path, default=TRAINING)
        parser.add_argument("--held-out", action="store_true", help="also score the test half")

    args, _ = split_questions(__doc__, options)
    torch.set_num_threads(os.cpu_count() or 1)
    every = read_questions(args.questions)
    dev = [q for q in every if q.split == "dev"]
    test = [q for q in every if q.split == "test"] if args.held_out else []
    training = read_questions(args.training)
    plain = RankingParams(learned=False)
    shipped = SearchEngine.open(args.data_dir, params=plain)
    started = time.perf_counter()
    pairs = training_pairs(shipped, training)
    model = tune(pairs, args)
    print(f"{len(training)} training questions, {len(pairs)} pairs; LoRA rank {args.rank}, "
          f"alpha {args.alpha:g}, lr {args.lr:g}, {args.epochs} epoch(s): "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    results = {"packaged": scores(shipped, dev, test)}
    shipped.close()
    with tempfile.TemporaryDirectory(prefix="tuned-") as folder:
        embedder = TunedEmbedder(model)
        settings = Settings(data_dir=Path(folder), corpus_dir=ROOT / "corpus")
        build(settings, embedder=embedder)
        tuned = SearchEngine.open(Path(folder), embedder, params=replace(plain))
        results["tuned"] = scores(tuned, dev, test)
        tuned.close()
    print()
    print("| build | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|")
    for (name, base), (_, better) in zip(results["packaged"], results["tuned"], strict=True):
        print(f"| {name}, packaged model | {base} |")
        print(f"| {name}, with the adapter | {better} |")


if __name__ == "__main__":
    main()
