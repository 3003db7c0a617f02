"""Every prompt the generative answerers use, in one place."""

from __future__ import annotations

from langchain_core.prompts import ChatPromptTemplate

ANSWER_SYSTEM = (
    "You answer questions about research papers on shared and collaborative leadership in UK health and care. "
    "Use ONLY the numbered passages. After every sentence put the number of the passage that supports it, like "
    "[1] or [2][3]. Do not add facts, numbers or names that the passages do not state. Keep the answer under "
    "{max_words} words. If the passages do not answer the question, reply exactly: {abstain_text}"
)

ANSWER_HUMAN = "Passages:\n{passages}\n\nQuestion: {question}\n\nAnswer with [n] citations:"

ANSWER_PROMPT = ChatPromptTemplate.from_messages([("system", ANSWER_SYSTEM), ("human", ANSWER_HUMAN)])

ABSTAIN_TEXT = "The papers don't say."
