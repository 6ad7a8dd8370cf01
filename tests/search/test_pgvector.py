"""The vectors in a real PostgreSQL 16 server with pgvector (started by the session fixture):
build writes them incrementally, search reads them with the filters as SQL conditions, and
the answers are FAISS's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import psycopg
import pytest
from tests.pg_server import PgTestServer, free_port

from mobility_kg.build import build
from mobility_kg.config import Settings
from mobility_kg.errors import VectorStoreUnavailable
from mobility_kg.ids import EntityType
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.engine import Filters, SearchEngine, SearchMode
from mobility_kg.search.evaluate import evaluate, read_questions
from mobility_kg.search.pgvector_store import TABLE, PgVectorIndex, PgVectorStore
from mobility_kg.search.vector_store import sync_built

pytestmark = pytest.mark.slow

QUESTIONS = Path(__file__).resolve().parents[1] / "eval" / "questions.jsonl"
QUERIES = [
    "a free lawyer for tenants in housing court",
    "share of prime-age adults with a job",
    "which county made a dashboard of local measures",
    "eviction and housing",
    "what helps families avoid eviction?",
]
FILTERS = [
    Filters(entity_type=EntityType.STRATEGY),
    Filters(pillar="pillar/rewarding-work"),
    Filters(predictor="predictor/housing-affordability"),
    Filters(entity_type=EntityType.METRIC, pillar="pillar/rewarding-work"),
]


def rows_in(url: str) -> dict[str, str]:
    with psycopg.connect(url) as connection:
        return dict(connection.execute(f"SELECT chunk_id, fingerprint FROM {TABLE}").fetchall())


def open_pg(settings: Settings, url: str, embedder: MiniLMEmbedder) -> SearchEngine:
    return SearchEngine.open(settings.data_dir, embedder, pgvector_url=url)


NO_FILTERS = Filters()


def ids(
    engine: SearchEngine, query: str, mode: SearchMode, filters: Filters = NO_FILTERS
) -> list[str]:
    return [h.id for h in engine.search(query, k=10, mode=mode, filters=filters).results]


def test_build_writes_every_chunk_and_search_gives_faiss_answers(
    mini_copy: Settings, pg_url: str, embedder: MiniLMEmbedder
) -> None:
    settings = mini_copy.with_(pgvector_url=pg_url)
    result = build(settings, embedder=embedder)
    chunks = result.manifest.search["chunks"]
    assert result.vector_store is not None
    assert (result.vector_store.written, result.vector_store.deleted) == (chunks, 0)
    assert len(rows_in(pg_url)) == chunks
    faiss = SearchEngine.open(settings.data_dir, embedder)
    pg = open_pg(settings, pg_url, embedder)
    assert isinstance(pg.dense, PgVectorIndex) and len(pg.dense) == chunks
    for query in QUERIES:
        for mode in SearchMode:
            assert ids(pg, query, mode) == ids(faiss, query, mode), (query, mode)
        dense_pg = pg.search(query, k=5, mode=SearchMode.DENSE).results
        dense_faiss = faiss.search(query, k=5, mode=SearchMode.DENSE).results
        assert [h.score for h in dense_pg] == pytest.approx(
            [h.score for h in dense_faiss], abs=1e-5
        )
    pg.close()


def test_filters_are_sql_conditions_with_the_exact_answers(
    mini_copy: Settings, pg_url: str, embedder: MiniLMEmbedder
) -> None:
    settings = mini_copy.with_(pgvector_url=pg_url)
    build(settings, embedder=embedder)
    faiss = SearchEngine.open(settings.data_dir, embedder)
    pg = open_pg(settings, pg_url, embedder)
    for filters in FILTERS:
        for query in ("jobs and work", "rent", "eviction"):
            for mode in (SearchMode.DENSE, SearchMode.HYBRID):
                found = ids(pg, query, mode, filters)
                assert found == ids(faiss, query, mode, filters), (filters, query, mode)
    strategies = ids(pg, "eviction", SearchMode.DENSE, FILTERS[0])
    assert strategies[:2] == [
        "strategy/eviction-right-to-counsel",
        "strategy/housing-choice-vouchers",
    ]
    assert all(h.startswith("strategy/") for h in strategies)
    pg.close()


def test_unfiltered_search_uses_the_hnsw_index(
    mini_copy: Settings, pg_url: str, embedder: MiniLMEmbedder
) -> None:
    build(mini_copy.with_(pgvector_url=pg_url), embedder=embedder)
    vector = embedder.encode(["eviction"])[0]
    literal = "[" + ",".join(f"{x:.8g}" for x in vector) + "]"
    with psycopg.connect(pg_url) as connection:
        connection.execute("SET enable_seqscan = off")  # the mini table is tiny; ask the planner
        plan = "\n".join(
            row[0]
            for row in connection.execute(
                f"EXPLAIN SELECT chunk_id FROM {TABLE} ORDER BY embedding <#> '{literal}' LIMIT 10"
            )
        )
    assert f"Index Scan using {TABLE}_hnsw" in plan


def test_rebuild_writes_only_changed_rows(
    mini_copy: Settings, pg_url: str, embedder: MiniLMEmbedder
) -> None:
    settings = mini_copy.with_(pgvector_url=pg_url)
    first = build(settings, embedder=embedder)
    before = rows_in(pg_url)
    assert build(settings, embedder=embedder).vector_store is None  # up to date and in sync
    strategy = mini_copy.require_corpus() / "strategies" / "eviction-right-to-counsel.md"
    text = strategy.read_text()
    strategy.write_text(text.replace("a free lawyer", "a free lawyer paid by the county", 1))
    second = build(settings, embedder=embedder)
    assert second.changed
    after = rows_in(pg_url)
    changed = {c for c in after if before.get(c) != after[c]}
    assert second.vector_store is not None
    assert second.vector_store.written == len(changed) == second.embedded
    assert 1 <= len(changed) < 4
    assert all(c.startswith("strategy/eviction-right-to-counsel") for c in changed)
    assert second.vector_store.kept == first.manifest.search["chunks"] - len(changed)
    engine = open_pg(settings, pg_url, embedder)
    assert ids(engine, "a lawyer paid by the county", SearchMode.DENSE)[0] == (
        "strategy/eviction-right-to-counsel"
    )
    engine.close()


def test_added_and_removed_documents_reach_the_table(
    mini_copy: Settings, pg_url: str, embedder: MiniLMEmbedder
) -> None:
    from tests.test_documents import NEW_STRATEGY

    from mobility_kg.documents import add_document, remove_document

    settings = mini_copy.with_(pgvector_url=pg_url)
    build(settings, embedder=embedder)
    before = set(rows_in(pg_url))
    added, result = add_document(settings, NEW_STRATEGY, embedder=embedder)
    new_rows = set(rows_in(pg_url)) - before
    assert new_rows and all(c.startswith(added) for c in new_rows)
    assert result.vector_store is not None and result.vector_store.written == len(new_rows)
    engine = open_pg(settings, pg_url, embedder)
    assert ids(engine, "hiring events at branch libraries", SearchMode.DENSE)[0] == added
    engine.close()
    removed = remove_document(settings, added, embedder=embedder)
    assert removed.vector_store is not None and removed.vector_store.deleted == len(new_rows)
    assert set(rows_in(pg_url)) == before


def test_a_store_configured_after_the_build_is_filled_by_the_next_build(
    mini_copy: Settings, pg_url: str, embedder: MiniLMEmbedder
) -> None:
    first = build(mini_copy, embedder=embedder)
    with pytest.raises(VectorStoreUnavailable, match=r"holds no chunks.*MOBILITY_KG_PGVECTOR_URL"):
        open_pg(mini_copy, pg_url, embedder)
    again = build(mini_copy.with_(pgvector_url=pg_url), embedder=embedder)
    assert not again.changed
    assert again.vector_store is not None
    assert again.vector_store.written == first.manifest.search["chunks"]
    assert sync_built(mini_copy.data_dir, first.manifest, pg_url) is None  # now in sync
    open_pg(mini_copy, pg_url, embedder).close()


def test_a_lost_connection_is_reopened(
    mini_copy: Settings, pg_url: str, embedder: MiniLMEmbedder
) -> None:
    build(mini_copy.with_(pgvector_url=pg_url), embedder=embedder)
    engine = open_pg(mini_copy, pg_url, embedder)
    before = ids(engine, "eviction", SearchMode.DENSE)
    database = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchone()
    assert ended == (1,)
    assert ids(engine, "eviction", SearchMode.DENSE) == before
    engine.close()


def test_unreachable_server_is_a_clear_error_without_the_password(mini_settings: Settings) -> None:
    url = f"postgresql://kg:s3cret@127.0.0.1:{free_port()}/kg"
    with pytest.raises(VectorStoreUnavailable) as caught:
        SearchEngine.open(mini_settings.data_dir, pgvector_url=url)
    message = str(caught.value)
    assert message.startswith(f"postgresql://kg:***@127.0.0.1:{url.split(':')[3]}")
    assert "cannot connect" in message and "s3cret" not in message
    assert caught.value.status == 503 and caught.value.exit_code == 5


def test_cli_search_reads_from_pgvector_without_torch(
    mini_copy: Settings, pg_url: str, embedder: MiniLMEmbedder
) -> None:
    build(mini_copy.with_(pgvector_url=pg_url), embedder=embedder)
    script = (
        "import sys\n"
        "from mobility_kg.cli import app\n"
        "try:\n"
        "    app(['search', 'a free lawyer for tenants in housing court', '--json',"
        " '--data-dir', sys.argv[1]], standalone_mode=False)\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'torch', 'faiss'})\n"
        "print('HEAVY', heavy, 'PSYCOPG', 'psycopg' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(mini_copy.data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MOBILITY_KG_PGVECTOR_URL": pg_url},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "HEAVY [] PSYCOPG True" in done.stdout
    assert '"id": "strategy/eviction-right-to-counsel"' in done.stdout


def test_store_dimension_change_recreates_the_table(pg_url: str) -> None:
    from mobility_kg.search.vector_store import ChunkRow

    store = PgVectorStore.connect(pg_url)
    row = ChunkRow("term/x@0", "h", "term/x", "term", (), ())
    store.sync([row], np.ones((1, 3), dtype=np.float32) / np.sqrt(3), "m", "set-a")
    report = store.sync([row], np.ones((1, 4), dtype=np.float32) / 2, "m", "set-b")
    assert (report.written, report.kept) == (1, 0)
    assert store.in_sync("set-b") and not store.in_sync("set-a")
    store.close()


def test_parity_with_faiss_on_the_evaluation_questions(
    shipped_settings: Settings, pg_server: PgTestServer, embedder: MiniLMEmbedder
) -> None:
    """Top-10 hits agree with FAISS's at >= 99% of positions, eval figures within 0.005."""
    url = pg_server.new_database()
    manifest_search = SearchEngine.open(shipped_settings.data_dir, embedder).manifest
    assert sync_built(shipped_settings.data_dir, manifest_search, url) is not None
    faiss = SearchEngine.open(shipped_settings.data_dir, embedder)
    pg = SearchEngine.open(shipped_settings.data_dir, embedder, pgvector_url=url)
    questions = read_questions(QUESTIONS)
    for mode in SearchMode:
        same = total = 0
        ranked_faiss: dict[str, list[str]] = {}
        ranked_pg: dict[str, list[str]] = {}
        for question in questions:
            a = ranked_faiss[question.question] = ids(faiss, question.question, mode)
            b = ranked_pg[question.question] = ids(pg, question.question, mode)
            total += max(len(a), len(b))
            same += sum(1 for x, y in zip(a, b, strict=False) if x == y)
        assert same / total >= 0.99, (mode, same, total)
        want = evaluate(mode.value, questions, ranked_faiss.__getitem__)
        got = evaluate(mode.value, questions, ranked_pg.__getitem__)
        assert got.ndcg_at_10 == pytest.approx(want.ndcg_at_10, abs=0.005)
        assert got.mrr_at_10 == pytest.approx(want.mrr_at_10, abs=0.005)
        for cut in got.recall:
            assert got.recall[cut] == pytest.approx(want.recall[cut], abs=0.005)
    pg.close()


def test_the_api_answers_from_pgvector_as_from_faiss(
    mini_copy: Settings, pg_url: str, embedder: MiniLMEmbedder
) -> None:
    from fastapi.testclient import TestClient

    from mobility_kg.api.app import create_app

    build(mini_copy.with_(pgvector_url=pg_url), embedder=embedder)
    answers = []
    for settings in (mini_copy, mini_copy.with_(pgvector_url=pg_url)):
        with TestClient(create_app(settings)) as client:
            dense = client.app.state.kg.engine.dense  # type: ignore[attr-defined]
            assert isinstance(dense, PgVectorIndex) == bool(settings.pgvector_url)
            answers.append(
                [
                    client.get("/api/search", params=params).json()
                    for params in (
                        {"q": "eviction"},
                        {"q": "eviction", "mode": "dense", "type": "strategy"},
                        {"q": "jobs and work", "pillar": "pillar/rewarding-work"},
                    )
                ]
            )
            assert client.get("/api/ask", params={"q": "what helps tenants?"}).status_code == 200
    assert answers[0] == answers[1]
    assert answers[1][1]["data"][0]["id"] == "strategy/eviction-right-to-counsel"
    assert answers[1][1]["count"] == 3
