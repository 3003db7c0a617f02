"""An optional LLM judge of support for the evals: any LangChain chat model answers YES or NO per sentence."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser

from rag.prompts import JUDGE_PROMPT
from rag.support import SupportVerdict, strip_markers


@dataclass
class LLMJudge:
    """Asks a chat model whether passages support a sentence; unclear replies count as unsupported."""

    model: BaseChatModel

    def __post_init__(self) -> None:
        self._chain = JUDGE_PROMPT | self.model | StrOutputParser()
        self._ask = lru_cache(maxsize=4096)(self._verdict)

    def _verdict(self, sentence: str, passages: tuple[str, ...]) -> bool:
        numbered = "\n\n".join(f"[{i}] {p}" for i, p in enumerate(passages, 1))
        reply = self._chain.invoke({"passages": numbered, "sentence": sentence})
        return reply.strip().upper().startswith("YES")

    def __call__(self, sentence: str, passages: Sequence[str], allowed_names: Collection[str] = ()) -> SupportVerdict:
        supported = bool(passages) and self._ask(strip_markers(sentence).strip(), tuple(passages))
        return SupportVerdict(supported, 1.0 if supported else 0.0, False, (), (), "LLM judge")
