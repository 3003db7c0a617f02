"""Exact inner-product search over normalised vectors with FAISS (the only module that imports faiss)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class VectorStore:
    """A flat inner-product FAISS index: row i of the vectors is passage i of the passage store."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def from_vectors(cls, vectors: np.ndarray) -> VectorStore:
        index = faiss.IndexFlatIP(int(vectors.shape[1]) if vectors.ndim == 2 and vectors.shape[1] else 384)
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> VectorStore:
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @property
    def dim(self) -> int:
        """How many numbers each vector holds."""
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, row ids) for one query vector; ids of -1 are padding."""
        k = max(1, min(k, len(self)))
        scores, ids = self._index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        return scores[0], ids[0]

    def all_scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine of the query against every passage (exact; fine up to a few hundred thousand passages)."""
        scores, ids = self.search(query, len(self))
        out = np.full(len(self), -1.0, dtype=np.float32)
        valid = ids >= 0
        out[ids[valid]] = scores[valid]
        return out
