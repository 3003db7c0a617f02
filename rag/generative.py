"""Optional chat models for drafting answers: Ollama, any OpenAI-compatible endpoint, or a local GGUF file.

Each preset returns a LangChain `BaseChatModel`; the chain checks every draft's citations the same way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from rag.errors import BackendUnavailableError
from rag.settings import AnsweringSettings


class GGUFChatModel(BaseChatModel):
    """A local GGUF chat model run by transformers (CPU, greedy decoding)."""

    path: str
    max_new_tokens: int = 200
    _pipeline: Any = None

    @property
    def _llm_type(self) -> str:
        return "gguf-transformers"

    def _load(self) -> Any:
        if self._pipeline is None:
            try:
                from transformers import AutoModelForCausalLM, AutoTokenizer
            except ImportError as exc:
                raise BackendUnavailableError("transformers is missing: run `make setup`") from exc
            file = Path(self.path)
            if not file.is_file():
                raise BackendUnavailableError(
                    f"GGUF file {file} not found: set answering.gguf_path to a .gguf file"
                )
            try:
                tokenizer = AutoTokenizer.from_pretrained(str(file.parent), gguf_file=file.name)
                model = AutoModelForCausalLM.from_pretrained(str(file.parent), gguf_file=file.name)
            except ImportError as exc:
                raise BackendUnavailableError("the gguf package is missing: run `make llm-deps`") from exc
            self._pipeline = (tokenizer, model)
        return self._pipeline

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        tokenizer, model = self._load()
        roles = {"human": "user", "ai": "assistant", "system": "system"}
        chat = [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]
        inputs = tokenizer.apply_chat_template(
            chat, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        output = model.generate(**inputs, max_new_tokens=self.max_new_tokens, do_sample=False)
        text = tokenizer.decode(output[0][inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text.strip()))])


def chat_model_for(settings: AnsweringSettings) -> BaseChatModel:
    """The chat model a settings preset names, or a BackendUnavailableError saying what to install or set."""
    if settings.backend == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as exc:
            raise BackendUnavailableError("the Ollama backend needs `pip install langchain-ollama`") from exc
        return ChatOllama(
            model=settings.model or "llama3.1",
            base_url=settings.base_url or "http://localhost:11434",
            temperature=settings.temperature,
        )
    if settings.backend == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise BackendUnavailableError(
                "the OpenAI-compatible backend needs `pip install langchain-openai`"
            ) from exc
        key = os.environ.get(settings.api_key_env)
        if not key:
            raise BackendUnavailableError(f"no API key: set the environment variable {settings.api_key_env}")
        if not settings.model:
            raise BackendUnavailableError("no model name: set answering.model (e.g. RAG_ANSWERING__MODEL)")
        return ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url or None,
            api_key=key,
            temperature=settings.temperature,
        )
    if settings.backend == "gguf":
        if not settings.gguf_path:
            raise BackendUnavailableError(
                "no GGUF file: set answering.gguf_path (e.g. RAG_ANSWERING__GGUF_PATH)"
            )
        return GGUFChatModel(path=settings.gguf_path)
    raise BackendUnavailableError(
        f"unknown answering backend '{settings.backend}': use extractive, ollama, openai or gguf"
    )
