"""Importing the package is cheap and offline, and the layers depend one way (STYLE.md)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mobility_kg"
HEAVY = ("torch", "faiss", "sentence_transformers", "transformers", "pyshacl")


@pytest.mark.parametrize("module", ["mobility_kg", "mobility_kg.cli", "mobility_kg.build"])
def test_import_loads_no_heavy_module(module: str) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


# A module in the key folder may not import from any package in the value.
FORBIDDEN = {
    "ingest": (
        "mobility_kg.graph",
        "mobility_kg.search",
        "mobility_kg.api",
        "mobility_kg.cli",
        "mobility_kg.build",
    ),
    "graph": ("mobility_kg.search", "mobility_kg.api", "mobility_kg.cli", "mobility_kg.build"),
    "search": ("mobility_kg.api", "mobility_kg.cli", "mobility_kg.build"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_layers_depend_downward_only() -> None:
    offences = []
    for folder, forbidden in FORBIDDEN.items():
        for path in sorted((SRC / folder).glob("*.py")):
            offences += [
                f"{path.name} imports {name}"
                for name in _imports(path)
                if name.startswith(forbidden)
            ]
    assert offences == []


def test_nothing_reads_the_environment_below_the_edge() -> None:
    edge = {"config.py", "cli.py"}
    readers = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if path.name not in edge
        and ("os.environ" in path.read_text() or "getenv" in path.read_text())
    ]
    assert readers == []
