"""Ranking ideas that were measured on the development half and not kept.

Each idea changes one step of hybrid search (the fusion, the query vector, the chunk vectors
or the candidate lists) and leaves the rest as shipped: the graph re-ranking of
``mobility_kg.search.rerank`` runs after it as always. The script prints nDCG@10, recall@5,
MRR@10 and recall@1 for the shipped ranking and for each idea, on the dev half unless told
otherwise (never tune on the test half). ``rank_grid.py`` measures the shipped knobs; this
script measures what would need new ones.

    .venv/bin/python benchmarks/rank_alternatives.py --data-dir DIR [--split dev]

The contextual chunk vectors re-embed every chunk once per variant (about a minute on 2 cores);
the query adapter trains with torch (a second or two each).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from numpy.typing import NDArray
from rank_grid import figures, split_questions

from mobility_kg.search.engine import SearchEngine, SearchMode
from mobility_kg.search.evaluate import Question
from mobility_kg.search.fusion import fuse_rankings
from mobility_kg.search.query import understand
from mobility_kg.search.ranking import entity_scores, ranked

ROOT = Path(__file__).resolve().parents[1]
DEPTH = 30  # the shipped fusion depth for k = 10
Vector = NDArray[np.float32]


class Pipeline:
    """Hybrid search as shipped, with each step open to replacement."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine
        self.vectors: Vector = np.asarray(engine.vectors, dtype=np.float32)
        self.types = np.array([engine._graph.cards[e].type for e in engine._entity_of])
        self._query_vectors: dict[str, Vector] = {}

    def query_vector(self, text: str) -> Vector:
        if text not in self._query_vectors:
            self._query_vectors[text] = np.asarray(self.engine.embed_query(text), np.float32)
        return self._query_vectors[text]

    def dense(
        self,
        vector: Vector,
        limit: int,
        vectors: Vector | None = None,
        penalty: Vector | None = None,
    ) -> list[str]:
        scores = (self.vectors if vectors is None else vectors) @ vector[0]
        if penalty is not None:
            scores = scores - penalty
        order = np.argsort(-scores, kind="stable")[: limit * 4]
        found = entity_scores(order.tolist(), scores, self.engine._entity_of, 0.0)
        return [entity for entity, _, _ in ranked(found, limit)]

    def lexical(self, text: str, limit: int, allowed: NDArray[np.bool_] | None = None) -> list[str]:
        return [e for e, _, _ in self.engine.lexical_ranking(text, allowed, limit)]

    def finish(self, text: str, fused: list[tuple[str, float]]) -> list[str]:
        reranked = self.engine._rerank_with_graph(text, fused, None)
        return [entity for entity, _ in reranked[:10]]

    def shipped(self, text: str) -> list[str]:
        return [hit.id for hit in self.engine.search(text, 10, SearchMode.HYBRID).results]


def score_fusion(pipe: Pipeline, text: str, dense_share: float) -> list[str]:
    """Convex combination of min-max normalised cosine and BM25 scores (txtai's way) instead
    of reciprocal rank fusion."""
    vector = pipe.query_vector(text)
    cosine = pipe.vectors @ vector[0]
    best: dict[str, float] = {}
    for row, value in enumerate(cosine.tolist()):
        entity = pipe.engine._entity_of[row]
        best[entity] = max(best.get(entity, -1.0), value)
    dense = dict(sorted(best.items(), key=lambda item: -item[1])[:DEPTH])
    lexical = {e: s for e, _, s in pipe.engine.lexical_ranking(text, None, DEPTH)}

    def normalised(scores: dict[str, float]) -> dict[str, float]:
        if not scores:
            return {}
        low, high = min(scores.values()), max(scores.values())
        return {e: (s - low) / (high - low + 1e-9) for e, s in scores.items()}

    d, b = normalised(dense), normalised(lexical)
    entities = list(dict.fromkeys([*dense, *lexical]))
    combined = {
        e: dense_share * d.get(e, 0.0) + (1 - dense_share) * b.get(e, 0.0) for e in entities
    }
    fused = sorted(combined.items(), key=lambda item: -item[1])
    return pipe.finish(text, [(e, s + 1e-6) for e, s in fused])


def rrf(pipe: Pipeline, text: str, vector: Vector, extra: Sequence[tuple[list[str], float]] = (),
        vectors: Vector | None = None, penalty: Vector | None = None) -> list[str]:  # fmt: skip
    lists = [pipe.dense(vector, DEPTH, vectors, penalty), pipe.lexical(text, DEPTH)]
    weights = [1.0, 1.0]
    for ranking, weight in extra:
        lists.append(ranking)
        weights.append(weight)
    return pipe.finish(text, fuse_rankings(lists, 60, weights))


def penalised(pipe: Pipeline, text: str, penalty: Vector) -> list[str]:
    """Chunks near the corpus's mean vector (generic overviews) lose ``penalty`` of cosine."""
    return rrf(pipe, text, pipe.query_vector(text), penalty=penalty)


def feedback(pipe: Pipeline, text: str, hits: int, beta: float) -> list[str]:
    """Rocchio pseudo-relevance feedback on the dense side: the query vector plus ``beta``
    times the mean of the best chunks of the first ``hits`` entities of the shipped ranking."""
    first = pipe.shipped(text)[:hits]
    rows = [pipe.engine._rows_of[e][0] for e in first]
    vector = pipe.query_vector(text) + beta * pipe.vectors[rows].mean(axis=0)[None, :]
    return rrf(pipe, text, (vector / np.linalg.norm(vector)).astype(np.float32))


def typed_list(pipe: Pipeline, text: str, weight: float) -> list[str]:
    """A third fused ranking for list questions: the hybrid ranking of the kind they ask for."""
    vector = pipe.query_vector(text)
    wanted = understand(text).wanted_type
    if wanted is None:
        return rrf(pipe, text, vector)
    mask = pipe.types == wanted
    dense = [e for e, _, _ in pipe.engine.dense_ranking(vector, mask, 20)]
    sub = fuse_rankings([dense, pipe.lexical(text, 20, mask)], 60)
    return rrf(pipe, text, vector, [([e for e, _ in sub], weight)])


def contextual_vectors(pipe: Pipeline) -> Vector:
    """Chunk vectors whose text names the entity's predictors and pillars after its title."""
    cards = pipe.engine._graph.cards
    texts = []
    for chunk in pipe.engine.chunks:
        card = cards[chunk.entity_id]
        names = [
            cards[p].title for p in [*card.predictors, *card.pillars] if p in cards and p != card.id
        ]
        context = f" ({', '.join(names)})" if names else ""
        text = chunk.text
        texts.append(
            text.replace(card.title, card.title + context, 1)
            if text.startswith(card.title)
            else text
        )
    return np.asarray(pipe.engine.embedder.encode(texts), dtype=np.float32)


def title_ranking(pipe: Pipeline, vectors: Vector, owners: list[str], text: str) -> list[str]:
    """Entities by the cosine of their best title or alternative label to the question."""
    scores = vectors @ pipe.query_vector(text)[0]
    found: list[str] = []
    for row in np.argsort(-scores, kind="stable").tolist():
        if owners[row] not in found:
            found.append(owners[row])
            if len(found) == DEPTH:
                break
    return found


def title_vectors(pipe: Pipeline) -> tuple[Vector, list[str]]:
    """Each chunked entity's title and SKOS alternative labels, embedded one by one."""
    cards = pipe.engine.catalog.cards
    texts, owners = [], []
    for entity in pipe.engine._rows_of:
        for label in (cards[entity].title, *cards[entity].labels):
            texts.append(label)
            owners.append(entity)
    return np.asarray(pipe.engine.embedder.encode(texts), dtype=np.float32), owners


def query_adapter(pipe: Pipeline, regularisation: float, own_chunk: bool) -> Vector:
    """A linear map of query vectors trained on the inverse cloze task (Lee et al., 2019):
    each of the corpus's sentences is a query whose answers are its entity's chunks (its own
    chunk left out unless ``own_chunk``), against every chunk, with InfoNCE at temperature
    0.05, three epochs of Adam, and ``regularisation`` times the squared distance from the
    identity. The chunk vectors stay as they are."""
    import torch  # a build-time dependency; this idea would train the map at build

    torch.manual_seed(0)
    chunks = torch.tensor(pipe.vectors)
    ids = {e: i for i, e in enumerate(dict.fromkeys(pipe.engine._entity_of))}
    entity = torch.tensor([ids[e] for e in pipe.engine._entity_of])
    queries = torch.tensor(np.asarray(pipe.engine.sentence_vectors, dtype=np.float32))
    source = torch.tensor([s.chunk for s in pipe.engine.sentences])
    positive = entity[None, :] == entity[source][:, None]
    own = torch.zeros_like(positive)
    own[torch.arange(len(source)), source] = True
    if not own_chunk:
        positive &= ~own
    keep = positive.any(dim=1)
    queries, positive, own = queries[keep], positive[keep], own[keep]
    identity = torch.eye(chunks.shape[1])
    weights = torch.nn.Parameter(identity.clone())
    optimiser = torch.optim.Adam([weights], lr=0.01)
    for _ in range(3):
        for batch in torch.randperm(len(queries)).split(256):
            mapped = torch.nn.functional.normalize(queries[batch] @ weights, dim=1)
            logits = mapped @ chunks.T / 0.05
            if not own_chunk:
                logits = logits.masked_fill(own[batch], -1e9)
            loss = (
                torch.logsumexp(logits, 1)
                - torch.logsumexp(logits.masked_fill(~positive[batch], -1e9), 1)
            ).mean() + regularisation * ((weights - identity) ** 2).sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return weights.detach().numpy()


def adapted(pipe: Pipeline, weights: Vector, text: str) -> list[str]:
    vector = pipe.query_vector(text) @ weights
    return rrf(pipe, text, (vector / np.linalg.norm(vector)).astype(np.float32))


def supervised_adapter(
    pipe: Pipeline, questions: Sequence[Question], regularisation: float, folds: int = 5
) -> dict[str, list[str]]:
    """A linear map of query vectors trained on the split's own questions (each question's
    relevant entities' chunks as its answers, InfoNCE at temperature 0.05 over every chunk,
    50 full-batch steps of Adam, ``regularisation`` times the squared distance from the
    identity), on the other folds, and applied to the held-out fold."""
    import torch  # a build-time dependency; this idea would train the map at build

    chunks = torch.tensor(pipe.vectors)
    owners = pipe.engine._entity_of
    identity = torch.eye(chunks.shape[1])
    order = np.random.default_rng(0).permutation(len(questions))
    ranked: dict[str, list[str]] = {}
    for held in np.array_split(order, folds):
        torch.manual_seed(0)
        train = [questions[i] for i in np.setdiff1d(order, held)]
        queries = torch.tensor(np.stack([pipe.query_vector(q.question)[0] for q in train]))
        positive = torch.tensor([[e in q.relevant for e in owners] for q in train])
        weights = torch.nn.Parameter(identity.clone())
        optimiser = torch.optim.Adam([weights], lr=0.01)
        for _ in range(50):
            logits = torch.nn.functional.normalize(queries @ weights, dim=1) @ chunks.T / 0.05
            loss = (
                torch.logsumexp(logits, 1) - torch.logsumexp(logits.masked_fill(~positive, -1e9), 1)
            ).mean() + regularisation * ((weights - identity) ** 2).sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        mapped = weights.detach().numpy()
        for index in held.tolist():
            text = questions[index].question
            ranked[text] = adapted(pipe, mapped, text)
    return ranked


def kinds_learned(
    pipe: Pipeline, questions: Sequence[Question], weight: float, folds: int = 5
) -> dict[str, list[str]]:
    """The kinds of entity a question wants (predictor, metric, strategy...), learned from the
    question's vector: one logistic regression per kind, trained on the other folds of the
    split's questions (the kinds of their relevant entities) and applied to the held-out fold.
    Each of the first 30 hits moves up ``weight`` places times the probability of its kind."""
    from sklearn.linear_model import LogisticRegression

    def kind(entity: str) -> str:
        return entity.split("/", 1)[0]

    kinds = sorted({kind(e) for e in pipe.engine.catalog.cards})
    vectors = np.stack([pipe.query_vector(q.question)[0] for q in questions])
    wanted = np.array([[any(kind(e) == k for e in q.relevant) for k in kinds] for q in questions])
    order = np.random.default_rng(0).permutation(len(questions))
    ranked: dict[str, list[str]] = {}
    for held in np.array_split(order, folds):
        train = np.setdiff1d(order, held)
        chance = np.zeros((len(held), len(kinds)))
        for column in range(len(kinds)):
            labels = wanted[train, column]
            if labels.min() == labels.max():
                chance[:, column] = float(labels[0])
                continue
            model = LogisticRegression(max_iter=2000).fit(vectors[train], labels)
            chance[:, column] = model.predict_proba(vectors[held])[:, 1]
        for row, index in enumerate(held.tolist()):
            text = questions[index].question
            hits = [h.id for h in pipe.engine.search(text, DEPTH, SearchMode.HYBRID).results]
            lift = {e: weight * chance[row, kinds.index(kind(e))] - i for i, e in enumerate(hits)}
            ranked[text] = sorted(hits, key=lambda e: -lift[e])[:10]
    return ranked


def learned_to_rank(
    pipe: Pipeline, questions: Sequence[Question], strength: float, folds: int = 5
) -> dict[str, list[str]]:
    """Pointwise learning to rank over the first 30 hits: a logistic regression (inverse
    regularisation ``strength``) on each hit's rank, its score against the first hit's, its
    best chunk's cosine and BM25 score (over the question's best), its best sentence's
    cosine, its chunk count, its place in the dense ranking, whether it is of the kind a list
    question asks for, and its kind; trained on the other folds of the split's questions."""
    from sklearn.linear_model import LogisticRegression

    engine = pipe.engine
    kinds = sorted({c.type for c in engine.catalog.cards.values()})
    sentences = np.asarray(engine.sentence_vectors, dtype=np.float32)
    features: dict[str, tuple[NDArray[np.float64], list[str]]] = {}
    for question in questions:
        text = question.question
        hits = engine.search(text, DEPTH, SearchMode.HYBRID).results
        vector = pipe.query_vector(text)[0]
        cosine, sentence_cosine = pipe.vectors @ vector, sentences @ vector
        lexical = engine.lexical_scores(text)
        lexical_best = float(lexical.max()) or 1.0
        dense = {e: i for i, e in enumerate(dict.fromkeys(pipe.dense(vector[None, :], 200)))}
        wanted = understand(text).wanted_type
        rows = []
        for rank, hit in enumerate(hits):
            chunks = engine._rows_of.get(hit.id, [])
            spans = [i for r in chunks for i in range(*engine.sentence_span(r))]
            rows.append(
                [
                    1 / (rank + 1),
                    np.log1p(rank),
                    hit.score / hits[0].score,
                    max((cosine[r] for r in chunks), default=0.0),
                    max((lexical[r] for r in chunks), default=0.0) / lexical_best,
                    max((sentence_cosine[i] for i in spans), default=0.0),
                    np.log1p(len(chunks)),
                    1 / (1 + dense.get(hit.id, 999)),
                    float(wanted is not None and hit.type == wanted),
                    *(float(hit.type == k) for k in kinds),
                ]
            )
        features[text] = (np.array(rows), [hit.id for hit in hits])
    order = np.random.default_rng(0).permutation(len(questions))
    ranked: dict[str, list[str]] = {}
    for held in np.array_split(order, folds):
        train = [questions[i] for i in np.setdiff1d(order, held)]
        inputs = np.vstack([features[q.question][0] for q in train])
        labels = np.concatenate([[e in q.relevant for e in features[q.question][1]] for q in train])
        model = LogisticRegression(C=strength, max_iter=5000).fit(inputs, labels)
        for index in held.tolist():
            rows, ids = features[questions[index].question]
            scores = model.decision_function(rows)
            ranked[questions[index].question] = [
                ids[i] for i in np.argsort(-scores, kind="stable")[:10]
            ]
    return ranked


def main() -> None:
    args, questions = split_questions(__doc__)
    pipe = Pipeline(SearchEngine.open(args.data_dir))
    print(f"{len(questions)} questions (split {args.split})")
    print()
    print("| idea | nDCG@10 | R@5 | MRR@10 | R@1 |")
    print("|---|---|---|---|---|")
    rows: list[tuple[str, Callable[[str], list[str]]]] = [
        ("shipped", pipe.shipped),
        ("the same, re-assembled by this script (must equal shipped)",
         lambda t: rrf(pipe, t, pipe.query_vector(t))),
    ]  # fmt: skip
    for share in (0.5, 0.6):
        rows.append((f"score fusion, min-max, dense share {share}",
                     partial(score_fusion, pipe, dense_share=share)))  # fmt: skip
    for hits, beta in ((1, 0.6), (3, 0.6), (5, 0.3)):
        rows.append((f"dense pseudo-relevance feedback, top {hits}, beta {beta}",
                     partial(feedback, pipe, hits=hits, beta=beta)))  # fmt: skip
    for weight in (0.5, 1.0, 2.0):
        rows.append((f"list questions: third ranking of the kind asked for, weight {weight}",
                     partial(typed_list, pipe, weight=weight)))  # fmt: skip
    centroid = pipe.vectors.mean(axis=0)
    generic = pipe.vectors @ (centroid / np.linalg.norm(centroid))
    for weight in (0.1, 0.2, 0.3):
        rows.append((f"generic chunks penalised: cosine minus {weight} x cosine to the corpus mean",
                     partial(penalised, pipe, penalty=(weight * generic).astype(np.float32))))  # fmt: skip
    labels, owners = title_vectors(pipe)
    for weight in (0.3, 1.0):
        rows.append((f"titles and labels: a third fused ranking by their cosine, weight {weight}",
                     lambda t, w=weight: rrf(pipe, t, pipe.query_vector(t),
                                             [(title_ranking(pipe, labels, owners, t), w)])))  # fmt: skip
    for regularisation, own_chunk in ((0.01, False), (0.1, False), (0.01, True)):
        weights = query_adapter(pipe, regularisation, own_chunk)
        rows.append((f"query adapter (inverse cloze), regularisation {regularisation}"
                     f"{', own chunk counts' if own_chunk else ''}",
                     partial(adapted, pipe, weights)))  # fmt: skip
    for name, rank in rows:
        print(f"| {name} | {figures(questions, rank)} |", flush=True)
    for regularisation in (0.1, 0.01):
        learned = supervised_adapter(pipe, questions, regularisation)
        name = f"query adapter trained on the split's questions (5-fold), regularisation {regularisation:g}"
        print(f"| {name} | {figures(questions, lambda t, r=learned: r[t])} |", flush=True)
    for weight in (2.0, 5.0, 10.0):
        learned = kinds_learned(pipe, questions, weight)
        name = f"kinds of entity learned from the question (5-fold), {weight:g} places"
        print(f"| {name} | {figures(questions, lambda t, r=learned: r[t])} |", flush=True)
    for strength in (0.01, 0.1, 1.0):
        learned = learned_to_rank(pipe, questions, strength)
        name = f"learned to rank, 5-fold, regularisation C {strength:g}"
        print(f"| {name} | {figures(questions, lambda t, r=learned: r[t])} |", flush=True)
    vectors = contextual_vectors(pipe)
    name = "contextual chunk vectors: predictor and pillar names after the title"
    print(
        f"| {name} | {figures(questions, lambda t: rrf(pipe, t, pipe.query_vector(t), vectors=vectors))} |"
    )
    pipe.engine.close()


if __name__ == "__main__":
    main()
