"""The README's command lines match the CLI: every documented command and option exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
LINES = [line.strip() for line in README.splitlines() if re.match(r"^\s*(\.venv/bin/)?rag \w+", line.strip())]


def test_readme_documents_every_command() -> None:
    documented = {re.match(r"(?:\.venv/bin/)?rag (\w+)", line).group(1) for line in LINES}  # type: ignore[union-attr]
    assert documented == {"index", "adapt", "search", "ask", "eval", "pack", "papers"}


@pytest.mark.parametrize("line", LINES)
def test_documented_options_exist(line: str) -> None:
    words = re.match(r"(?:\.venv/bin/)?rag ((?:[a-z]+ ?)+)", line).group(1).split()  # type: ignore[union-attr]
    result = CliRunner().invoke(app, [*words, "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in re.findall(r"(--[a-z][a-z-]*|(?<=\s)-k\b)", line):
        assert option in result.output, f"{option} of `{line}` is not in `rag {' '.join(words)} --help`"


def test_readme_configuration_example_is_valid(tmp_path: Path) -> None:
    from rag.settings import load_settings

    block = re.search(r"```toml\n(.*?)```", README, re.S)
    assert block is not None
    (tmp_path / "rag.toml").write_text(block.group(1), encoding="utf-8")
    settings = load_settings(config_file=tmp_path / "rag.toml")
    assert (settings.chunking.target_chars, settings.embedding.query_runtime) == (1100, "auto")
