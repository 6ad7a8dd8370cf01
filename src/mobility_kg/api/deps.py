"""Typed dependency aliases handed to routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mobility_kg.api.state import AppState


def get_state(request: Request) -> AppState:
    """The state of the build now in the data dir: reopened first when another process (a
    sibling worker, the CLI's ``add``) has committed a new build since this one was opened."""
    from mobility_kg.api.app import refresh_state  # the app module imports this one

    return refresh_state(request.app)


StateDep = Annotated[AppState, Depends(get_state)]
