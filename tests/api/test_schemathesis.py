"""Property-based requests over the whole OpenAPI schema: no input may cause a 5xx."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_no_generated_request_causes_a_server_error(server: str) -> None:
    cli = Path(sys.executable).with_name("schemathesis")
    done = subprocess.run(
        [
            str(cli),
            "run",
            f"{server}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "25",
            "--seed",
            "20261124",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    summary = done.stdout[-1500:]
    assert done.returncode == 0, summary
    assert " passed" in summary and "failed" not in summary.split("Test cases:")[-1], summary
