"""The chunk vectors in PostgreSQL with pgvector.

One table holds every chunk of the build: its id, content hash, entity id, the entity's type,
pillars and predictors (what the search filters test), a fingerprint of all of these with the
model's name, and its vector; an HNSW index (``vector_ip_ops``: inner product, which is the
cosine on these normalised vectors) serves unfiltered searches. A second table records which
chunk set (the manifest's ``chunk_set_hash``) the table holds, so a reader can tell a table
that another build wrote.

Searches:

- unfiltered: ``ORDER BY embedding <#> q LIMIT k`` through the HNSW index, with
  ``hnsw.ef_search`` at least ``k`` (pgvector returns at most ef_search rows from the index);
  past pgvector's ef_search ceiling, or when ``k`` covers the table, an exact scan;
- filtered: the filters are ``WHERE`` conditions of the query that scores every row that
  passes them (an exact scan of those rows, as the FAISS build's filtered search is); the
  engine ranks entities from them. pgvector before 0.8 would filter HNSW results after the
  scan, which can return fewer rows than asked for.

The connection is shared by the threads of a server process and used one query at a time.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from mobility_kg.errors import ConfigError, VectorStoreUnavailable
from mobility_kg.search.dense import Ids, Scores
from mobility_kg.search.embedder import Vectors
from mobility_kg.search.records import Chunk
from mobility_kg.search.vector_store import ChunkFilter, ChunkRow, SyncReport

TABLE = "mobility_kg_chunks"
STATE = "mobility_kg_state"
# pgvector's upper bound for hnsw.ef_search; larger fetches scan exactly.
MAX_EF_SEARCH = 1000
CONNECT_TIMEOUT = 5  # seconds
# Writers of the table take this transaction-level advisory lock in turn.
LOCK_KEY = 0x6D6B6776  # "mkgv"


def redact(url: str) -> str:
    """The URL without its password, fit for an error message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class PgVectorStore:
    """The vector store in a PostgreSQL database with the ``vector`` extension."""

    kind = "pgvector"

    def __init__(self, connection: Any, url: str, ef_search: int) -> None:
        # Any: a psycopg.Connection (psycopg is imported only when this store is used).
        self._conn = connection
        self._lock = threading.Lock()
        self._dsn = url  # with its password: kept only to reconnect
        self.url = redact(url)
        self.ef_search = ef_search

    @classmethod
    def connect(cls, url: str, ef_search: int = 100) -> PgVectorStore:
        """Open a connection to ``url``.

        Raises:
            VectorStoreUnavailable: the server cannot be reached or refuses the login.
            ConfigError: psycopg is not installed (the ``pg`` extra).
        """
        try:
            import psycopg
        except ImportError:
            raise ConfigError(
                "MOBILITY_KG_PGVECTOR_URL",
                "needs psycopg and pgvector: pip install 'mobility-kg[pg]'",
            ) from None
        try:
            connection = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        except psycopg.Error as error:
            raise VectorStoreUnavailable(
                redact(url), f"cannot connect: {_first_line(error)}"
            ) from None
        return cls(connection, url, ef_search)

    def _fail(self, error: BaseException) -> VectorStoreUnavailable:
        return VectorStoreUnavailable(self.url, _first_line(error))

    # ------------------------------------------------------------------ writing

    def sync(self, rows: list[ChunkRow], vectors: Vectors, model: str, set_hash: str) -> SyncReport:
        """Make the table hold exactly ``rows``: delete the rows that are gone or changed,
        insert the new and changed ones (binary COPY), record ``set_hash``; one transaction.

        Raises:
            VectorStoreUnavailable: the server fails or lacks the ``vector`` extension.
        """
        import psycopg
        from pgvector.psycopg import register_vector

        dimension = int(vectors.shape[1])
        wanted = {row.chunk_id: row.fingerprint(model) for row in rows}
        try:
            with self._lock, self._conn.transaction():
                conn = self._conn
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                register_vector(conn)
                self._ensure_schema(dimension)
                existing: dict[str, str] = dict(
                    conn.execute(f"SELECT chunk_id, fingerprint FROM {TABLE}").fetchall()
                )
                stale = [cid for cid, print_ in existing.items() if wanted.get(cid) != print_]
                if stale:
                    conn.execute(f"DELETE FROM {TABLE} WHERE chunk_id = ANY(%s)", (stale,))
                fresh = [
                    i
                    for i, row in enumerate(rows)
                    if existing.get(row.chunk_id) != wanted[row.chunk_id]
                ]
                with (
                    conn.cursor() as cursor,
                    cursor.copy(
                        f"COPY {TABLE} (chunk_id, content_hash, entity_id, entity_type, pillars,"
                        " predictors, fingerprint, embedding) FROM STDIN WITH (FORMAT BINARY)"
                    ) as copy,
                ):
                    copy.set_types(
                        ["text", "text", "text", "text", "text[]", "text[]", "text", "vector"]
                    )
                    for i in fresh:
                        row = rows[i]
                        copy.write_row(
                            [
                                row.chunk_id,
                                row.content_hash,
                                row.entity_id,
                                row.entity_type,
                                list(row.pillars),
                                list(row.predictors),
                                wanted[row.chunk_id],
                                np.asarray(vectors[i], dtype=np.float32),
                            ]
                        )
                conn.execute(
                    f"INSERT INTO {STATE} (key, value) VALUES ('chunk_set_hash', %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    (set_hash,),
                )
        except psycopg.Error as error:
            raise self._fail(error) from None
        removed = sum(1 for cid in stale if cid not in wanted)
        return SyncReport(written=len(fresh), deleted=removed, kept=len(rows) - len(fresh))

    def _ensure_schema(self, dimension: int) -> None:
        conn = self._conn
        current = conn.execute(
            "SELECT atttypmod FROM pg_attribute WHERE attrelid = to_regclass(%s)"
            " AND attname = 'embedding'",
            (TABLE,),
        ).fetchone()
        if current is not None and current[0] != dimension:
            conn.execute(f"DROP TABLE {TABLE}")  # vectors of another size: none is reusable
        conn.execute(
            f"""CREATE TABLE IF NOT EXISTS {TABLE} (
                chunk_id text PRIMARY KEY,
                content_hash text NOT NULL,
                entity_id text NOT NULL,
                entity_type text NOT NULL,
                pillars text[] NOT NULL,
                predictors text[] NOT NULL,
                fingerprint text NOT NULL,
                embedding vector({dimension}) NOT NULL
            )"""
        )
        conn.execute(
            f"CREATE INDEX IF NOT EXISTS {TABLE}_hnsw ON {TABLE}"
            " USING hnsw (embedding vector_ip_ops) WITH (m = 16, ef_construction = 64)"
        )
        conn.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_type ON {TABLE} (entity_type)")
        conn.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_pillars ON {TABLE} USING gin (pillars)")
        conn.execute(
            f"CREATE INDEX IF NOT EXISTS {TABLE}_predictors ON {TABLE} USING gin (predictors)"
        )
        conn.execute(f"CREATE TABLE IF NOT EXISTS {STATE} (key text PRIMARY KEY, value text)")

    # ------------------------------------------------------------------ reading

    def in_sync(self, set_hash: str) -> bool:
        """Whether the table holds the chunk set ``set_hash``.

        Raises:
            VectorStoreUnavailable: the server fails.
        """
        return self._stored_set_hash() == set_hash

    def _stored_set_hash(self) -> str | None:
        import psycopg

        try:
            with self._lock:
                exists = self._conn.execute("SELECT to_regclass(%s)", (STATE,)).fetchone()
                if exists is None or exists[0] is None:
                    return None
                found = self._conn.execute(
                    f"SELECT value FROM {STATE} WHERE key = 'chunk_set_hash'"
                ).fetchone()
        except psycopg.Error as error:
            raise self._fail(error) from None
        return None if found is None else str(found[0])

    def open_index(self, chunks: list[Chunk], vectors: Vectors, set_hash: str) -> PgVectorIndex:
        """The table as an index over the rows of ``chunks``.

        Raises:
            VectorStoreUnavailable: the server fails, or the table holds another build's
                chunks (or none): build with this store configured.
        """
        import psycopg
        from pgvector.psycopg import register_vector

        stored = self._stored_set_hash()
        if stored != set_hash:
            self.close()
            held = "no chunks" if stored is None else f"chunk set {stored[:12]}"
            raise VectorStoreUnavailable(
                self.url,
                f"holds {held}, the build has {set_hash[:12]}; run `mobility-kg build`"
                " with MOBILITY_KG_PGVECTOR_URL set",
            )
        try:
            with self._lock:
                register_vector(self._conn)
                count = self._conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
        except psycopg.Error as error:
            self.close()
            raise self._fail(error) from None
        return PgVectorIndex(self, {c.chunk_id: row for row, c in enumerate(chunks)}, int(count[0]))

    def query(self, sql: str, params: dict[str, object], settings: dict[str, str]) -> list[Any]:
        """Rows of one read query, run in a transaction with ``settings`` (``SET LOCAL``).

        Raises:
            VectorStoreUnavailable: the server fails.
        """
        import psycopg

        with self._lock:
            try:
                return self._read(sql, params, settings)
            except psycopg.OperationalError as error:
                if not self._conn.closed:
                    raise self._fail(error) from None
            except psycopg.Error as error:
                raise self._fail(error) from None
            # The connection was lost (a server restart, an idle timeout): one new try.
            try:
                self._reconnect()
                return self._read(sql, params, settings)
            except psycopg.Error as error:
                raise self._fail(error) from None

    def _read(self, sql: str, params: dict[str, object], settings: dict[str, str]) -> list[Any]:
        with self._conn.transaction():
            for name, value in settings.items():
                self._conn.execute("SELECT set_config(%s, %s, true)", (name, value))
            found: list[Any] = self._conn.execute(sql, params).fetchall()
            return found

    def _reconnect(self) -> None:
        import psycopg
        from pgvector.psycopg import register_vector

        self._conn = psycopg.connect(self._dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        register_vector(self._conn)

    def close(self) -> None:
        self._conn.close()


class PgVectorIndex:
    """A :class:`~mobility_kg.search.dense.VectorIndex` (and
    :class:`~mobility_kg.search.vector_store.FilteredSearch`) over the PostgreSQL table, its
    ids the build's chunk rows. Rows the build does not know are skipped."""

    kind = "pgvector"

    def __init__(self, store: PgVectorStore, rows: dict[str, int], count: int) -> None:
        self.store = store
        self._rows = rows
        self._count = count
        self.exact = False

    def __len__(self) -> int:
        return self._count

    def close(self) -> None:
        self.store.close()

    def add(self, vectors: Vectors) -> None:
        raise NotImplementedError("the table is written by build (sync), not through the index")

    def _result(self, found: list[Any]) -> tuple[Scores, Ids]:
        pairs = [
            (self._rows[cid], -float(distance)) for cid, distance in found if cid in self._rows
        ]
        ids = np.array([row for row, _ in pairs], dtype=np.int64)
        scores = np.array([score for _, score in pairs], dtype=np.float32)
        return scores, ids

    def search(self, queries: Vectors, k: int) -> tuple[Scores, Ids]:
        """Top ``k`` rows for each query: HNSW with ``ef_search`` >= ``k``, exact past
        pgvector's ef_search ceiling or when ``k`` covers the table."""
        k = min(k, self._count)
        if k >= self._count or k > MAX_EF_SEARCH:
            settings = {"enable_indexscan": "off"}
        else:
            settings = {"hnsw.ef_search": str(max(self.store.ef_search, k))}
        results = [
            self._result(
                self.store.query(
                    f"SELECT chunk_id, embedding <#> %(q)s FROM {TABLE}"
                    " ORDER BY embedding <#> %(q)s LIMIT %(k)s",
                    {"q": np.asarray(query, dtype=np.float32), "k": k},
                    settings,
                )
            )
            for query in queries
        ]
        width = min((len(ids) for _, ids in results), default=0)
        scores = np.stack([s[:width] for s, _ in results]) if results else np.zeros((0, 0))
        ids = np.stack([i[:width] for _, i in results]) if results else np.zeros((0, 0))
        return scores.astype(np.float32), ids.astype(np.int64)

    def search_where(self, query: Vectors, where: ChunkFilter) -> tuple[Scores, Ids]:
        """Every row that passes ``where``, best first: the filters are conditions of the
        query that scores the rows (an exact scan of those that pass)."""
        conditions = ["TRUE"]
        params: dict[str, object] = {"q": np.asarray(query, dtype=np.float32).reshape(-1)}
        if where.entity_type is not None:
            conditions.append("entity_type = %(type)s")
            params["type"] = where.entity_type
        if where.pillar is not None:
            conditions.append("pillars @> ARRAY[%(pillar)s]::text[]")
            params["pillar"] = where.pillar
        if where.predictor is not None:
            conditions.append("predictors @> ARRAY[%(predictor)s]::text[]")
            params["predictor"] = where.predictor
        found = self.store.query(
            f"SELECT chunk_id, embedding <#> %(q)s AS distance FROM {TABLE}"
            f" WHERE {' AND '.join(conditions)} ORDER BY distance, chunk_id",
            params,
            # Every passing row is wanted: an HNSW scan would return at most ef_search of them.
            {"enable_indexscan": "off"},
        )
        return self._result(found)
