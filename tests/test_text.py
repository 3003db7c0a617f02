"""The library's shared text helper, and the boundary between the product and its judge."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rag.text import normalise, repair_mojibake

RAG = Path(__file__).resolve().parents[1] / "rag"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("practi-\ntioners", "practitioners"),
        ("Practitioners", "practitioners"),
        ("ﬁeld", "field"),  # a ligature unfolds (NFKC)
        ("‘Value’ — 10% of time", "value10oftime"),
        ("Sze May Ng^{1,2}", "szemayng12"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NaÃŕve Empirical Bayes", "Naïve Empirical Bayes"),  # UTF-8 bytes shown in TeX's T1 encoding
        ("cafÃ© au lait", "café au lait"),  # ... and in Windows-1252
        ("Ã¼ber", "über"),
        ("naïve", "naïve"),  # right already
        ("Â©2017", "Â©2017"),  # decodes to '©', no letter: left alone
        ("plain text", "plain text"),
    ],
)
def test_repair_mojibake(text: str, expected: str) -> None:
    assert repair_mojibake(text) == expected


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_product_does_not_import_its_judge() -> None:
    """Library modules never import rag.evals; only the CLI's `rag eval` command does (it runs the evals)."""
    offenders = {
        p.name: sorted(m for m in _imports(p) if m == "rag.evals" or m.startswith("rag.evals."))
        for p in RAG.glob("*.py")
        if p.name != "cli.py"
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}
