"""LangChain's own standard suites (`langchain-tests`) run against our retriever and embeddings, with the real model."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests

from rag.assistant import Assistant
from rag.chain import LangChainEmbeddings, PaperRetriever
from rag.embedding import MiniLMEmbedder
from rag.retrieval import HybridRetriever
from rag.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
PAPER = "ng-2022-managers-clinicians-value-based-healthcare.txt"  # one real paper keeps the build short

pytestmark = pytest.mark.slow


@lru_cache(maxsize=1)
def _embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture(scope="module")
def hybrid(tmp_path_factory: pytest.TempPathFactory) -> HybridRetriever:
    """Our hybrid retriever over one real paper, indexed with the real model."""
    base = tmp_path_factory.mktemp("lc-standard")
    (base / "corpus").mkdir()
    shutil.copy(ROOT / "corpus" / PAPER, base / "corpus" / PAPER)
    shutil.copy(ROOT / "corpus" / "catalog.toml", base / "corpus" / "catalog.toml")
    settings = load_settings(
        index_dir=base / "index", corpus={"dir": base / "corpus"}, embedding={"query_runtime": "torch"}
    )
    assistant = Assistant(settings, embedder_override=_embedder())
    assistant.build(progress=False)
    return assistant.retriever


class TestPaperRetrieverStandard(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _hybrid(self, hybrid: HybridRetriever) -> None:
        self._retriever = hybrid

    @property
    def retriever_constructor(self) -> type[PaperRetriever]:
        return PaperRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"retriever": self._retriever}

    @property
    def retriever_query_example(self) -> str:
        return "How were the managers and clinicians interviewed?"


class TestLangChainEmbeddingsStandard(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[LangChainEmbeddings]:
        return LangChainEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"embedder": _embedder()}


def test_k_per_call_overrides_the_retrievers_k(hybrid: HybridRetriever) -> None:
    retriever = PaperRetriever(retriever=hybrid, k=4)
    question = "What did the study find about value-based healthcare?"
    one, default = retriever.invoke(question, k=1), retriever.invoke(question)
    assert (len(one), len(default)) == (1, 4)
    # The same best passage (joined with a different overlapping neighbour, as the budget left allows).
    best, first = one[0].metadata["hit"].chunk, default[0].metadata["hit"].chunk
    assert (best.doc, max(best.start, first.start) < min(best.end, first.end)) == (first.doc, True)


def test_k_below_one_is_refused(hybrid: HybridRetriever) -> None:
    with pytest.raises(ValueError, match="k must be at least 1, got 0"):
        PaperRetriever(retriever=hybrid).invoke("value-based healthcare", k=0)


def test_embeddings_are_the_models_normalised_vectors() -> None:
    embeddings = LangChainEmbeddings(_embedder())
    query = embeddings.embed_query("shared leadership")
    docs = embeddings.embed_documents(["shared leadership", "an unrelated sentence about the weather"])
    assert len(query) == 384
    assert sum(x * x for x in query) == pytest.approx(1.0, abs=1e-5)
    assert docs[0] == pytest.approx(query, abs=1e-5)
    same = sum(a * b for a, b in zip(query, docs[1], strict=True))
    assert same < 0.5
