"""Run the app under uvicorn and tell the person who started it what is happening.

While the build loads, each step is printed on stderr; once the socket listens, the URL; then
one access-log line per request on stdout (uvicorn's own format). uvicorn's start-up chatter
is kept to warnings, so the URL line is the one to look for.
"""

from __future__ import annotations

import copy
import socket
import sys
from collections.abc import Callable
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors import Multiprocess

from mobility_kg.api.app import create_app
from mobility_kg.config import Settings

# Idle keep-alive connections are closed after this long. uvicorn's 5 s let a busy client's
# pooled connection close just as it sent its next request (a rare ReadError under load).
KEEP_ALIVE_SECONDS = 30


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)  # noqa: T201 - talking to the operator is the job


def listening_url(host: str, port: int, sockets: list[socket.socket]) -> str:
    """The URL a browser opens: the real port when port 0 asked the system for one."""
    if sockets:
        port = int(sockets[0].getsockname()[1])
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def log_config() -> dict[str, Any]:
    """uvicorn's logging set-up, with its own messages at warning and every request logged."""
    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["uvicorn.error"]["level"] = "WARNING"
    config["loggers"]["uvicorn.access"]["level"] = "INFO"
    return config


class _Server(uvicorn.Server):
    """uvicorn's server, which also says where it listens once it does."""

    def __init__(self, config: uvicorn.Config, ready: Callable[[str], None]) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            bound = [s for server in self.servers for s in server.sockets]
            self._ready(listening_url(self.config.host, self.config.port, bound))


def serve(
    settings: Settings,
    host: str,
    port: int,
    workers: int = 1,
    say: Callable[[str], None] = _say,
) -> None:
    """Serve the build in ``settings.data_dir`` until interrupted, in ``workers`` processes."""
    if workers > 1:
        # Each worker builds its app from the environment (the CLI has put the resolved data
        # dir there), so workers share nothing but the files.
        say(f"mobility-kg: starting {workers} workers on {listening_url(host, port, [])}")
        config = uvicorn.Config(
            "mobility_kg.api.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=None,
            access_log=True,
            log_config=log_config(),
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        sock = config.bind_socket()
        # Accepted connections inherit this: without it, a keep-alive response written as
        # headers then body waits for the client's delayed ACK (about 40 ms a request).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        Multiprocess(config, sockets=[sock]).run()
        return
    app = create_app(settings, progress=say)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=None,
        access_log=True,
        log_config=log_config(),
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    say(f"mobility-kg: starting on {host}:{port}")

    def ready(url: str) -> None:
        say(f"ready: {url}  (web page; API docs at {url}docs; press Ctrl+C to stop)")

    _Server(config, ready).run()
