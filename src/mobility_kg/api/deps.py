"""Typed dependency aliases handed to routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mobility_kg.api.state import AppState


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.kg
    return state


StateDep = Annotated[AppState, Depends(get_state)]
