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

JUDGE_SYSTEM = (
    "You check citations. Reply with one word: YES if the passages fully support the sentence (every fact, "
    "number and name in it is stated there), otherwise NO."
)

JUDGE_HUMAN = "Passages:\n{passages}\n\nSentence: {sentence}\n\nSupported (YES or NO)?"

JUDGE_PROMPT = ChatPromptTemplate.from_messages([("system", JUDGE_SYSTEM), ("human", JUDGE_HUMAN)])
