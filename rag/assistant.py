"""The composition root: builds the heavy objects (embedding model, index, retriever, answer chain) once."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rag.chain import AnswerChain
from rag.embedding import Embedder, MiniLMEmbedder
from rag.index import BuildReport, LoadedIndex, build_index, load_index
from rag.retrieval import HybridRetriever
from rag.schema import Answer
from rag.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Assistant:
    """Everything a user-facing surface (CLI, UI, evals) needs, built lazily from one settings object."""

    settings: Settings
    embedder_override: Embedder | None = None
    _index: LoadedIndex | None = field(default=None, init=False, repr=False)

    @cached_property
    def embedder(self) -> Embedder:
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
        return HybridRetriever(self.index, self.embedder, self.settings.retrieval)

    @cached_property
    def chain(self) -> AnswerChain:
        answering = self.settings.answering
        chat_model = None
        if answering.backend != "extractive":
            from rag.generative import chat_model_for

            chat_model = chat_model_for(answering)
        return AnswerChain(
            self.retriever,
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
        """Answer one question (with the previous questions of the conversation, newest last)."""
        return self.chain.ask(question, history, qid=qid, works=works)

    def build(self, progress: bool = True) -> BuildReport:
        """(Re)index the corpus and drop the loaded index so the next question sees the new one."""
        report = build_index(self.settings, lambda: self.embedder, progress=progress)
        self.reload()
        return report

    def reload(self) -> None:
        self._index = None
        self.__dict__.pop("retriever", None)
        self.__dict__.pop("chain", None)
