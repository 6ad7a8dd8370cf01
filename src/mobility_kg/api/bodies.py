"""Request bodies: their media type, and their text in UTF-8, checked before anything reads
them (the SPARQL endpoint's query, a document to add); and the URL's query in UTF-8."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote, unquote_to_bytes

from fastapi import Request

from mobility_kg.errors import InvalidParameter, MobilityKGError, UnsupportedMediaType

UTF8_CHARSETS = ("", "utf-8", "utf8", "us-ascii")


class BodyNotUtf8(UnsupportedMediaType):
    """A body of an accepted type whose bytes are not UTF-8 (HTTP 415); ``offset`` is the
    byte offset of the first byte that does not decode."""

    title = "Request body not in UTF-8"

    def __init__(self, error: UnicodeDecodeError, supported: Sequence[str]) -> None:
        self.given = "(not UTF-8)"
        self.supported = list(supported)
        self.offset = error.start
        byte = error.object[error.start]
        MobilityKGError.__init__(
            self,
            f"the body is not UTF-8: byte 0x{byte:02x} at offset {error.start} does not decode;"
            f" send {', '.join(supported)} in UTF-8",
        )


def media_type(request: Request) -> str:
    """The request's Content-Type without parameters, lower-case ("" when absent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def charset(content_type: str) -> str:
    """The ``charset`` parameter of a Content-Type header, lower-case ("" when absent)."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


def body_text(request: Request, body: bytes, supported: Sequence[str]) -> str:
    """The body of a request whose media type is one of ``supported``, as text.

    Raises:
        UnsupportedMediaType: a ``charset`` other than UTF-8 (or its subset US-ASCII) (415).
        BodyNotUtf8: bytes that are not UTF-8, whatever the header says (415).
    """
    header = request.headers.get("content-type", "")
    if charset(header) not in UTF8_CHARSETS:
        raise UnsupportedMediaType(header, [f"{t}; charset=UTF-8" for t in supported])
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyNotUtf8(error, supported) from None


def query_in_utf8(request: Request) -> None:
    """Refuse a URL whose query parameters, once percent-decoded, are not UTF-8 (``?q=%FF``):
    read leniently, they would reach the search or the SPARQL store with U+FFFD in them.

    Raises:
        InvalidParameter: naming the first such parameter (HTTP 400).
    """
    raw: bytes = request.scope.get("query_string", b"")
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        for part, what in ((name, "its name"), (value, "its value")):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError as error:
                shown = unquote(name.decode("latin-1"), errors="replace")
                raise InvalidParameter(
                    shown, f"{what} is not UTF-8 once percent-decoded (byte {error.start})"
                ) from None
