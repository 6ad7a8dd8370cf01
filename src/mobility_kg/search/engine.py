"""SearchEngine: the facade the CLI and the API use. It owns the model and the indexes.

Search is per entity: chunks are scored, each entity keeps its best chunk (which gives the
snippet), and filters apply before the ranking is cut to ``k``. Hybrid mode fuses the dense
and BM25 entity rankings by reciprocal rank, then re-ranks with the graph (``rerank``; its
knobs are the fields of ``RankingParams``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from mobility_kg import __version__
from mobility_kg.artifacts import (
    Manifest,
    artifact_path,
    check_compatible,
    read_file,
    read_manifest,
)
from mobility_kg.errors import (
    InvalidIdError,
    InvalidParameter,
    MissingArtifact,
    StaleArtifact,
    UnknownEntityError,
)
from mobility_kg.ids import EntityType, closest_ids, parse_compact_id
from mobility_kg.search.dense import VectorIndex
from mobility_kg.search.embedder import Embedder, Vectors
from mobility_kg.search.facets import FacetFilter, FacetIndex
from mobility_kg.search.fusion import fuse_rankings
from mobility_kg.search.known_questions import (
    KnownQuestion,
    KnownQuestionIndex,
    known_questions_from_jsonl,
)
from mobility_kg.search.labels import LabelIndex
from mobility_kg.search.learned import (
    DENSE_DEPTH,
    UNRANKED,
    CandidateSignals,
    LearnedRanker,
    feature_table,
)
from mobility_kg.search.lexical import FieldScorer, LexicalIndex
from mobility_kg.search.onnx_encoder import ENCODER_ROLES, OnnxEmbedder, QueryEncoderKind
from mobility_kg.search.place_question import PlaceReader, place_hits
from mobility_kg.search.query import understand
from mobility_kg.search.ranking import (
    RankingParams,
    core_neighbours,
    entity_scores,
    other_neighbours,
    ranked,
)
from mobility_kg.search.records import (
    INDEX_FORMAT,
    Catalog,
    Chunk,
    Sentence,
    chunks_from_jsonl,
    sentences_from_jsonl,
)
from mobility_kg.search.rerank import GraphView, anchor_links, rerank, rerank_with_lifts
from mobility_kg.search.vector_store import ChunkFilter, FilteredSearch, open_vector_store

MAX_QUERY_CHARS = 1000
MAX_K = 100
SNIPPET_CHARS = 320


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


@dataclass(frozen=True, slots=True)
class Hit:
    """One entity found: where it leads in the graph, and the passage that matched."""

    id: str
    type: str
    title: str
    score: float
    snippet: str
    section: str
    source_url: str
    about: list[str] = field(default_factory=list)
    anchor: str = ""  # the matched section's fragment in the entity IRI ("" for the summary)


@dataclass(frozen=True, slots=True)
class SearchResponse:
    query: str
    mode: str
    results: list[Hit]


@dataclass(frozen=True, slots=True)
class Filters:
    entity_type: EntityType | None = None
    pillar: str | None = None
    predictor: str | None = None


def chunk_filter(filters: Filters) -> ChunkFilter:
    """The filters as a vector store applies them."""
    entity_type = filters.entity_type.value if filters.entity_type else None
    return ChunkFilter(entity_type, filters.pillar, filters.predictor)


def snippet_of(text: str, limit: int = SNIPPET_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


@dataclass(frozen=True, slots=True)
class _Candidates:
    fused: list[tuple[str, float]]  # graph-re-ranked (entity, score)
    vector: Vectors  # the question's
    best_row: dict[str, int]  # entity -> the chunk a hit shows
    lifts: dict[str, float]  # entity -> first places the question's wording gave it


class _Owners:
    """Which entity owns each chunk and each sentence: every entity's best chunk or sentence
    score for a question in one pass (for the learned step's signals)."""

    def __init__(self, chunks: Sequence[Chunk], sentence_chunks: Sequence[int]) -> None:
        entities = sorted({c.entity_id for c in chunks})
        self.index = {entity: i for i, entity in enumerate(entities)}
        of_chunk = np.array([self.index[c.entity_id] for c in chunks], dtype=np.intp)
        self.chunk_counts = np.bincount(of_chunk, minlength=len(entities))
        self._chunks = _Segments(of_chunk, len(entities))
        of_sentence = of_chunk[np.asarray(sentence_chunks, dtype=np.intp)]
        order = np.argsort(of_sentence, kind="stable")
        bounds = np.searchsorted(of_sentence[order], np.arange(len(entities) + 1))
        # entity -> its sentences' rows: a question reads only its candidates' sentences
        # (the whole sentence matrix is several times the size of a CPU cache).
        self.sentence_rows = [order[bounds[i] : bounds[i + 1]] for i in range(len(entities))]

    def best_of_chunks(self, values: NDArray[np.generic]) -> NDArray[np.float32]:
        return self._chunks.best(values)

    def best_sentences(
        self, entities: NDArray[np.intp], vectors: Vectors, query: Vectors
    ) -> NDArray[np.float32]:
        """The best cosine to ``query`` among each of ``entities``' sentences (-inf for an
        entity without any, or an index below 0)."""
        groups = [self.sentence_rows[i] if i >= 0 else _NO_ROWS for i in entities.tolist()]
        best = np.full(len(groups), -np.inf, dtype=np.float32)
        sizes = np.array([len(g) for g in groups], dtype=np.intp)
        if sizes.sum():
            cosine = vectors[np.concatenate(groups)] @ query
            some = sizes > 0
            starts = np.concatenate([[0], np.cumsum(sizes[some])[:-1]])
            best[some] = np.maximum.reduceat(cosine, starts)
        return best


_NO_ROWS = np.zeros(0, dtype=np.intp)


class _Segments:
    """Items (chunks, sentences) grouped by owner, for each owner's best value in one
    ``reduceat`` (an owner with no item gets -inf)."""

    def __init__(self, owner: NDArray[np.intp], owners: int) -> None:
        self.order = np.argsort(owner, kind="stable")
        self.present, self.starts = np.unique(owner[self.order], return_index=True)
        self.owners = owners

    def best(self, values: NDArray[np.generic]) -> NDArray[np.float32]:
        best = np.full(self.owners, -np.inf, dtype=np.float32)
        if len(self.order):
            grouped = np.asarray(values, dtype=np.float32)[self.order]
            best[self.present] = np.maximum.reduceat(grouped, self.starts)
        return best


class SearchEngine:
    """Loaded search artifacts plus the query embedder.

    >>> engine = SearchEngine.open(data_dir)            # doctest: +SKIP
    >>> engine.search("what helps families avoid eviction?", k=3).results[0].id  # doctest: +SKIP
    'strategy/eviction-right-to-counsel'
    """

    def __init__(
        self,
        embedder: Embedder,
        dense: VectorIndex,
        vectors: Vectors,
        lexical: LexicalIndex,
        chunks: list[Chunk],
        catalog: Catalog,
        manifest: Manifest,
        sentences: list[Sentence],
        sentence_vectors: Vectors,
        params: RankingParams | None = None,
        ranker: LearnedRanker | None = None,
        known: tuple[Sequence[KnownQuestion], Vectors] = ((), np.zeros((0, 0), np.float32)),
    ) -> None:
        self.embedder = embedder
        self.dense = dense
        self.vectors = vectors
        self.lexical = lexical
        self.chunks = chunks
        self.catalog = catalog
        self.manifest = manifest
        self.sentences = sentences
        self.sentence_vectors = sentence_vectors
        # Sentences are stored in chunk order: chunk row -> its slice of the sentence arrays.
        self._sentence_span: dict[int, tuple[int, int]] = {}
        for index, sentence in enumerate(sentences):
            start, _ = self._sentence_span.get(sentence.chunk, (index, index))
            self._sentence_span[sentence.chunk] = (start, index + 1)
        self._entity_of = [c.entity_id for c in chunks]
        self.chunk_entity = np.array([c.entity_id for c in chunks], dtype=object)
        self._rows_of: dict[str, list[int]] = {}
        for row, chunk in enumerate(chunks):
            self._rows_of.setdefault(chunk.entity_id, []).append(row)
        # Places and metrics named in a question (issue 10, search/place_question.py).
        self.place_reader = PlaceReader.from_titles(
            {c.id: c.title for c in catalog.cards.values() if c.type == "place"},
            frozenset(e for e in self._rows_of if e.startswith("place/")),
        )
        self.params = params or RankingParams()
        self._owners = _Owners(chunks, [s.chunk for s in sentences])
        self.known = known  # the build's known questions and their vectors
        self.known_questions = self.index_known_questions(*known)
        # The learned last step of hybrid ranking (``params.learned`` switches it off).
        self.ranker = ranker or (LearnedRanker.shipped() if self.params.learned else None)
        self._headings: FieldScorer | None = None  # made on first use (title_weight)
        core = core_neighbours(catalog.cards)
        self._graph = GraphView(
            catalog.cards,
            core,
            other_neighbours(catalog.cards, core),
            LabelIndex(catalog.cards, lexical.terms),
            FacetIndex(catalog.cards),
        )

    def index_known_questions(
        self, questions: Sequence[KnownQuestion], vectors: Vectors
    ) -> KnownQuestionIndex:
        """An index of ``questions`` over this engine's entities and words (the build's known
        questions are indexed on opening; a benchmark may index a subset)."""
        return KnownQuestionIndex(
            questions,
            vectors,
            self._owners.index,
            self.lexical.field_scorer([q.question for q in questions]),
        )

    def _heading(self, chunk: Chunk) -> str:
        card = self.catalog.cards.get(chunk.entity_id)
        title = card.title if card else chunk.entity_id
        return title if chunk.section in ("", "Summary") else f"{title}: {chunk.section}"

    @classmethod
    def open(
        cls,
        data_dir: Path,
        embedder: Embedder | None = None,
        query_encoder: str = QueryEncoderKind.ONNX.value,
        *,
        batch_queries: bool = False,
        pgvector_url: str = "",
        pgvector_ef_search: int = 100,
        params: RankingParams | None = None,
        ranker: LearnedRanker | None = None,
    ) -> SearchEngine:
        """Load the build in ``data_dir`` and its query encoder.

        ``embedder`` defaults to the build's exported ONNX encoder (``query_encoder`` picks
        the fp32 or the int8 one); torch is never imported on this path. ``batch_queries``
        encodes queries that arrive together in one run (for a server). ``pgvector_url``
        searches the vectors in PostgreSQL instead of the build's FAISS files. ``ranker``
        replaces the shipped learned last step (``benchmarks/train_ranker.py`` scores one).

        Raises:
            MissingArtifact: no build, or a file of it is missing or altered.
            StaleArtifact: the build was made by another version, model or vector size.
            VectorStoreUnavailable: PostgreSQL cannot be reached or lacks this build.
        """
        manifest = read_manifest(data_dir)
        check_compatible(data_dir, manifest, __version__)
        search = manifest.search
        model = embedder or open_query_encoder(
            data_dir, manifest, query_encoder, batch_concurrent=batch_queries
        )
        differences = []
        if search.get("index_format") != INDEX_FORMAT:
            differences.append(
                f"index format {search.get('index_format')}, this version reads {INDEX_FORMAT}"
            )
        if search.get("model") != model.name:
            differences.append(
                f"index made with model {search.get('model')!r}, loading {model.name!r}"
            )
        if search.get("dimension") != model.dimension:
            differences.append(
                f"vectors of size {search.get('dimension')}, model gives {model.dimension}"
            )
        if differences:
            raise StaleArtifact(data_dir, differences)
        chunks = chunks_from_jsonl(read_file(data_dir, manifest, "chunks"))
        catalog = Catalog.from_json(read_file(data_dir, manifest, "catalog"))
        vectors = np.load(artifact_path(data_dir, manifest, "vectors"), allow_pickle=False)
        store = open_vector_store(data_dir, manifest, pgvector_url, pgvector_ef_search)
        dense = store.open_index(chunks, vectors, str(search.get("chunk_set_hash", "")))
        bm25 = artifact_path(data_dir, manifest, "bm25")
        try:
            lexical = LexicalIndex.load(bm25)
        except (OSError, ValueError, KeyError) as error:
            raise MissingArtifact(bm25, f"unreadable BM25 index ({error}); rebuild") from None
        if not (len(chunks) == len(dense) == len(vectors)):
            raise StaleArtifact(data_dir, ["chunks, vectors and index differ in length"])
        sentences = sentences_from_jsonl(read_file(data_dir, manifest, "sentences"))
        sentence_vectors = np.load(
            artifact_path(data_dir, manifest, "sentvectors"), allow_pickle=False
        )
        if len(sentences) != len(sentence_vectors):
            raise StaleArtifact(data_dir, ["sentences and their vectors differ in length"])
        known = known_questions_from_jsonl(read_file(data_dir, manifest, "questions"))
        known_vectors = np.load(
            artifact_path(data_dir, manifest, "questionvectors"), allow_pickle=False
        )
        if len(known) != len(known_vectors):
            raise StaleArtifact(data_dir, ["known questions and their vectors differ in length"])
        engine = cls(
            model,
            dense,
            vectors,
            lexical,
            chunks,
            catalog,
            manifest,
            sentences,
            sentence_vectors,
            params,
            ranker,
            (known, known_vectors),
        )
        if "places" in manifest.files:  # a build with the metric data (issue 10)
            engine.place_reader = PlaceReader.from_artifact(
                lambda: read_file(data_dir, manifest, "places"),
                frozenset(e for e in engine._rows_of if e.startswith("place/")),
                lambda: "\n".join(c.body for c in chunks),
            )
        return engine

    # ------------------------------------------------------------------ checks

    def _require(self, compact: str, entity_type: EntityType) -> str:
        """``compact`` as a filter on ``entity_type``.

        Raises:
            InvalidIdError: not a compact id, or the id of an entity of another type.
            UnknownEntityError: no such entity; carries the closest ids of the type.
        """
        found_type, _ = parse_compact_id(compact)
        card = self.catalog.cards.get(compact)
        if card is None:
            same_type = [c for c in self.catalog.cards if c.startswith(entity_type.value + "/")]
            raise UnknownEntityError(compact, closest_ids(compact, same_type))
        if found_type is not entity_type:
            raise InvalidIdError(compact, f"is a {found_type.value}, not a {entity_type.value}")
        return compact

    @staticmethod
    def check_query(query: str, k: int) -> str:
        """The query stripped.

        Raises:
            InvalidParameter: empty or over-long query, or k out of 1..100.
        """
        text = query.strip()
        if not text:
            raise InvalidParameter("query", "must not be empty")
        if len(text) > MAX_QUERY_CHARS:
            raise InvalidParameter(
                "query", f"is {len(text)} characters; the limit is {MAX_QUERY_CHARS}"
            )
        if not 1 <= k <= MAX_K:
            raise InvalidParameter("k", f"must be between 1 and {MAX_K}, got {k}")
        return text

    def _allowed(self, filters: Filters) -> NDArray[np.bool_] | None:
        if filters == Filters():
            return None
        if filters.pillar:
            self._require(filters.pillar, EntityType.PILLAR)
        if filters.predictor:
            self._require(filters.predictor, EntityType.PREDICTOR)
        keep = set()
        for compact, card in self.catalog.cards.items():
            if filters.entity_type and card.type != filters.entity_type.value:
                continue
            if filters.pillar and filters.pillar not in card.pillars:
                continue
            if filters.predictor and filters.predictor not in card.predictors:
                continue
            keep.add(compact)
        mask = np.zeros(len(self.chunks), dtype=bool)
        for compact in keep:
            mask[self._rows_of.get(compact, [])] = True
        return mask

    # ------------------------------------------------------------------ ranking

    def embed_query(self, query: str) -> Vectors:
        return self.embedder.encode([query])

    def dense_ranking(
        self,
        query_vector: Vectors,
        allowed: NDArray[np.bool_] | None,
        limit: int,
        filters: Filters = Filters(),  # frozen, immutable default
    ) -> list[tuple[str, int, float]]:
        """(entity, best chunk row, score) by cosine, at most ``limit`` entities."""
        decay = self.params.chunk_decay
        if allowed is None:
            fetch = min(len(self.chunks), limit * 4)
            while True:
                scores, ids = self.dense.search(query_vector, fetch)
                full = np.full(len(self.chunks), -np.inf, dtype=np.float32)
                full[ids[0]] = scores[0]
                found = entity_scores(ids[0].tolist(), full, self._entity_of, decay)
                if len(found) >= limit or fetch >= len(self.chunks):
                    return ranked(found, limit)
                fetch = min(len(self.chunks), fetch * 2)
        scores = np.full(len(self.chunks), -np.inf, dtype=np.float32)
        if filters != Filters() and isinstance(self.dense, FilteredSearch):
            # The store scores the rows that pass the filters in one query (pgvector: the
            # filters are its SQL conditions); the mask would keep the same rows.
            passing, order = self.dense.search_where(query_vector, chunk_filter(filters))
            scores[order] = passing
        else:
            rows = np.flatnonzero(allowed)
            scores[rows] = self.vectors[rows] @ query_vector[0]
            order = rows[np.argsort(-scores[rows], kind="stable")]
        return ranked(entity_scores(order.tolist(), scores, self._entity_of, decay), limit)

    def lexical_scores(self, query: str) -> NDArray[np.float32]:
        """Every chunk's BM25 score: its text's, plus its heading's times ``title_weight``."""
        scores = self.lexical.scores(query)
        if self.params.title_weight:
            if self._headings is None:
                self._headings = self.lexical.field_scorer([self._heading(c) for c in self.chunks])
            heading = self._headings.scores(self.lexical.terms(query))
            scores = scores + np.float32(self.params.title_weight) * heading
        return scores

    def lexical_ranking(
        self, query: str, allowed: NDArray[np.bool_] | None, limit: int
    ) -> list[tuple[str, int, float]]:
        scores = self.lexical_scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0).astype(np.float32)
        positive = np.flatnonzero(scores > 0)
        take = limit * 4
        while True:
            if take < len(positive):  # partial sort: only the best ``take`` need ordering
                top = positive[np.argpartition(-scores[positive], take)[:take]]
            else:
                top = positive
            order = top[np.argsort(-scores[top], kind="stable")]
            found = entity_scores(order.tolist(), scores, self._entity_of, self.params.chunk_decay)
            if len(found) >= limit or take >= len(positive):
                return ranked(found, limit)
            take *= 2

    def search(
        self,
        query: str,
        k: int = 10,
        mode: SearchMode = SearchMode.HYBRID,
        filters: Filters = Filters(),  # frozen, immutable default
    ) -> SearchResponse:
        """The ``k`` best entities for ``query``.

        Raises:
            InvalidParameter: empty or over-long query, or k out of range.
            UnknownEntityError: a filter names no pillar or predictor.
        """
        text = self.check_query(query, k)
        allowed = self._allowed(filters)
        ranked: list[tuple[str, int, float]]
        if mode is SearchMode.BM25:
            ranked = self.lexical_ranking(text, allowed, k)
        elif mode is SearchMode.DENSE:
            ranked = self.dense_ranking(self.embed_query(text), allowed, k, filters)
        else:
            depth = max(3 * k, self.params.depth)
            candidates = self._candidates(text, depth, allowed, filters)
            fused = candidates.fused
            if self.params.learned and self.ranker is not None:
                # The first ``depth`` candidates, as in training (the rest never reach k).
                candidates = replace(candidates, fused=fused[:depth])
                fused = candidates.fused
                table = feature_table(self._signals(text, candidates), self.ranker.kinds)
                chance = self.ranker.probabilities(table)
                order = np.argsort(-chance, kind="stable")
                fused = [(fused[i][0], float(chance[i])) for i in order]
            best_row = candidates.best_row
            ranked = [(e, best_row.get(e, self._rows_of[e][0]), score) for e, score in fused[:k]]
        hits = [self._hit(e, row, score) for e, row, score in ranked]
        hits = place_hits(self, text, hits, k, filters)  # issue 10: a place's data question
        return SearchResponse(text, mode.value, hits)

    def _candidates(
        self, text: str, depth: int, allowed: NDArray[np.bool_] | None, filters: Filters
    ) -> _Candidates:
        """The fused, graph-re-ranked candidates of hybrid search, ``depth`` from each mode."""
        params = self.params
        vector = self.embed_query(text)
        dense = self.dense_ranking(vector, allowed, depth, filters)
        lexical = self.lexical_ranking(self._graph.labels.expand(text), allowed, depth)
        best_row = {e: row for e, row, _ in lexical}
        best_row.update({e: row for e, row, _ in dense})
        fused = fuse_rankings(
            [[e for e, _, _ in dense], [e for e, _, _ in lexical]],
            params.rrf_k,
            [params.dense_weight, params.lexical_weight],
        )
        fused, lifts = rerank_with_lifts(
            text, fused, self._graph, self.params, self._usable_within(allowed)
        )
        return _Candidates(fused, vector, best_row, lifts)

    def _signals(self, text: str, candidates: _Candidates) -> CandidateSignals:
        """What :mod:`mobility_kg.search.learned` weighs of each candidate: every entity's
        best chunk at once (for the unfiltered dense ranking), the candidates' sentences."""
        query = candidates.vector[0]
        owners = self._owners
        cosine = owners.best_of_chunks(self.vectors @ query)
        bm25 = self.lexical_scores(text)
        lexical = owners.best_of_chunks(bm25)
        place = np.full(len(cosine), UNRANKED, dtype=np.int64)
        top = np.argsort(-cosine, kind="stable")[:DENSE_DEPTH]
        place[top] = np.arange(len(top))
        rows = np.array([owners.index.get(e, -1) for e, _ in candidates.fused], dtype=np.intp)
        sentence = owners.best_sentences(rows, self.sentence_vectors, query)
        found = rows >= 0
        rows = np.where(found, rows, 0)

        def column(values: NDArray[np.generic], missing: float) -> NDArray[np.float64]:
            picked = np.where(found, values[rows], missing).astype(np.float64)
            return np.where(np.isfinite(picked), picked, 0.0)

        return CandidateSignals(
            scores=[score for _, score in candidates.fused],
            kinds=[self.catalog[e].type for e, _ in candidates.fused],
            best_cosine=column(cosine, 0.0),
            best_bm25=column(lexical, 0.0),
            best_sentence_cosine=np.where(np.isfinite(sentence), sentence, 0.0),
            chunk_counts=column(owners.chunk_counts, 0.0),
            dense_rank=column(place, UNRANKED),
            question_best_bm25=float(bm25.max()) if len(bm25) else 0.0,
            wanted_kind=understand(text).wanted_type,
            cue_lift=[candidates.lifts.get(e, 0.0) for e, _ in candidates.fused],
            anchor_links=anchor_links(candidates.fused, self._graph.neighbours),
            known_question_cosine=column(self.known_questions.closest(query), 0.0),
            known_question_bm25=column(
                self.known_questions.closest_in_words(self.lexical.terms(text)), 0.0
            ),
        )

    def learning_table(
        self, question: str, kinds: Sequence[str], depth: int
    ) -> tuple[list[str], NDArray[np.float64]]:
        """The first ``depth`` candidates of hybrid search before the learned step, and their
        feature table (what ``benchmarks/train_ranker.py`` learns from)."""
        text = self.check_query(question, 10)
        candidates = self._candidates(text, depth, None, Filters())
        kept = _Candidates(candidates.fused[:depth], candidates.vector, {}, candidates.lifts)
        return [e for e, _ in kept.fused], feature_table(self._signals(text, kept), kinds)

    def _rerank_with_graph(
        self, query: str, fused: list[tuple[str, float]], allowed: NDArray[np.bool_] | None
    ) -> list[tuple[str, float]]:
        """The fused ranking re-ranked with the graph (see :mod:`mobility_kg.search.rerank`)."""

        return rerank(query, fused, self._graph, self.params, self._usable_within(allowed))

    def _usable_within(self, allowed: NDArray[np.bool_] | None) -> Callable[[str], bool]:
        """Whether an entity the graph brings in may enter: it has chunks that pass the
        filters."""

        def usable(entity: str) -> bool:
            rows = self._rows_of.get(entity, [])
            return bool(rows) and (allowed is None or bool(allowed[rows].any()))

        return usable

    def _hit(self, entity: str, row: int, score: float) -> Hit:
        card = self.catalog[entity]
        chunk = self.chunks[row]
        return Hit(
            id=entity,
            type=card.type,
            title=card.title,
            score=round(score, 6),
            snippet=snippet_of(chunk.body),
            section=chunk.section,
            source_url=card.source_url,
            about=list(card.about),
            anchor=chunk.chunk_id.partition("#")[2].partition("@")[0],
        )

    def rows_of(self, entity: str) -> list[int]:
        return self._rows_of.get(entity, [])

    def list_filter(self, query: str) -> FacetFilter | None:
        """The facets a list question filters on ("which metrics can be broken down by
        disability?"), or None."""
        return self._graph.facets.constraints(query, understand(query).wanted_type)

    def close(self) -> None:
        """Release what the engine runs in the background (the query batcher's thread) and
        its vector store's connection."""
        if isinstance(self.embedder, OnnxEmbedder):
            self.embedder.close()
        close_store = getattr(self.dense, "close", None)
        if close_store is not None:
            close_store()

    def sentence_span(self, row: int) -> tuple[int, int]:
        """The slice of :attr:`sentences` (and their vectors) that chunk ``row`` holds."""
        return self._sentence_span.get(row, (0, 0))


def open_query_encoder(
    data_dir: Path, manifest: Manifest, kind: str, *, batch_concurrent: bool = False
) -> OnnxEmbedder:
    """The build's exported query encoder of kind ``kind`` (``onnx`` or ``onnx-int8``).

    Raises:
        InvalidParameter: an unknown kind.
        StaleArtifact: the build has no exported encoder (made with another model).
        MissingArtifact: a file of it is missing.
    """
    try:
        role = ENCODER_ROLES[QueryEncoderKind(kind)]
    except ValueError:
        choices = ", ".join(k.value for k in QueryEncoderKind)
        raise InvalidParameter("query_encoder", f"{kind!r} is not one of {choices}") from None
    if "query_encoder" not in manifest.search:
        raise StaleArtifact(data_dir, ["the build has no query encoder; rebuild it"])
    return OnnxEmbedder(
        artifact_path(data_dir, manifest, role),
        artifact_path(data_dir, manifest, "tokenizer"),
        batch_concurrent=batch_concurrent,
    )
