"""Shared test setup.

Tests that inherit this process's environment (tests/test_end_to_end.py) index without adapting the model, like
those that clear it (tests/fakes.py, NO_AUTO_ADAPT). The starter corpus is indexed by `rag index` with the real
model once per session (`starter`, whose output tests/test_cli.py checks); the other modules that index it start
from its per-file cache and ONNX export (keyed by file content, settings and model: what they reuse is what they
would have made themselves).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes import NO_AUTO_ADAPT, clean_environment

ROOT = Path(__file__).resolve().parents[1]

for _name, _value in NO_AUTO_ADAPT.items():
    os.environ.setdefault(_name, _value)


@dataclass(frozen=True)
class Indexed:
    """A folder holding corpus/ (a copy of the starter corpus) and index/, and what `rag index` printed."""

    base: Path
    stdout: str
    stderr: str
    returncode: int


@pytest.fixture(scope="session")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Indexed:
    base = tmp_path_factory.mktemp("starter")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    done = subprocess.run(
        [sys.executable, "-m", "rag.cli", "index", "--corpus", "corpus", "--index", "index", "-q"],
        cwd=base,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return Indexed(base, done.stdout, done.stderr, done.returncode)


@pytest.fixture(scope="session")
def seed_index(starter: Indexed) -> Callable[[Path], None]:
    """seed(index_dir): give a new index folder the starter index's per-file cache and question model."""
    source = starter.base / "index"

    def seed(index_dir: Path) -> None:
        assert starter.returncode == 0, starter.stderr
        index_dir.mkdir(parents=True, exist_ok=True)
        if not (index_dir / "cache").exists():
            shutil.copytree(source / "cache", index_dir / "cache")
        (index_dir / "models").mkdir(exist_ok=True)
        for export in (source / "models").glob("*.onnx"):
            shutil.copy(export, index_dir / "models" / export.name)

    return seed
