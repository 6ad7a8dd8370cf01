"""scripts/install and scripts/quickstart say what they are doing at every step."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mobility_kg.build import STAGES

ROOT = Path(__file__).resolve().parents[1]


def test_every_install_step_is_announced_before_it_runs() -> None:
    lines = [line.strip() for line in (ROOT / "scripts" / "install").read_text().splitlines()]
    installs = [i for i, line in enumerate(lines) if line.startswith("pip_install ")]
    assert len(installs) == 3
    for index in installs:
        assert lines[index - 1].startswith('step "[') or lines[index - 2].startswith('step "[')
    assert not any("--quiet" in lines[i] for i in installs[1:])  # pip shows its progress


@pytest.mark.slow
def test_quickstart_prints_each_step_then_the_build_stages(tmp_path: Path) -> None:
    """The real script on a copy of the project, with a .venv that runs this interpreter
    (the install is already done, so it is skipped, as on a second run)."""
    project = tmp_path / "project"
    for name in ("scripts", "corpus", "src"):
        shutil.copytree(ROOT / name, project / name, symlinks=False)
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    bin_dir = project / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, command in (("python", ""), ("mobility-kg", " -m mobility_kg")):
        wrapper = bin_dir / name
        wrapper.write_text(f'#!/bin/sh\nexec {sys.executable}{command} "$@"\n')
        wrapper.chmod(0o755)
    digest = subprocess.run(
        ["sha256sum", "pyproject.toml"], cwd=project, capture_output=True, text=True, check=True
    ).stdout[:16]
    (project / ".venv" / f".installed-{digest}").touch()
    env = {
        **os.environ,
        "PYTHONPATH": str(project / "src"),
        "MOBILITY_KG_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("MOBILITY_KG_CORPUS", None)
    done = subprocess.run(
        ["bash", "scripts/quickstart"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    steps = [line for line in done.stdout.splitlines() if line.startswith("==> ")]
    assert steps == [
        "==> install (.venv; a few minutes the first time, a no-op after)",
        "==> build the graph, the metric values of every county and city, and the search index from corpus/ (a few minutes)",
        "==> validate the graph against the SHACL shapes",
        "==> stats",
        "==> ask: what helps families avoid eviction?",
        "==> strategies for predictor/housing-stability",
        "==> place: Ramsey County, MN (its values, weakest predictors and what addresses them)",
    ]
    stages = [line for line in done.stderr.splitlines() if line.startswith("build [")]
    assert stages == [
        f"build [{n}/{len(STAGES)}]: {stage}" for n, stage in enumerate(STAGES, start=1)
    ]
    assert "Ramsey County" in done.stdout
