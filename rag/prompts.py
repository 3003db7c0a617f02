"""Every prompt the generative answerers use, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.prompts import ChatPromptTemplate

ANSWER_SYSTEM = (
    "You answer questions about research papers on shared and collaborative leadership in UK health and care. "
    "Use ONLY the numbered passages. After every sentence put the number of the passage that supports it, like "
    "[1] or [2][3]. Do not add facts, numbers or names that the passages do not state. Keep the answer under "
    "{max_words} words. If the passages do not answer the question, reply exactly: {abstain_text}"
)

ANSWER_HUMAN = "Passages:\n{passages}\n\nQuestion: {question}\n\nAnswer with [n] citations:"

ABSTAIN_TEXT = "The papers don't say."

JUDGE_SYSTEM = (
    "You check citations. Reply with one word: YES if the passages fully support the sentence (every fact, "
    "number and name in it is stated there), otherwise NO."
)

JUDGE_HUMAN = "Passages:\n{passages}\n\nSentence: {sentence}\n\nSupported (YES or NO)?"

_MESSAGES = {"ANSWER_PROMPT": (ANSWER_SYSTEM, ANSWER_HUMAN), "JUDGE_PROMPT": (JUDGE_SYSTEM, JUDGE_HUMAN)}


def __getattr__(name: str) -> ChatPromptTemplate:
    """ANSWER_PROMPT and JUDGE_PROMPT, built when first asked for: the extractive answerer needs only the texts
    above, and LangChain's prompt classes take a tenth of a second to import."""
    if name not in _MESSAGES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from langchain_core.prompts import ChatPromptTemplate

    system, human = _MESSAGES[name]
    prompt = ChatPromptTemplate.from_messages([("system", system), ("human", human)])
    globals()[name] = prompt
    return prompt
