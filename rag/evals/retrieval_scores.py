"""Score a ranked retrieved list against gold evidence: recall and hit in the top k, MRR, and the same within a
character budget (what `rag search` shows: results in rank order up to 5,000 characters of text in all)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from rag.evals.matching import cleaned_quote, passage_hits_quote
from rag.text import normalise

K_VALUES = (1, 3, 5, 10)
CHAR_BUDGET = 5000
BUDGET_KEY = f"{CHAR_BUDGET}c"  # metric names: retrieval_recall@5000c, retrieval_hit@5000c


def group_evidence(evidence: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """Gold quotes grouped into facts: quotes that are normalised-equal or hit each other are one fact."""
    quotes = [str(e["quote"]) for e in evidence]
    parent = list(range(len(quotes)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(quotes)):
        for j in range(i + 1, len(quotes)):
            a, b = quotes[i], quotes[j]
            if normalise(a) == normalise(b) or (passage_hits_quote(a, b) and passage_hits_quote(b, a)):
                parent[root(j)] = root(i)
    groups: dict[int, list[str]] = {}
    for i, quote in enumerate(quotes):
        groups.setdefault(root(i), []).append(quote)
    return [tuple(g) for g in groups.values()]


def fact_hit(fact: Sequence[str], passage: str) -> bool:
    """True when the passage holds any rendering of the fact."""
    return any(passage_hits_quote(passage, quote) for quote in fact)


def within_budget(texts: Sequence[str], budget: int = CHAR_BUDGET) -> list[str]:
    """The texts in order until `budget` characters in all; the one that would pass the budget is cut to fit."""
    out: list[str] = []
    left = budget
    for text in texts:
        if left <= 0:
            break
        out.append(text[:left])
        left -= len(out[-1])
    return out


def retrieval_scores(facts: Sequence[Sequence[str]], retrieved: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """recall_at / hit_at per k, reciprocal_rank, and recall_budget / hit_budget; {} when there are no facts."""
    if not facts:
        return {}
    texts = [str(r.get("text") or "") for r in sorted(retrieved, key=lambda r: r.get("rank", 0))]
    first = [next((pos for pos, t in enumerate(texts, 1) if fact_hit(f, t)), None) for f in facts]
    found = [p for p in first if p is not None]
    shown = within_budget(texts)
    in_budget = sum(any(fact_hit(f, t) for t in shown) for f in facts)
    return {
        "recall_at": {k: sum(p <= k for p in found) / len(facts) for k in K_VALUES},
        "hit_at": {k: float(any(p <= k for p in found)) for k in K_VALUES},
        "reciprocal_rank": 1.0 / min(found) if found else 0.0,
        "recall_budget": in_budget / len(facts),
        "hit_budget": float(in_budget > 0),
    }


@dataclass(frozen=True)
class IndexedPassages:
    """Every passage of an index, normalised once, to ask whether a gold fact is held by any of them at all:
    a fact no passage holds was lost before ranking (in cleaning or chunking), not by it."""

    norms: tuple[str, ...]

    @classmethod
    def of(cls, texts: Sequence[str]) -> IndexedPassages:
        return cls(tuple(normalise(t) for t in texts))

    def holds(self, fact: Sequence[str]) -> bool:
        """True when some passage holds some rendering of the fact (the rule of `passage_hits_quote`)."""
        return any(self._holds_quote(cleaned_quote(quote)) for quote in fact)

    def _holds_quote(self, q: str, min_share: float = 0.8) -> bool:
        if not q:
            return False
        # A common run of 80% of the quote contains at least three whole fifths of it: a passage holding none of
        # the fifths cannot hit, so the slow longest-match runs only on the few passages that hold one.
        step = max(1, len(q) // 5)
        fifths = [q[i : i + step] for i in range(0, len(q) - step + 1, step)]
        for p in self.norms:
            if not p:
                continue
            if q in p or p in q:
                return True
            if any(f in p for f in fifths):
                match = SequenceMatcher(None, p, q, autojunk=False).find_longest_match(0, len(p), 0, len(q))
                if match.size >= min_share * len(q):
                    return True
        return False
