"""Settings: one typed, frozen object built at the edge (CLI, API) and passed down.

Only :meth:`Settings.from_env` reads the environment; library code takes the values it needs
as parameters.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from mobility_kg.errors import ConfigError
from mobility_kg.ids import DEFAULT_BASE_IRI

ENV_PREFIX = "MOBILITY_KG_"

# name -> help line; feeds the CLI help and the README's settings table (tests check both).
SETTING_HELP: dict[str, str] = {
    "data_dir": "Where build artifacts live (env MOBILITY_KG_DATA_DIR; default: user data dir).",
    "corpus_dir": "The corpus to build from (env MOBILITY_KG_CORPUS; default: shipped corpus).",
    "base_iri": "Base IRI of entity IRIs (env MOBILITY_KG_BASE_IRI).",
    "sparql_timeout": "Seconds a SPARQL query may run (env MOBILITY_KG_SPARQL_TIMEOUT).",
    "api_key": "Key for adding and removing documents over HTTP (env MOBILITY_KG_API_KEY).",
    "cors_origins": "Browser origins allowed to call the API (env MOBILITY_KG_CORS_ORIGINS).",
    "sparql_max_result_bytes": (
        "Largest SPARQL result served, in bytes (env MOBILITY_KG_SPARQL_MAX_RESULT_BYTES)."
    ),
    "query_encoder": ("Query encoder: onnx (exact) or onnx-int8 (env MOBILITY_KG_QUERY_ENCODER)."),
    "cache_dir": (
        "Where exported query encoders are kept between builds (env MOBILITY_KG_CACHE_DIR)."
    ),
    "pgvector_url": (
        "PostgreSQL URL of a pgvector vector store; empty: FAISS (env MOBILITY_KG_PGVECTOR_URL)."
    ),
    "pgvector_ef_search": (
        "HNSW candidates per pgvector search, 1-1000 (env MOBILITY_KG_PGVECTOR_EF_SEARCH)."
    ),
    "store_query_url": (
        "SPARQL 1.1 query endpoint of a remote graph store; set, every read asks it "
        "(env MOBILITY_KG_STORE_QUERY_URL)."
    ),
    "store_update_url": (
        "SPARQL 1.1 update endpoint of the remote store, for publish "
        "(env MOBILITY_KG_STORE_UPDATE_URL; default: the query URL)."
    ),
    "store_graph_url": (
        "Graph Store HTTP Protocol endpoint of the remote store, for publish "
        "(env MOBILITY_KG_STORE_GRAPH_URL)."
    ),
    "store_user": "User name for the remote store (env MOBILITY_KG_STORE_USER).",
    "store_password": "Password for the remote store (env MOBILITY_KG_STORE_PASSWORD).",
    "store_auth": "HTTP authentication to the remote store: basic or digest "
    "(env MOBILITY_KG_STORE_AUTH).",
    "store_timeout": "Seconds a request to the remote store may take "
    "(env MOBILITY_KG_STORE_TIMEOUT).",
    "store_union_default": "The remote store's default graph is the union of its named graphs, "
    "so queries name no dataset (env MOBILITY_KG_STORE_UNION_DEFAULT=1).",
    "store_page_size": "Rows per request when reading large results from the remote store "
    "(env MOBILITY_KG_STORE_PAGE_SIZE).",
}

QUERY_ENCODERS = ("onnx", "onnx-int8")
STORE_AUTHS = ("basic", "digest")


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("mobility-kg", appauthor=False)


def default_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("mobility-kg", appauthor=False)


def shipped_corpus_dir() -> Path | None:
    """The corpus that ships with the package: inside it when installed, else in the checkout."""
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "corpus", package_dir.parents[1] / "corpus"):
        if (candidate / "ontology" / "umf.ttl").is_file():
            return candidate
    return None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable. Immutable; derive a variant with :meth:`with_`."""

    data_dir: Path = field(default_factory=default_data_dir)
    corpus_dir: Path | None = field(default_factory=shipped_corpus_dir)
    base_iri: str = DEFAULT_BASE_IRI
    sparql_timeout: float = 10.0
    sparql_max_result_bytes: int = 20_000_000
    cors_origins: tuple[str, ...] = ()
    api_key: str | None = field(default=None, repr=False)
    query_encoder: str = "onnx"
    cache_dir: Path = field(default_factory=default_cache_dir)
    pgvector_url: str = field(default="", repr=False)  # may hold a password
    pgvector_ef_search: int = 100
    store_query_url: str | None = None
    store_update_url: str | None = None
    store_graph_url: str | None = None
    store_user: str | None = None
    store_password: str | None = field(default=None, repr=False)
    store_auth: str = "basic"
    store_timeout: float = 10.0
    store_page_size: int = 10_000
    store_union_default: bool = False

    @property
    def remote_store(self) -> bool:
        """Whether reads go to a remote SPARQL store instead of the data dir's."""
        return self.store_query_url is not None

    def __post_init__(self) -> None:
        for name in ("store_query_url", "store_update_url", "store_graph_url"):
            url = getattr(self, name)
            if url is not None and not url.startswith(("http://", "https://")):
                raise ConfigError(name, f"must be an http(s) URL, got {url!r}")
        if self.store_auth not in STORE_AUTHS:
            raise ConfigError(
                "store_auth", f"{self.store_auth!r} is not one of {', '.join(STORE_AUTHS)}"
            )
        if not self.store_timeout > 0:
            raise ConfigError("store_timeout", f"must be positive, got {self.store_timeout}")
        if self.store_page_size < 1:
            raise ConfigError("store_page_size", f"must be positive, got {self.store_page_size}")
        if self.api_key is not None and len(self.api_key) < 8:
            raise ConfigError("api_key", "must be at least 8 characters")
        for origin in self.cors_origins:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ConfigError("cors_origins", f"{origin!r} is not an http(s) origin or *")
        if not self.sparql_timeout > 0:
            raise ConfigError("sparql_timeout", f"must be positive, got {self.sparql_timeout}")
        if self.sparql_max_result_bytes < 1:
            raise ConfigError(
                "sparql_max_result_bytes", f"must be positive, got {self.sparql_max_result_bytes}"
            )
        if self.query_encoder not in QUERY_ENCODERS:
            raise ConfigError(
                "query_encoder",
                f"{self.query_encoder!r} is not one of {', '.join(QUERY_ENCODERS)}",
            )
        if self.pgvector_url and not self.pgvector_url.startswith(("postgresql://", "postgres://")):
            raise ConfigError("pgvector_url", "must start with postgresql:// (or be empty)")
        if not 1 <= self.pgvector_ef_search <= 1000:
            raise ConfigError(
                "pgvector_ef_search", f"must be between 1 and 1000, got {self.pgvector_ef_search}"
            )
        if not self.base_iri.startswith(("http://", "https://")):
            raise ConfigError("base_iri", f"must be an http(s) IRI, got {self.base_iri!r}")
        if not self.base_iri.endswith(("/", "#")):
            raise ConfigError("base_iri", f"must end with '/' or '#', got {self.base_iri!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``MOBILITY_KG_*`` variables, defaults for the rest.

        Raises:
            ConfigError: a variable holds an invalid value.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if data_dir := env.get(ENV_PREFIX + "DATA_DIR"):
            values["data_dir"] = Path(data_dir).expanduser()
        if corpus := env.get(ENV_PREFIX + "CORPUS"):
            values["corpus_dir"] = Path(corpus).expanduser()
        if base := env.get(ENV_PREFIX + "BASE_IRI"):
            values["base_iri"] = base
        if cache := env.get(ENV_PREFIX + "CACHE_DIR"):
            values["cache_dir"] = Path(cache).expanduser()
        if encoder := env.get(ENV_PREFIX + "QUERY_ENCODER"):
            values["query_encoder"] = encoder
        if pg_url := env.get(ENV_PREFIX + "PGVECTOR_URL"):
            values["pgvector_url"] = pg_url
        if key := env.get(ENV_PREFIX + "API_KEY"):
            values["api_key"] = key
        for name in (
            "store_query_url",
            "store_update_url",
            "store_graph_url",
            "store_user",
            "store_password",
            "store_auth",
        ):
            if text := env.get(ENV_PREFIX + name.upper()):
                values[name] = text
        if union := env.get(ENV_PREFIX + "STORE_UNION_DEFAULT"):
            values["store_union_default"] = union.strip().lower() in ("1", "true", "yes")
        if origins := env.get(ENV_PREFIX + "CORS_ORIGINS"):
            values["cors_origins"] = tuple(o.strip() for o in origins.split(",") if o.strip())
        numbers: tuple[tuple[str, type[float] | type[int]], ...] = (
            ("sparql_timeout", float),
            ("sparql_max_result_bytes", int),
            ("pgvector_ef_search", int),
            ("store_timeout", float),
            ("store_page_size", int),
        )
        for name, convert in numbers:
            if raw := env.get(ENV_PREFIX + name.upper()):
                try:
                    values[name] = convert(raw)
                except ValueError:
                    raise ConfigError(ENV_PREFIX + name.upper(), f"not a number: {raw!r}") from None
        try:
            return cls(**values)  # type: ignore[arg-type]  # keys are the dataclass fields
        except ConfigError as error:
            raise ConfigError(ENV_PREFIX + error.name.upper(), error.message) from None

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields replaced (None values are ignored)."""
        kept = {key: value for key, value in changes.items() if value is not None}
        return replace(self, **kept)  # type: ignore[arg-type]  # keys checked by dataclass

    def require_corpus(self) -> Path:
        """The corpus folder.

        Raises:
            ConfigError: none was given and no shipped corpus was found.
        """
        if self.corpus_dir is None:
            raise ConfigError("corpus_dir", "no corpus found; pass --corpus DIR")
        return self.corpus_dir
