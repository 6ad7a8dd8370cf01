"""Request-validation errors in the user's words: the parameter, what it got, what it takes.

FastAPI (pydantic) says "Input should be 'dimension', 'pillar' ... or 'place'"; we say
"type: 'banana' is not one of dimension, pillar, ..., place", as the CLI does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# Where a parameter came from is not part of its name.
SOURCES = {"query", "path", "header", "body", "cookie"}


def not_one_of(value: object, choices: Sequence[str]) -> str:
    """The message for a value outside a fixed set."""
    return f"{value!r} is not one of {', '.join(choices)}"


def parameter_name(location: Sequence[Any]) -> str:
    parts = [str(p) for p in location]
    if len(parts) > 1 and parts[0] in SOURCES:
        parts = parts[1:]
    return ".".join(parts) or "request"


def message(error: Mapping[str, Any]) -> str:
    """One pydantic error as ``name: what is wrong``."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    value = error.get("input")
    if kind == "enum":
        said = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        text = not_one_of(value, said)
    elif kind in ("greater_than_equal", "greater_than"):
        bound = context.get("ge", context.get("gt"))
        text = f"must be {bound} or more, got {value}"
        if kind == "greater_than":
            text = f"must be more than {bound}, got {value}"
    elif kind in ("less_than_equal", "less_than"):
        bound = context.get("le", context.get("lt"))
        text = f"must be {bound} or less, got {value}"
        if kind == "less_than":
            text = f"must be less than {bound}, got {value}"
    elif kind in ("int_parsing", "int_type"):
        text = f"must be a whole number, got {value!r}"
    elif kind == "missing":
        text = "is required"
    elif kind == "string_too_short" and context.get("min_length") == 1:
        text = "must not be empty"
    elif kind == "string_too_short":
        text = f"must have at least {context.get('min_length')} characters"
    elif kind == "string_too_long":
        got = len(value) if isinstance(value, str) else value
        text = f"must have at most {context.get('max_length')} characters, got {got}"
    else:
        raw = str(error.get("msg", "is invalid"))
        text = raw[:1].lower() + raw[1:]
    return f"{parameter_name(error.get('loc', ()))}: {text}"
