"""The composition root: builds the heavy objects (embedding model, index, retriever, answer chain) once."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from rag.embedding import (
    Embedder,
    KeptVectors,
    MiniLMEmbedder,
    OnnxMiniLMEmbedder,
    export_onnx,
    kept_vectors_file,
    onnx_file,
)
from rag.errors import BackendUnavailableError
from rag.index import BuildReport, LoadedIndex, build_index, load_index
from rag.questions import check_history, check_question
from rag.schema import Answer
from rag.settings import Settings

if TYPE_CHECKING:  # imported where used: LangChain takes seconds to import, and a page can draw without it
    from rag.chain import AnswerChain
    from rag.retrieval import HybridRetriever
    from rag.schema import Hit

log = logging.getLogger(__name__)


@dataclass
class Assistant:
    """Everything a user-facing surface (CLI, UI, evals) needs, built lazily from one settings object."""

    settings: Settings
    embedder_override: Embedder | None = None
    _index: LoadedIndex | None = field(default=None, init=False, repr=False)

    @cached_property
    def embedder(self) -> Embedder:
        """The model that embeds questions: the ONNX export when there is one (see `embedding.query_runtime`)."""
        if self.embedder_override is not None:
            return self.embedder_override
        settings = self.settings.embedding
        path = onnx_file(self.settings.index_dir)
        if settings.query_runtime != "torch" and path.is_file():
            try:
                return OnnxMiniLMEmbedder(path, batch_size=settings.batch_size)
            except Exception as exc:  # a damaged export must not stop questions being answered
                if settings.query_runtime == "onnx":
                    raise BackendUnavailableError(f"cannot load {path} ({exc}): delete it and run `rag index`") from exc
                log.warning("cannot load %s (%s); questions use sentence-transformers", path, exc)
        elif settings.query_runtime == "onnx":
            raise BackendUnavailableError(f"no ONNX export of the model at {path}: run `rag index` to make it")
        return self.indexing_embedder

    @cached_property
    def indexing_embedder(self) -> Embedder:
        """The model that embeds the papers: sentence-transformers."""
        if self.embedder_override is not None:
            return self.embedder_override
        return MiniLMEmbedder(batch_size=self.settings.embedding.batch_size)

    @property
    def index(self) -> LoadedIndex:
        if self._index is None:
            self._index = load_index(self.settings)
        return self._index

    @cached_property
    def retriever(self) -> HybridRetriever:
        from rag.retrieval import HybridRetriever

        embedder = self.embedder
        if not isinstance(embedder, OnnxMiniLMEmbedder):
            return HybridRetriever(self.index, embedder, self.settings.retrieval)
        # The headings it embeds on being built come from the last start's vectors (the same model's) when unchanged.
        kept = KeptVectors(embedder, kept_vectors_file(onnx_file(self.settings.index_dir)))
        retriever = HybridRetriever(self.index, kept, self.settings.retrieval)
        kept.keep()
        return retriever

    @cached_property
    def chain(self) -> AnswerChain:
        from rag.retrieval import HybridRetriever  # noqa: F401 - imported here first, so the thread below only adds

        # LangChain takes a second or more to import (most of it langsmith's types), all of it Python; the retriever
        # spends about as long in ONNX Runtime, which releases the GIL: one waits for the other only once.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rag-import") as pool:
            loading = pool.submit(importlib.import_module, "rag.chain")
            retriever = self.retriever
            loading.result()
        from rag.chain import AnswerChain

        answering = self.settings.answering
        chat_model = None
        if answering.backend != "extractive":
            from rag.generative import chat_model_for

            chat_model = chat_model_for(answering)
        return AnswerChain(
            retriever,
            self.embedder,
            answering.max_words,
            self.settings.retrieval.k,
            chat_model=chat_model,
            backend=answering.backend,
        )

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        works: Sequence[str] | None = None,
        qid: str | None = None,
    ) -> Answer:
        """Answer one question (with the previous questions of the conversation, newest last).

        Raises BadQuestionError, before anything loads, for a question with no words (see rag.questions)."""
        question = check_question(question)
        return self.chain.ask(question, check_history(list(history)), qid=qid, works=works)

    def search(self, question: str, k: int | None = None, works: Sequence[str] | None = None) -> list[Hit]:
        """The passages that answer a question (BadQuestionError for a question with no words)."""
        question = check_question(question)  # before self.retriever: a bad question loads nothing
        return self.retriever.search(question, k=k, works=works)

    def build(self, progress: bool = True, force: bool = False) -> BuildReport:
        """(Re)index the corpus and drop the loaded index so the next question sees the new one."""
        report = build_index(self.settings, lambda: self.indexing_embedder, progress=progress, force=force)
        self.prepare_query_model()
        self.reload()
        if self.settings.store.backend != "faiss" or self.settings.store.faiss_index != "flat":
            _ = self.index  # loads the passages into the chosen store now, not on the first question
        return report

    def prepare_query_model(self) -> None:
        """Make the ONNX export that questions are embedded with, once per index folder. If it cannot be made,
        say so in one line and carry on: questions then use sentence-transformers, which only loads slower."""
        if self.embedder_override is not None or self.settings.embedding.query_runtime == "torch":
            return
        path = onnx_file(self.settings.index_dir)
        if path.is_file():
            return
        try:
            export_onnx(path, self.indexing_embedder)
        except Exception as exc:
            log.warning("could not export the model to ONNX (%s); questions will use sentence-transformers", exc)
            return
        for old in [*path.parent.glob("*.onnx"), *path.parent.glob("*.kept.npz")]:  # an earlier model's
            if old not in (path, kept_vectors_file(path)):
                old.unlink(missing_ok=True)

    def reload(self) -> None:
        self._index = None
        self.__dict__.pop("retriever", None)
        self.__dict__.pop("chain", None)
