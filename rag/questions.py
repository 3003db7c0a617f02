"""Checking a question before it is searched or answered: raw user text in, a clean question (or BadQuestionError) out.

Every surface (CLI, page, evals) reaches the retriever and the answer chain through `Assistant`, which calls
`check_question` first, so a question of punctuation, control characters or undecodable bytes gets one clear message
instead of a confident answer drawn from whatever passage was nearest to nothing.
"""

from __future__ import annotations

import unicodedata

from rag.errors import BadQuestionError

MAX_QUESTION_CHARS = 2000  # a long paragraph; the embedding model reads about 1,000 characters of it anyway
# Control characters (tabs, newlines, NUL) separate words; format (zero-width), private-use and unassigned
# characters are dropped, so a zero-width joiner inside a word keeps the word whole.
_DROPPED = {"Cf", "Co", "Cn"}


def check_question(question: object) -> str:
    """The question with invisible characters dropped and spaces collapsed, or BadQuestionError naming the fix."""
    if not isinstance(question, str):
        raise BadQuestionError(f"the question must be text, not {type(question).__name__}: ask a question with words")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in question):
        # What Python makes of bytes that are not UTF-8 (a shell's `printf '\xff'`, a mis-saved file).
        raise BadQuestionError(
            "the question holds bytes that are not valid UTF-8 text: retype it, or save the file as UTF-8"
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise BadQuestionError(
            f"the question is {len(question):,} characters long: ask in at most {MAX_QUESTION_CHARS:,} characters"
        )
    visible = "".join(
        " " if category == "Cc" else "" if category in _DROPPED else ch
        for ch in question
        if (category := unicodedata.category(ch))
    )
    cleaned = " ".join(visible.split())
    if not any(ch.isalnum() for ch in cleaned):
        shown = repr(question) if len(question) <= 40 else repr(question[:40]) + "…"
        raise BadQuestionError(f"the question {shown} has no words: ask a question with words")
    return cleaned


def check_history(history: object) -> list[str]:
    """Earlier questions of a conversation, those that are not usable questions left out (they only add context)."""
    kept = []
    for item in history if isinstance(history, list | tuple) else ():
        try:
            kept.append(check_question(item))
        except BadQuestionError:
            continue
    return kept
