"""Small deterministic stand-ins for the heavy objects: a hash-seeded embedder in place of MiniLM."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pytest

_WORD = re.compile(r"[a-z0-9]+")

# `rag index` goes on to adapt the model to the papers the first time (minutes of CPU, by design for users); tests
# that index through the CLI do without it, and tests/test_adapt.py and tests/test_cli.py ask for it.
NO_AUTO_ADAPT = {"RAG_EMBEDDING__ADAPT_ON_INDEX": "false"}


def clean_environment() -> dict[str, str]:
    """os.environ for a `rag` subprocess: none of the developer's RAG_* settings, and no adapting on index."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("RAG_")}, **NO_AUTO_ADAPT}


def clear_settings_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for this process: the developer's RAG_* settings removed, no adapting on index."""
    for name in list(os.environ):
        if name.startswith("RAG_"):
            monkeypatch.delenv(name)
    for name, value in NO_AUTO_ADAPT.items():
        monkeypatch.setenv(name, value)


@lru_cache(maxsize=100_000)
def _word_vector(word: str, dim: int) -> np.ndarray:
    """A fixed random direction per word, seeded from the word's hash (the same in every process)."""
    seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
    return np.random.default_rng(seed).standard_normal(dim).astype(np.float32)


class HashEmbedder:
    """Sums one hash-seeded vector per word and L2-normalises: texts sharing words point the same way.

    `calls` records how many texts each `embed` call received, so tests can tell what was (re-)embedded,
    and `texts` every text embedded, in order.
    """

    name = "hash-embedder"
    dim = 384

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        self.calls.append(len(texts))
        self.texts.extend(texts)
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                vectors[row] += _word_vector(word, self.dim)
            norm = float(np.linalg.norm(vectors[row]))
            if norm > 0:
                vectors[row] /= norm
        return vectors
