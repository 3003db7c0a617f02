"""Does a passage hold a gold evidence quote? The dev set's rule: normalised text, an 80% run, or containment."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache

from rag.cleaning import MappedText, clean_paragraph
from rag.text import normalise

__all__ = ["cleaned_quote", "normalise", "passage_hits_quote"]


def passage_hits_quote(passage: str, quote: str, min_share: float = 0.8) -> bool:
    """True when the passage holds at least `min_share` of the quote as one run, or the quote holds the passage."""
    p, q = normalise(passage), cleaned_quote(quote)
    if not p or not q:
        return False
    if q in p or p in q:
        return True
    match = SequenceMatcher(None, p, q, autojunk=False).find_longest_match(0, len(p), 0, len(q))
    return match.size >= min_share * len(q)


@lru_cache(maxsize=4096)
def cleaned_quote(quote: str) -> str:
    """A gold quote copied from the raw paper, cleaned as the paper's passages are ("View2 intro-" loses its
    reference number as the passage did), then normalised."""
    return normalise(clean_paragraph(MappedText.of(quote), Counter()).text)
