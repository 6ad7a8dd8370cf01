"""The error tree of mobility-kg.

Every error raised on purpose by library code is a :class:`MobilityKGError`. Each class knows
the CLI exit code and the HTTP status it maps to, and a short ``title`` for problem+json.
``str(error)`` is one line that starts with the location at fault, when there is one.

    MobilityKGError
    ├── CorpusError             a corpus file is malformed, incomplete or inconsistent
    ├── DataError               an upstream data file is unusable (file, line, column)
    │   ├── MissingColumn       a column the source needs is not in the header
    │   ├── MalformedNumber     a cell that must be a number is not
    │   ├── UnknownFips         a FIPS code that names no county or city
    │   ├── QualityOutOfRange   a quality flag other than 1, 2, 3 or blank
    │   └── DuplicateRow        a second row for the same variable, place, year and subgroup
    ├── ShapeViolation          the built graph breaks SHACL shapes
    ├── UnknownEntityError      a compact id names no entity
    ├── InvalidIdError          a string is not a well-formed compact id
    ├── InvalidParameter        an argument out of its range (depth, k...)
    ├── UnsupportedFormat       an export or serialisation format we do not offer
    ├── UnsupportedMediaType    a request body of a type the route does not read
    ├── RequestTooLarge         a request body over the size limit
    ├── Unauthorized            a write without an API key
    ├── Forbidden               a write with the wrong API key
    ├── DocumentConflict        an added id already exists, or a shipped document is removed
    ├── QueryError              a SPARQL query the endpoint will not answer
    │   ├── SparqlSyntax        it does not parse (line and column)
    │   ├── QueryNotAllowed     an update, LOAD or SERVICE: the endpoint is read-only
    │   ├── QueryTimeout        it ran past the time limit and was stopped
    │   └── ResultTooLarge      its result passed the size limit
    ├── StoreError              the remote SPARQL store cannot answer (down, slow, refusing)
    │   ├── StoreUnavailable    no connection, the connection dropped, or a 5xx answer
    │   ├── StoreTimeout        no complete answer within the store timeout
    │   └── StoreRefused        a 4xx answer (credentials, a query the server rejects)
    ├── ArtifactError
    │   ├── MissingArtifact     no build in the data dir, or a file of it is gone
    │   ├── StaleArtifact       the build no longer matches the corpus or settings
    │   ├── ModelUnavailable    the embedding model cannot be loaded from its package
    │   └── VectorStoreUnavailable  the PostgreSQL vector store cannot be reached or used
    └── ConfigError             a setting (flag or environment variable) is invalid
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mobility_kg.plural import counted


class MobilityKGError(Exception):
    """Root of every error mobility-kg raises on purpose."""

    exit_code: int = 1
    status: int = 500
    title: str = "mobility-kg error"


class CorpusError(MobilityKGError):
    """A corpus file cannot be turned into records: syntax, missing field, bad reference."""

    exit_code = 3
    status = 422
    title = "Invalid corpus document"

    def __init__(
        self, path: Path | str, message: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        location = self.path if line is None else f"{self.path}:{line}"
        where = f' field "{field}":' if field else ""
        super().__init__(f"{location}:{where} {message}")


class DataError(MobilityKGError):
    """An upstream data file cannot be imported; ``path``, ``line`` and ``column`` locate it."""

    exit_code = 3
    status = 422
    title = "Invalid data file"

    def __init__(
        self, path: Path | str, message: str, *, line: int | None = None, column: str | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message
        location = self.path if line is None else f"{self.path}:{line}"
        where = f' column "{column}":' if column else ""
        super().__init__(f"{location}:{where} {message}")


class MissingColumn(DataError):
    """The header lacks a column the source needs."""


class MalformedNumber(DataError):
    """A value, bound, year or code that must be a number is not."""


class UnknownFips(DataError):
    """A state, county or place code that names no county or city of the crosswalk."""


class QualityOutOfRange(DataError):
    """A quality flag other than 1 (Strong), 2 (Marginal), 3 (Weak) or blank."""


class DuplicateRow(DataError):
    """A second row for the same variable, place, year and subgroup."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: the node at fault, the property path, and the shape's message."""

    focus_node: str
    path: str
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        return f"{self.focus_node} {self.path}: {self.message}"


class ShapeViolation(MobilityKGError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 1
    status = 422
    title = "Graph violates SHACL shapes"

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        first = self.violations[0] if self.violations else "no details"
        more = f" (and {len(self.violations) - 1} more)" if len(self.violations) > 1 else ""
        super().__init__(f"{counted(len(self.violations), 'SHACL violation')}: {first}{more}")


class UnknownEntityError(MobilityKGError):
    """No entity has this compact id; ``suggestions`` holds the closest existing ids."""

    exit_code = 4
    status = 404
    title = "Unknown entity"

    def __init__(self, compact_id: str, suggestions: Sequence[str] = ()) -> None:
        self.compact_id = compact_id
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"{compact_id}: no such entity{hint}")


class InvalidIdError(MobilityKGError):
    """A string is not a compact id of the form ``<type>/<slug>`` with a known type."""

    exit_code = 2
    status = 400
    title = "Invalid entity id"

    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r}: {reason}")


class InvalidParameter(MobilityKGError):
    """An argument outside what the operation accepts; ``name`` is the parameter."""

    exit_code = 2
    status = 400
    title = "Invalid parameter"

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")


class UnsupportedFormat(MobilityKGError):
    """An RDF format we do not serialise."""

    exit_code = 2
    status = 406
    title = "Unsupported format"

    def __init__(self, name: str, supported: Sequence[str]) -> None:
        self.name = name
        self.supported = list(supported)
        super().__init__(f"format {name!r} is not supported; use one of {', '.join(supported)}")


class UnsupportedMediaType(MobilityKGError):
    """A request body whose Content-Type the route does not read (HTTP 415)."""

    exit_code = 2
    status = 415
    title = "Unsupported media type"

    def __init__(self, given: str, supported: Sequence[str]) -> None:
        self.given = given
        self.supported = list(supported)
        super().__init__(f"Content-Type {given!r} is not read here; use {', '.join(supported)}")


class DocumentConflict(MobilityKGError):
    """Adding an id that exists, or removing a document of the shipped corpus."""

    exit_code = 3
    status = 409
    title = "Document conflict"

    def __init__(self, compact_id: str, message: str) -> None:
        self.compact_id = compact_id
        super().__init__(f"{compact_id}: {message}")


class RequestTooLarge(MobilityKGError):
    """A request body over the limit; nothing of it was used."""

    exit_code = 2
    status = 413
    title = "Request too large"


class Unauthorized(MobilityKGError):
    """A document write sent without the API key."""

    exit_code = 2
    status = 401
    title = "API key required"


class Forbidden(MobilityKGError):
    """A document write sent with a key that does not match."""

    exit_code = 2
    status = 403
    title = "Wrong API key"


class QueryError(MobilityKGError):
    """A SPARQL query that is refused or failed."""

    exit_code = 2
    status = 400
    title = "Query refused"


class SparqlSyntax(QueryError):
    """The query does not parse; ``line`` and ``column`` point at the problem."""

    title = "SPARQL syntax error"

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")


class QueryNotAllowed(QueryError):
    """Updates, LOAD and SERVICE are refused before anything runs."""

    title = "Query not allowed"


class QueryTimeout(QueryError):
    """The query ran past the time limit and its worker was stopped."""

    status = 503
    title = "Query timed out"


class ResultTooLarge(QueryError):
    """The serialised result passed the size limit."""

    status = 422
    title = "Query result too large"


class StoreError(MobilityKGError):
    """The remote SPARQL store did not answer as needed; ``url`` is the address asked."""

    exit_code = 6
    status = 503
    title = "Graph store unavailable"

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        self.message = message
        super().__init__(f"{url}: {message}")


class StoreUnavailable(StoreError):
    """No connection, a dropped connection, or a server error (5xx)."""


class StoreTimeout(StoreError):
    """No complete answer within the store's timeout."""

    title = "Graph store timed out"


class StoreRefused(StoreError):
    """The server refused the request (4xx): wrong credentials, or a request it rejects."""

    title = "Graph store refused the request"


class ArtifactError(MobilityKGError):
    """The data dir does not hold a usable build."""

    exit_code = 5
    status = 503
    title = "Artifacts unavailable"


class MissingArtifact(ArtifactError):
    """No build, or a file the manifest names is missing."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{path}: {message}")


class StaleArtifact(ArtifactError):
    """The build was made from another corpus, settings or package version."""

    title = "Artifacts are stale"

    def __init__(self, path: Path | str, differences: Sequence[str]) -> None:
        self.path = str(path)
        self.differences = list(differences)
        super().__init__(f"{path}: build is stale ({'; '.join(self.differences)}); run build")


class RankerFileError(ArtifactError):
    """The learned ranker's weights file cannot be read or does not fit this version."""

    title = "Learned ranker unusable"

    def __init__(self, path: str, field: str, message: str) -> None:
        self.path = path
        self.field = field
        super().__init__(f"{path}: {field}: {message}")


class ModelUnavailable(ArtifactError):
    """The embedding model cannot be loaded from the installed package."""

    title = "Embedding model unavailable"


class VectorStoreUnavailable(ArtifactError):
    """The PostgreSQL (pgvector) vector store cannot be reached, or lacks the build's vectors."""

    title = "Vector store unavailable"

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        super().__init__(f"{where}: {message}")


class ConfigError(MobilityKGError):
    """A setting is invalid; ``name`` is the flag or environment variable."""

    exit_code = 2
    status = 500
    title = "Invalid configuration"

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")
