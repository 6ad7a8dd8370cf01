"""Every error as application/problem+json (RFC 9457): one shape on every route."""

from __future__ import annotations

import difflib
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mobility_kg.api.methods import ORIGINAL_METHOD, allowed_methods
from mobility_kg.api.negotiation import prefers_html
from mobility_kg.api.validation import message
from mobility_kg.errors import MobilityKGError
from mobility_kg.ids import EntityType

PROBLEM_TYPE = "application/problem+json"
log = logging.getLogger("mobility_kg.api")

# Attributes of an error that become extension members of its problem document.
EXTENSIONS = (
    "compact_id",
    "suggestions",
    "name",
    "path",
    "line",
    "column",
    "field",
    "differences",
    "supported",
    "offset",
)


def problem(
    status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any
) -> JSONResponse:
    body = {"type": type_, "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE)


def _browser_page(
    request: Request, status: int, title: str, detail: str, suggestions: list[str]
) -> Response:
    """The error as an HTML page, with the closest entities as links (title and id)."""
    from mobility_kg.api.web.pages import TEMPLATES  # templates load only when a page is drawn

    if not suggestions:
        suggestions = _suggestions_for_path(request)
    state = getattr(request.app.state, "kg", None)
    named = [
        (s, state.graph.label(s) if state is not None and s in state.graph.nx else s)
        for s in suggestions
    ]
    context = {"status": status, "title": title, "detail": detail, "suggestions": named}
    return TEMPLATES.TemplateResponse(
        request, "error.html", context, status_code=status, headers={"Vary": "Accept"}
    )


def _suggestions_for_path(request: Request) -> list[str]:
    """The closest existing ids: for a mistyped entity path (/id/..., /api/entities/...), and
    for a path that ends in a kind of entity and a name (/places/27123, /strategies/...)."""
    from mobility_kg.graph.inspect import suggest_ids

    state = getattr(request.app.state, "kg", None)
    if state is None:
        return []
    path = request.url.path
    known = [t.value for t in EntityType]
    for prefix in ("/id/", "/api/entities/"):
        if path.startswith(prefix):
            type_name, _, slug = path[len(prefix) :].partition("/")
            if type_name not in known:  # a mistyped type: read it as the closest type
                type_name = next(iter(difflib.get_close_matches(type_name, known, n=1)), type_name)
            return (
                suggest_ids(state.built.graph, f"{type_name}/{slug.split('/')[0]}") if slug else []
            )
    segments = [s for s in path.split("/") if s]
    if len(segments) >= 2:
        kind = difflib.get_close_matches(segments[-2].lower(), known, n=1, cutoff=0.7)
        if kind:
            return suggest_ids(state.built.graph, f"{kind[0]}/{segments[-1]}")
    return []


def respond(
    request: Request, status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any
) -> Response:
    """problem+json for API clients; an HTML page for a browser (Accept ranks text/html first)."""
    if prefers_html(request.headers.get("accept"), [PROBLEM_TYPE, "application/json"]):
        return _browser_page(request, status, title, detail, list(extra.get("suggestions", [])))
    return problem(status, title, detail, type_, **extra)


def _slug(name: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


async def _library_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, MobilityKGError)
    extra = {k: getattr(error, k) for k in EXTENSIONS if getattr(error, k, None) not in (None, [])}
    return respond(
        request,
        error.status,
        error.title,
        str(error),
        f"/problems/{_slug(type(error).__name__)}",
        **extra,
    )


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    found = error.errors()
    return respond(
        request,
        422,
        "Invalid request",
        message(found[0]),
        "/problems/invalid-request",
        errors=[{"loc": list(e["loc"]), "msg": message(e)} for e in found],
    )


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    detail = str(error.detail)
    headers = dict(error.headers or {})
    if error.status_code == 404 and detail == "Not Found":  # no route: say which address
        detail = f"There is no page at {request.url.path}."
    elif error.status_code == 405:
        method = request.scope.get(ORIGINAL_METHOD, request.method)
        detail = f"{request.url.path} does not take {method} requests."
        # Every route of the path, not only the one the router tried (RFC 9110, 15.5.6).
        headers["Allow"] = ", ".join(allowed_methods(request.scope))
    response = respond(request, error.status_code, str(error.detail), detail)
    response.headers.update(headers)
    return response


async def _unexpected(request: Request, error: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return respond(request, 500, "Internal error", "the server failed; the error was logged")


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
