from pathlib import Path

import pytest

from mobility_kg.config import Settings
from mobility_kg.errors import ConfigError


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "MOBILITY_KG_DATA_DIR": str(tmp_path / "d"),
            "MOBILITY_KG_BASE_IRI": "https://example.org/kg/",
        }
    )
    assert settings.data_dir == tmp_path / "d"
    assert settings.base_iri == "https://example.org/kg/"


def test_flags_override_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({"MOBILITY_KG_DATA_DIR": "/nowhere"}).with_(data_dir=tmp_path)
    assert settings.data_dir == tmp_path


def test_default_corpus_is_the_shipped_one() -> None:
    settings = Settings.from_env({})
    assert settings.corpus_dir == Path(__file__).resolve().parents[1] / "corpus"


def test_invalid_base_iri_names_the_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"MOBILITY_KG_BASE_IRI": "ftp://x/"})
    assert str(caught.value) == "MOBILITY_KG_BASE_IRI: must be an http(s) IRI, got 'ftp://x/'"


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({})
    with pytest.raises(AttributeError):
        settings.base_iri = "https://example.org/"  # type: ignore[misc]


def test_cors_origins_from_the_environment() -> None:
    settings = Settings.from_env(
        {"MOBILITY_KG_CORS_ORIGINS": "https://a.example, http://b.example:8080"}
    )
    assert settings.cors_origins == ("https://a.example", "http://b.example:8080")
    with pytest.raises(ConfigError, match="'ftp://c' is not an http"):
        Settings.from_env({"MOBILITY_KG_CORS_ORIGINS": "ftp://c"})


def test_pgvector_settings_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "MOBILITY_KG_PGVECTOR_URL": "postgresql://kg:secret@db:5432/kg",
            "MOBILITY_KG_PGVECTOR_EF_SEARCH": "200",
        }
    )
    assert (settings.pgvector_url, settings.pgvector_ef_search) == (
        "postgresql://kg:secret@db:5432/kg",
        200,
    )
    assert "secret" not in repr(settings)
    assert Settings.from_env({}).pgvector_url == ""  # empty: FAISS


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("MOBILITY_KG_PGVECTOR_URL", "mysql://db/kg", "must start with postgresql://"),
        ("MOBILITY_KG_PGVECTOR_EF_SEARCH", "0", "must be between 1 and 1000, got 0"),
        ("MOBILITY_KG_PGVECTOR_EF_SEARCH", "many", "not a number: 'many'"),
    ],
)
def test_bad_pgvector_settings_name_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=f"^{variable}: {message}"):
        Settings.from_env({variable: value})


def test_remote_store_settings_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "MOBILITY_KG_STORE_QUERY_URL": "http://127.0.0.1:8890/sparql",
            "MOBILITY_KG_STORE_GRAPH_URL": "http://127.0.0.1:8890/sparql-graph-crud-auth",
            "MOBILITY_KG_STORE_USER": "dba",
            "MOBILITY_KG_STORE_PASSWORD": "secret",
            "MOBILITY_KG_STORE_AUTH": "digest",
            "MOBILITY_KG_STORE_TIMEOUT": "2.5",
            "MOBILITY_KG_STORE_PAGE_SIZE": "5000",
        }
    )
    assert settings.remote_store
    assert (settings.store_auth, settings.store_timeout, settings.store_page_size) == (
        "digest",
        2.5,
        5000,
    )
    assert "secret" not in repr(settings)
    assert not Settings.from_env({}).remote_store


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "STORE_QUERY_URL",
            "localhost:7878/query",
            "must be an http(s) URL, got 'localhost:7878/query'",
        ),
        ("STORE_AUTH", "kerberos", "'kerberos' is not one of basic, digest"),
        ("STORE_TIMEOUT", "0", "must be positive, got 0.0"),
        ("STORE_PAGE_SIZE", "many", "not a number: 'many'"),
    ],
)
def test_bad_remote_store_settings_name_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({f"MOBILITY_KG_{name}": value})
    assert str(caught.value) == f"MOBILITY_KG_{name}: {message}"
