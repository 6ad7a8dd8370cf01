"""Adding and removing documents over HTTP: API key, validation first, one atomic commit.

Registered only when an API key is configured. After a commit the app's state is replaced by
one opened on the new build; requests already running finish on the state they started with.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from mobility_kg.api.bodies import body_text, media_type
from mobility_kg.api.deps import StateDep
from mobility_kg.api.problems import PROBLEM_RESPONSES
from mobility_kg.api.state import AppState
from mobility_kg.documents import add_document, remove_document
from mobility_kg.errors import Forbidden, RequestTooLarge, Unauthorized, UnsupportedMediaType
from mobility_kg.ids import EntityType

MAX_DOCUMENT_BYTES = 256 * 1024
ACCEPTED_TYPES = ("text/markdown", "text/plain", "text/turtle")


class DocumentOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "strategy/job-fairs-at-libraries",
                    "action": "added",
                    "embedded": 1,
                    "reused": 644,
                }
            ]
        }
    )
    id: str
    action: str
    embedded: int
    reused: int


router = APIRouter(
    prefix="/api/documents",
    tags=["documents"],
    responses={
        **PROBLEM_RESPONSES,
        401: {"description": "No key"},
        403: {"description": "Wrong key"},
        409: {"description": "Conflict"},
        413: {"description": "Too large"},
        415: {"description": "Not Markdown or Turtle, or not UTF-8"},
    },
)
KeyHeader = Annotated[str | None, Header(alias="X-API-Key")]


def _authorise(state: AppState, key: str | None) -> None:
    expected = state.settings.api_key or ""
    if not key:
        raise Unauthorized("send the API key in the X-API-Key header")
    if not hmac.compare_digest(key.encode(), expected.encode()):
        raise Forbidden("the API key does not match")


def _reopen(request: Request) -> None:
    from mobility_kg.api.app import refresh_state  # the app module imports this one

    refresh_state(request.app)


@router.post(
    "", response_model=DocumentOut, status_code=201, summary="Add a document (Markdown or Turtle)"
)
async def add(request: Request, state: StateDep, x_api_key: KeyHeader = None) -> DocumentOut:
    """Validate a document in the corpus format, then add it to graph, index and files at once."""
    _authorise(state, x_api_key)
    kind = media_type(request)
    if kind not in ACCEPTED_TYPES:
        raise UnsupportedMediaType(kind or "(none)", ACCEPTED_TYPES)
    body = await request.body()
    if len(body) > MAX_DOCUMENT_BYTES:
        raise RequestTooLarge(
            f"the document is {len(body)} bytes; the limit is {MAX_DOCUMENT_BYTES}"
        )
    text = body_text(request, body, ACCEPTED_TYPES)  # not UTF-8: 415 before any parsing

    def commit() -> DocumentOut:
        # The data dir's write lock (in add_document) orders writers across workers; new
        # chunks are embedded with the build's exact encoder, whatever the query encoder.
        added, result = add_document(state.settings, text, turtle=kind == "text/turtle")
        _reopen(request)
        return DocumentOut(id=added, action="added", embedded=result.embedded, reused=result.reused)

    return await run_in_threadpool(commit)


@router.delete("/{type}/{slug}", response_model=DocumentOut, summary="Remove an added document")
async def remove(
    request: Request, state: StateDep, type: EntityType, slug: str, x_api_key: KeyHeader = None
) -> DocumentOut:
    """Remove a document added earlier, from graph, index and files at once."""
    _authorise(state, x_api_key)
    compact = f"{type.value}/{slug}"

    def commit() -> DocumentOut:
        result = remove_document(state.settings, compact)
        _reopen(request)
        return DocumentOut(
            id=compact, action="removed", embedded=result.embedded, reused=result.reused
        )

    return await run_in_threadpool(commit)
