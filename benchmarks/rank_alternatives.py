"""Ranking ideas that were measured on the development half and not kept.

Each idea changes one step of hybrid search (the fusion, the query vector, the chunk vectors
or the candidate lists) and leaves the rest as shipped: the graph re-ranking of
``mobility_kg.search.rerank`` runs after it as always. The script prints nDCG@10, recall@5,
MRR@10 and recall@1 for the shipped ranking and for each idea, on the dev half unless told
otherwise (never tune on the test half). ``rank_grid.py`` measures the shipped knobs; this
script measures what would need new ones.

    .venv/bin/python benchmarks/rank_alternatives.py --data-dir DIR [--split dev] [--only TEXT]

The contextual chunk vectors re-embed every chunk once per variant (about a minute on 2 cores);
the query adapter trains with torch (a second or two each).
"""

from __future__ import annotations

import argparse
import os
import re
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
from mobility_kg.search.lexical import LexicalIndex
from mobility_kg.search.query import understand
from mobility_kg.search.ranking import RankingParams, entity_scores, ranked

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
        """BM25 as shipped: the question expanded with the titles of what it names."""
        expanded = self.engine._graph.labels.expand(text)
        return [e for e, _, _ in self.engine.lexical_ranking(expanded, allowed, limit)]

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


def bm25_parameters(pipe: Pipeline, index: LexicalIndex, text: str) -> list[str]:
    """The shipped ranking over a BM25 index made with other k1 and b."""
    shipped = pipe.engine.lexical
    pipe.engine.lexical = index
    try:
        return pipe.shipped(text)
    finally:
        pipe.engine.lexical = shipped


def length_normalised(pipe: Pipeline, text: str, dense: float, lexical: float) -> list[str]:
    """Entities with many chunks (long evidence pages) hold more tickets to the best-chunk
    lottery: each entity's best cosine loses ``dense`` x log(its chunk count), its best BM25
    score ``lexical`` x the question's best x log(its chunk count)."""
    engine = pipe.engine

    def normalised(found: dict[str, tuple[int, float]], weight: float) -> list[str]:
        scale = max((score for _, score in found.values()), default=1.0) if weight else 0.0
        adjusted = {
            entity: (row, score - weight * scale * float(np.log(len(engine._rows_of[entity]))))
            for entity, (row, score) in found.items()
        }
        return [entity for entity, _, _ in ranked(adjusted, DEPTH)]

    cosine = pipe.vectors @ pipe.query_vector(text)[0]
    order = np.argsort(-cosine, kind="stable")[: DEPTH * 8]
    bm25 = engine.lexical_scores(engine._graph.labels.expand(text))
    positive = np.flatnonzero(bm25 > 0)
    best = positive[np.argsort(-bm25[positive], kind="stable")]
    lists = [
        normalised(entity_scores(order.tolist(), cosine, engine._entity_of, 0.0), dense),
        normalised(entity_scores(best.tolist(), bm25, engine._entity_of, 0.0), lexical),
    ]
    return pipe.finish(text, fuse_rankings(lists, 60, [1.0, 1.0]))


def confident_bm25(pipe: Pipeline, text: str, weight: float, threshold: float) -> list[str]:
    """A BM25 hit far above the rest ("the plan that won the national counties association
    award") gains ``weight`` first places per standard deviation past ``threshold``, reckoned
    over the other BM25 entity scores, so that a dense ranking that misses it cannot bury it."""
    engine = pipe.engine
    lexical = engine.lexical_ranking(engine._graph.labels.expand(text), None, DEPTH)
    dense = pipe.dense(pipe.query_vector(text), DEPTH)
    fused = dict(fuse_rankings([dense, [e for e, _, _ in lexical]], 60, [1.0, 1.0]))
    scores = np.array([score for _, _, score in lexical[1:]])
    if len(scores) > 1 and scores.std() > 0:
        for entity, _, score in lexical[:3]:
            z = (score - scores.mean()) / scores.std()
            if z > threshold:
                fused[entity] = fused.get(entity, 0.0) + weight * (z - threshold) / 61
    ordered = sorted(fused.items(), key=lambda item: -item[1])
    return pipe.finish(text, ordered)


CLAUSE = re.compile(r"[,;:?]|\s(?:and|or|but|vs\.?|versus)\s")


def clause_queries(pipe: Pipeline, text: str, weight: float) -> list[str]:
    """A question of several clauses ("paycheck vs savings and assets: why do households need
    both") adds one dense ranking per clause of three words or more, ``weight`` shared among
    them."""
    clauses = [c.strip() for c in CLAUSE.split(text) if len(c.split()) >= 3]
    if len(clauses) < 2:
        return rrf(pipe, text, pipe.query_vector(text))
    extra = [
        (
            pipe.dense(np.asarray(pipe.engine.embed_query(c), np.float32), DEPTH),
            weight / len(clauses),
        )
        for c in clauses
    ]
    return rrf(pipe, text, pipe.query_vector(text), extra)


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
    def only_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--only", help="run only the ideas whose name contains this text")

    args, questions = split_questions(__doc__, only_option)

    def wanted(name: str) -> bool:
        return args.only is None or args.only in name or name == "shipped"

    # The ideas replace steps before the learned one, which was trained on the candidates of
    # this very ranking (benchmarks/train_ranker.py): it stays off here, as when they were tried.
    pipe = Pipeline(SearchEngine.open(args.data_dir, params=RankingParams(learned=False)))
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
    texts = [chunk.text for chunk in pipe.engine.chunks]
    for k1, b in ((0.9, 0.5), (0.9, 0.75), (0.9, 0.9), (1.2, 0.75), (1.5, 0.5), (2.0, 0.75)):
        index = LexicalIndex.build(texts, k1, b)
        rows.append((f"BM25 k1 {k1}, b {b} (shipped: 1.5, 0.75)",
                     partial(bm25_parameters, pipe, index)))  # fmt: skip
    for dense, lexical in ((0.01, 0.0), (0.02, 0.0), (0.0, 0.01), (0.0, 0.02), (0.01, 0.01)):
        rows.append((f"entity scores less log(chunk count) x {dense} (dense), x {lexical} (BM25)",
                     partial(length_normalised, pipe, dense=dense, lexical=lexical)))  # fmt: skip
    for weight, threshold in ((0.5, 3.0), (1.0, 3.0), (1.0, 4.0)):
        rows.append((f"a BM25 hit {threshold:g} standard deviations above the rest: "
                     f"{weight:g} first place per deviation more",
                     partial(confident_bm25, pipe, weight=weight, threshold=threshold)))  # fmt: skip
    for weight in (0.5, 1.0):
        rows.append((f"one dense ranking per clause of the question, weight {weight:g} shared",
                     partial(clause_queries, pipe, weight=weight)))  # fmt: skip
    labels, owners = title_vectors(pipe)
    for weight in (0.3, 1.0) if wanted("titles and labels") else ():
        rows.append((f"titles and labels: a third fused ranking by their cosine, weight {weight}",
                     lambda t, w=weight: rrf(pipe, t, pipe.query_vector(t),
                                             [(title_ranking(pipe, labels, owners, t), w)])))  # fmt: skip
    adapters = ((0.01, False), (0.1, False), (0.01, True))
    for regularisation, own_chunk in adapters if wanted("query adapter (inverse cloze)") else ():
        weights = query_adapter(pipe, regularisation, own_chunk)
        rows.append((f"query adapter (inverse cloze), regularisation {regularisation}"
                     f"{', own chunk counts' if own_chunk else ''}",
                     partial(adapted, pipe, weights)))  # fmt: skip
    for name, rank in ((n, r) for n, r in rows if wanted(n)):
        print(f"| {name} | {figures(questions, rank)} |", flush=True)
    for regularisation in (0.1, 0.01) if wanted("query adapter trained") else ():
        learned = supervised_adapter(pipe, questions, regularisation)
        name = f"query adapter trained on the split's questions (5-fold), regularisation {regularisation:g}"
        print(f"| {name} | {figures(questions, lambda t, r=learned: r[t])} |", flush=True)
    for weight in (2.0, 5.0, 10.0) if wanted("kinds of entity") else ():
        learned = kinds_learned(pipe, questions, weight)
        name = f"kinds of entity learned from the question (5-fold), {weight:g} places"
        print(f"| {name} | {figures(questions, lambda t, r=learned: r[t])} |", flush=True)
    for strength in (0.01, 0.1, 1.0) if wanted("learned to rank") else ():
        learned = learned_to_rank(pipe, questions, strength)
        name = f"learned to rank, 5-fold, regularisation C {strength:g}"
        print(f"| {name} | {figures(questions, lambda t, r=learned: r[t])} |", flush=True)
    name = "contextual chunk vectors: predictor and pillar names after the title"
    if wanted(name):
        vectors = contextual_vectors(pipe)
        ranking = figures(questions, lambda t: rrf(pipe, t, pipe.query_vector(t), vectors=vectors))
        print(f"| {name} | {ranking} |")
    pipe.engine.close()


if __name__ == "__main__":
    main()
