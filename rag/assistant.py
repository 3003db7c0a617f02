"""The composition root: builds the heavy objects (embedding model, index, retriever, answer chain) once."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rag.adapt import (
    AUTO_MAX_PASSAGES,
    BATCH,
    MAX_PAIRS,
    AdaptedModel,
    AdaptReport,
    adapt,
    declined,
    drop_unused,
    model_by_id,
    models_dir,
    switch_off,
    training_pairs,
)
from rag.embedding import (
    Embedder,
    KeptVectors,
    MiniLMEmbedder,
    OnnxMiniLMEmbedder,
    export_onnx,
    kept_vectors_file,
    model_path,
    onnx_file,
)
from rag.errors import BackendUnavailableError, RagError, SettingsError
from rag.index import LoadedIndex, load_index
from rag.index_build import BuildReport, build_index
from rag.manifest import IndexManifest, read_manifest
from rag.quantised import int8_file, make_int8
from rag.questions import check_history, check_question
from rag.schema import Answer
from rag.settings import Settings, vector_runtime_id

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
    _build_settings: Settings | None = field(default=None, init=False, repr=False)
    _models_for: str = field(default="", init=False, repr=False)  # the adapted model id the loaded models are of
    _indexing_for: str = field(default="", init=False, repr=False)  # the adapted model id indexing_embedder is of

    @cached_property
    def embedder(self) -> Embedder:
        """The model that embeds questions: the runtime that made the index's vectors. For the int8 runtime, its
        copy of the model; for the float one, the ONNX export when there is one (see `embedding.query_runtime`)."""
        if self.embedder_override is not None:
            return self.embedder_override
        if self._index_runtime() != "float":
            return self._int8()
        settings = self.settings.embedding
        self._models_for = self._adapted_id()
        path = onnx_file(self.settings.index_dir, self._models_for)
        if settings.query_runtime != "torch" and path.is_file():
            try:
                return OnnxMiniLMEmbedder(path, batch_size=settings.batch_size)
            except Exception as exc:  # a damaged export must not stop questions being answered
                if settings.query_runtime == "onnx":
                    raise BackendUnavailableError(f"cannot load {path} ({exc}): delete it and run `rag index`") from exc
                log.warning("cannot load %s (%s); questions use sentence-transformers", path, exc)
        elif settings.query_runtime == "onnx":
            raise BackendUnavailableError(f"no ONNX export of the model at {path}: run `rag index` to make it")
        return self.torch_embedder

    @cached_property
    def indexing_embedder(self) -> Embedder:
        """The model that embeds the papers: the int8 copy, or sentence-transformers (`embedding.runtime`, or
        sentence-transformers when the int8 copy could not be made)."""
        if self.embedder_override is not None:
            return self.embedder_override
        settings = self._settings_for_build()
        if settings.embedding.runtime == "int8":
            return self._int8()
        model = settings.adapted_model()
        self._indexing_for = model.id if model else ""
        if self._indexing_for == self._adapted_id():
            return self.torch_embedder
        return MiniLMEmbedder(batch_size=settings.embedding.batch_size, path=model.path if model else None)

    @cached_property
    def torch_embedder(self) -> Embedder:
        """sentence-transformers with the model that made the index's vectors (the packaged one, or the copy `rag
        adapt` tuned): the float runtime, and the reference the exported models are checked against."""
        model = self._vectors_model()
        self._models_for = model.id if model else ""
        return MiniLMEmbedder(batch_size=self.settings.embedding.batch_size, path=model.path if model else None)

    def _disk_manifest(self) -> IndexManifest | None:
        """The manifest of the index on disk (None when there is none, or it cannot be read)."""
        try:
            return read_manifest(self.settings.index_dir)
        except RagError:
            return None

    def _adapted_id(self) -> str:
        """The id of the adapted model that made the index's vectors ("" for the packaged model or no index)."""
        manifest = self._disk_manifest()
        return manifest.adapted if manifest is not None else ""

    def _vectors_model(self) -> AdaptedModel | None:
        """The adapted model that made the index's vectors, which questions must be embedded with (None: the
        packaged model). BackendUnavailableError when it is gone from the index folder."""
        model_id = self._adapted_id()
        if not model_id:
            return None
        model = model_by_id(self.settings.index_dir, model_id)
        if model is None:
            folder = models_dir(self.settings.index_dir)
            raise BackendUnavailableError(
                f"the index was embedded with the adapted model {model_id}, which is no longer in {folder}: "
                "run `rag index` to embed the papers again"
            )
        return model

    def _index_runtime(self) -> str:
        """The runtime recorded by the index (the settings' when there is no readable index yet)."""
        manifest = self._disk_manifest()
        return manifest.runtime if manifest is not None else vector_runtime_id(self.settings.embedding.runtime)

    def _int8(self) -> OnnxMiniLMEmbedder:
        """The int8 copy of the model beside the index, made (again) when it is missing or damaged."""
        path, batch = int8_file(self.settings.index_dir), self.settings.embedding.batch_size
        if path.is_file():
            try:
                return OnnxMiniLMEmbedder(path, batch_size=batch)
            except Exception as exc:
                log.warning("cannot load %s (%s); making it again", path, exc)
        try:
            make_int8(path, self.torch_embedder)
        except Exception as exc:
            raise BackendUnavailableError(
                f"cannot make the int8 model at {path} ({exc}): set embedding.runtime to torch and run `rag index`"
            ) from exc
        _drop_other_models(path)
        return OnnxMiniLMEmbedder(path, batch_size=batch)

    def _settings_for_build(self) -> Settings:
        """The settings an index is built with: the int8 runtime falls back to sentence-transformers, with a
        warning, when its model cannot be made here (the index then records that, and questions follow it)."""
        if self._build_settings is not None:
            return self._build_settings
        settings = self.settings
        missing = settings.embedding.runtime == "int8" and not int8_file(settings.index_dir).is_file()
        if missing and self.embedder_override is None:
            try:
                self.__dict__["indexing_embedder"] = self._int8()
            except BackendUnavailableError as exc:
                log.warning("%s; the papers are embedded with sentence-transformers instead", exc)
                embedding = settings.embedding.model_copy(update={"runtime": "torch"})
                settings = settings.model_copy(update={"embedding": embedding})
        self._build_settings = settings
        return settings

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
        kept = KeptVectors(embedder, kept_vectors_file(embedder.path))
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
        from rag.answering import gate_of, selector_model
        from rag.chain import AnswerChain

        answering = self.settings.answering
        chat_model = None
        if answering.backend != "extractive":
            from rag.generative import chat_model_for

            chat_model = chat_model_for(answering)
        selector = selector_model(adapted=bool(self.index.manifest.adapted))
        if answering.abstain_threshold is not None:  # (the evidence the gate lets through: higher is more cautious)
            selector = {**selector, "gate": {**gate_of(selector), "abstain_threshold": answering.abstain_threshold}}
        return AnswerChain(
            retriever,
            self.embedder,
            answering.max_words,
            self.settings.retrieval.k,
            chat_model=chat_model,
            backend=answering.backend,
            selector=selector,
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
        question = check_question(question)  # before self.chain: a bad question loads nothing
        return self.chain.search(question, k=k, works=works)

    def build(self, progress: bool = True, force: bool = False) -> BuildReport:
        """(Re)index the corpus and drop the loaded index so the next question sees the new one."""
        settings = self._settings_for_build()
        wanted = settings.adapted_model()
        if "indexing_embedder" in self.__dict__ and self._indexing_for != (wanted.id if wanted else ""):
            del self.__dict__["indexing_embedder"]  # `rag adapt` (or --off) since it was loaded: another model now
        report = build_index(settings, lambda: self.indexing_embedder, progress=progress, force=force)
        self._build_settings = None
        self._follow_the_vectors()
        self.prepare_query_model()
        self.reload()
        if self.settings.store.backend != "faiss" or self.settings.store.faiss_index != "flat":
            _ = self.index  # loads the passages into the chosen store now, not on the first question
        return report

    def adapt(self, progress: bool = True, max_pairs: int = MAX_PAIRS) -> tuple[AdaptReport, BuildReport]:
        """Tune the packaged model to the indexed papers (rag.adapt), then embed the papers again with it. The
        previous index answers questions until the new one is written."""
        if not self.settings.embedding.adaptable:
            raise SettingsError(
                'rag adapt tunes the float model: set embedding.runtime = "torch" and embedding.adapted = true'
            )
        sections = self._sections()  # IndexMissingError, naming `rag index`, when there is no index
        made = adapt(self.settings.index_dir, model_path(), sections, max_pairs=max_pairs, progress=progress)
        report = self.build(progress=progress)
        drop_unused(self.settings.index_dir, keep=[self._adapted_id()])
        return made, report

    def _sections(self) -> list[tuple[str, str, list[str]]]:
        """The indexed passages as rag.adapt reads them: (section heading, kind, sentences)."""
        index = self.index
        return [
            (chunk.section, chunk.kind, [chunk.text[s:e] for s, e, _ in index.sentences_of(row)])
            for row, chunk in enumerate(index.chunks)
        ]

    def adapt_plan(self) -> Literal["adapt", "in use", "off", "declined", "large", "small"]:
        """Whether to tune the model to the papers now that they are indexed (what `rag index` and `rag adapt
        --if-needed` do): "adapt" when no adapted model is in use and the library is small enough to tune in
        minutes; else why not: one is "in use", the settings embed with the packaged model ("off"), `rag adapt
        --off` chose it ("declined"), the library holds more than AUTO_MAX_PASSAGES passages ("large"), or too
        little text to learn from ("small": fewer sentence pairs than one batch)."""
        if not self.settings.embedding.adaptable:
            return "off"
        if declined(self.settings.index_dir):
            return "declined"
        if self.settings.adapted_model() is not None:
            return "in use"
        if len(self.index.chunks) > AUTO_MAX_PASSAGES:
            return "large"
        if len(training_pairs(self._sections())) < BATCH:
            return "small"
        return "adapt"

    def stop_adapting(self, progress: bool = True) -> BuildReport | None:
        """Embed the papers with the packaged model again and remove the adapted copies (None: none in use)."""
        if not switch_off(self.settings.index_dir) and not self._adapted_id():
            return None
        report = self.build(progress=progress)
        drop_unused(self.settings.index_dir, keep=[])
        return report

    def prepare_query_model(self) -> None:
        """Make the model that questions are embedded with, once per index folder: the int8 copy for an index it
        embedded, else the ONNX export of the float model. If the export cannot be made, say so in one line and
        carry on: questions then use sentence-transformers, which only loads slower."""
        if self.embedder_override is not None:
            return
        if self._index_runtime() != "float":
            if not int8_file(self.settings.index_dir).is_file():
                self._int8()
            return
        if self.settings.embedding.query_runtime == "torch":
            return
        adapted = self._vectors_model()
        path = onnx_file(self.settings.index_dir, adapted.id if adapted else "")
        if path.is_file():
            return
        try:
            export_onnx(path, self.torch_embedder, source=adapted.path if adapted else None)
        except Exception as exc:
            log.warning("could not export the model to ONNX (%s); questions will use sentence-transformers", exc)
            return
        _drop_other_models(path)

    def reload(self) -> None:
        self._index = None
        self._follow_the_vectors()
        self.__dict__.pop("retriever", None)
        self.__dict__.pop("chain", None)

    def _follow_the_vectors(self) -> None:
        """Forget the loaded models when the index on disk was embedded by another model than theirs (`rag adapt`
        in another process, or a build here): questions must be embedded by the model that made the vectors."""
        if self.__dict__.keys() & {"embedder", "torch_embedder"} and self._models_for != self._adapted_id():
            for name in ("embedder", "torch_embedder", "indexing_embedder"):
                self.__dict__.pop(name, None)


def _drop_other_models(made: Path) -> None:
    """Remove the models (and their kept vectors) that earlier versions left beside the one just made; the other
    runtime's current model (and the packaged model's export, beside an adapted one's) stays, so switching back and
    forth makes nothing twice."""
    index_dir = made.parent.parent
    keep = {made, onnx_file(index_dir), int8_file(index_dir)}
    keep |= {kept_vectors_file(p) for p in keep}
    for old in [*made.parent.glob("*.onnx"), *made.parent.glob("*.kept.npz")]:
        if old not in keep:
            old.unlink(missing_ok=True)
