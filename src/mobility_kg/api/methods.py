"""HTTP methods: HEAD wherever GET is, and the ``Allow`` header of a 405 (RFC 9110)."""

from __future__ import annotations

from fastapi.routing import iter_route_contexts
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The scope key that keeps the method of a HEAD request answered by its GET route.
ORIGINAL_METHOD = "mobility_kg.method"


class HeadAsGet:
    """Answers HEAD with the GET route: the same status and headers (Content-Length
    included), no body (RFC 9110, section 9.3.2). FastAPI registers a GET route for GET only.

    The request goes on as a GET (``scope[ORIGINAL_METHOD]`` says it was a HEAD); a path
    without a GET route is still a 405.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET", ORIGINAL_METHOD: "HEAD"}, receive, without_body)


def allowed_methods(scope: Scope) -> list[str]:
    """The methods the app answers at the scope's path, sorted: what a 405's ``Allow`` says.

    Every route whose path matches counts (``/sparql`` has a GET and a POST route); a mount
    (static files) answers GET; HEAD goes wherever GET does.
    """
    # From the app's root: inside a mount (/static) the scope's root_path has grown.
    root = {
        **scope,
        "method": "",
        "root_path": scope.get("app_root_path", scope.get("root_path", "")),
    }
    found: set[str] = set()
    for route in iter_route_contexts(scope["app"].routes):
        match, _ = route.matches(root)
        if match is Match.NONE:
            continue
        found |= set(route.methods or ("GET",))
    if "GET" in found:
        found.add("HEAD")
    return sorted(found)
