"""Does a passage hold a gold evidence quote? The dev set's rule: normalised text, an 80% run, or containment."""

from __future__ import annotations

from difflib import SequenceMatcher

from rag.text import normalise

__all__ = ["normalise", "passage_hits_quote"]


def passage_hits_quote(passage: str, quote: str, min_share: float = 0.8) -> bool:
    """True when the passage holds at least `min_share` of the quote as one run, or the quote holds the passage."""
    p, q = normalise(passage), normalise(quote)
    if not p or not q:
        return False
    if q in p or p in q:
        return True
    match = SequenceMatcher(None, p, q, autojunk=False).find_longest_match(0, len(p), 0, len(q))
    return match.size >= min_share * len(q)
