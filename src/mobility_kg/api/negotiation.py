"""Content negotiation: pick the representation a client prefers from those on offer."""

from __future__ import annotations

from collections.abc import Sequence

from mobility_kg.errors import UnsupportedFormat

HTML = "text/html"


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each range of an Accept header."""
    found = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        found.append((pieces[0].lower(), q, position))
    return found


def negotiate(accept: str | None, offered: Sequence[str]) -> str:
    """The offered media type the Accept header ranks highest (the first offered for */*).

    Raises:
        UnsupportedFormat: nothing offered is acceptable (HTTP 406).
    """
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, int] | None = None
    chosen = None
    for media, q, position in _ranges(accept):
        if q <= 0:
            continue
        for rank, candidate in enumerate(offered):
            kind = candidate.split("/")[0]
            if media in (candidate, "*/*", f"{kind}/*"):
                specificity = 0 if media == candidate else 1
                key = (-q, specificity * 100 + rank, position)
                if best is None or key < best:
                    best, chosen = key, candidate
    if chosen is None:
        raise UnsupportedFormat(accept, list(offered))
    return chosen


def prefers_html(accept: str | None, offered: Sequence[str]) -> bool:
    """Whether a client (a browser) ranks HTML above every other representation on offer.

    HTML is offered last, so ``*/*`` alone (curl, most API clients) still gets ``offered[0]``.
    """
    try:
        return negotiate(accept, [*offered, HTML]) == HTML
    except UnsupportedFormat:
        return False
