"""The README stays true: it documents every command and setting, and its commands exist."""

import re
from dataclasses import fields
from pathlib import Path

from typer.main import get_command

from mobility_kg.cli import app
from mobility_kg.config import SETTING_HELP, Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["bash scripts/quickstart", "bash scripts/test --all"]
    assert (ROOT / "scripts" / "quickstart").is_file() and (ROOT / "scripts" / "test").is_file()
    assert "bash scripts/test --all" in (ROOT / ".ci" / "run").read_text()


def test_every_cli_command_is_documented() -> None:
    commands = sorted(get_command(app).commands)  # type: ignore[attr-defined]
    documented = set(re.findall(r"^\| `([a-z]+)[ `]", README, flags=re.MULTILINE))
    assert [c for c in commands if c not in documented] == []


def test_every_setting_is_documented() -> None:
    for setting in fields(Settings):
        assert f"`{setting.name}`" in README
        assert setting.name in SETTING_HELP


def test_readme_has_no_placeholders() -> None:
    assert re.findall(r"\b[A-Z]+_TABLE\b", README) == []
