"""Every error as application/problem+json (RFC 9457): one shape on every route."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mobility_kg.errors import MobilityKGError

PROBLEM_TYPE = "application/problem+json"
log = logging.getLogger("mobility_kg.api")

# Attributes of an error that become extension members of its problem document.
EXTENSIONS = ("compact_id", "suggestions", "name", "path", "line", "column", "field", "differences")


def problem(
    status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any
) -> JSONResponse:
    body = {"type": type_, "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE)


def _slug(name: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


async def _library_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, MobilityKGError)
    extra = {k: getattr(error, k) for k in EXTENSIONS if getattr(error, k, None) not in (None, [])}
    return problem(
        error.status, error.title, str(error), f"/problems/{_slug(type(error).__name__)}", **extra
    )


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return problem(
        422,
        "Invalid request",
        f"{where}: {first['msg']}",
        "/problems/invalid-request",
        errors=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in error.errors()],
    )


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return problem(error.status_code, str(error.detail), str(error.detail))


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(500, "Internal error", "the server failed; the error was logged")


def install(app: FastAPI) -> None:
    """Register the handlers: library errors, request validation, HTTP errors, the rest."""
    app.add_exception_handler(MobilityKGError, _library_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "content": {PROBLEM_TYPE: {}}}
    for status, description in (
        (400, "Bad parameter"),
        (404, "Unknown entity"),
        (422, "Invalid request"),
        (503, "No usable build"),
    )
}
