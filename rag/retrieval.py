"""Hybrid retrieval: dense (FAISS) and BM25 rankings fused by weighted reciprocal rank, then a diverse top k.

Input: a question. Output: ranked `Hit`s whose passages do not overlap and fit a character budget.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from rag.acronyms import expand_query, find_acronyms
from rag.dedup import containment, shingles
from rag.embedding import Embedder
from rag.errors import BadQuestionError
from rag.index import LoadedIndex
from rag.lexical import LexicalIndex, tokenize
from rag.schema import Chunk, Hit
from rag.settings import RetrievalSettings

log = logging.getLogger(__name__)

# Front and back matter (authors, funding, ethics) stays findable, but ranks below the body on equal evidence.
KIND_WEIGHT = {"body": 1.0, "front": 0.6, "back": 0.75}
# ...unless the question is about the paper itself: its authors, funding, ethics, data or contributors.
ABOUT_THE_PAPER = re.compile(
    r"\b(authors?|wrote|written by|funded|funding|funder|ethic\w*|approval|consent|data availab\w*|"
    r"conflicts? of interest|competing interests|contribut\w* statement|affiliat\w*|correspond\w*|"
    r"transcripts?|who (ran|did|carried out|conducted))\b",
    re.I,
)
AUTHOR_BOOST = 1.5


def rrf_ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each item by descending score."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.float32)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


@dataclass(frozen=True)
class ScoredCandidates:
    """Fused scores for every passage, with the parts they came from (for learned rescoring and evals)."""

    fused: np.ndarray
    dense: np.ndarray
    bm25: np.ndarray
    query: str


def _overlaps(a: Chunk, b: Chunk) -> bool:
    if a.doc != b.doc or a.page != b.page:
        return False
    return min(a.end, b.end) - max(a.start, b.start) > 0


class HybridRetriever:
    """Dense + BM25 retrieval over a loaded index."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: RetrievalSettings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.lexical = LexicalIndex([f"{c.section}. {c.text}" for c in index.chunks])
        self.acronyms = find_acronyms(c.text for c in index.chunks)
        self._matter_weight = np.array([KIND_WEIGHT.get(c.kind, 1.0) for c in index.chunks], dtype=np.float32)
        self._matter_boost = np.array([1.0 if c.kind == "body" else 1.3 for c in index.chunks], dtype=np.float32)
        self._shingles = [shingles(c.text) for c in index.chunks]
        # A question that names a paper's author ("the Aufegger study") leans towards that paper.
        self._author_terms = {
            work: {t for a in meta.authors for t in tokenize(a.split()[-1])}
            for work, meta in index.papers.items()
        }
        self._work_rows: dict[str, np.ndarray] = {}
        for i, c in enumerate(index.chunks):
            self._work_rows.setdefault(c.work, np.zeros(len(index.chunks), dtype=bool))[i] = True

    def score(self, question: str) -> ScoredCandidates:
        question = question.strip()
        if not question:
            raise BadQuestionError("the question is empty: type a question about the papers")
        named = [w for w, authors in self._author_terms.items() if set(tokenize(question)) & authors]
        # Author names point at a paper; they are not what the passage should talk about.
        query = expand_query(self._without_names(question) if named else question, self.acronyms)
        dense = self.index.vectors.all_scores(self.embedder.embed([query])[0])
        bm25 = self.lexical.scores(query)
        s = self.settings
        bm25_part = s.bm25_weight / (s.rrf_k + rrf_ranks(bm25))
        bm25_part[bm25 <= 0] = 0.0  # a passage sharing no word with the question earns no lexical credit
        fused = s.dense_weight / (s.rrf_k + rrf_ranks(dense)) + bm25_part
        fused = fused * (self._matter_weight if not ABOUT_THE_PAPER.search(question) else self._matter_boost)
        for work in named:
            fused[self._work_rows[work]] *= AUTHOR_BOOST
        return ScoredCandidates(fused, dense, bm25, query)

    def _without_names(self, question: str) -> str:
        names = {a.split()[-1] for m in self.index.papers.values() for a in m.authors if a.split()}
        pattern = r"\b(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")(?:['’]s)?(?:\s+et\s+al\.?)?"
        stripped = re.sub(pattern, " ", question, flags=re.I)
        return re.sub(r"\s{2,}", " ", stripped).strip() or question

    def search(self, question: str, k: int | None = None, works: Collection[str] | None = None) -> list[Hit]:
        """The top k passages for a question: non-overlapping, no cross-rendering duplicates, within budget."""
        scored = self.score(question)
        return self.select(scored.fused, k or self.settings.k, works)

    def select(self, scores: np.ndarray, k: int, works: Collection[str] | None = None) -> list[Hit]:
        chunks = self.index.chunks
        chosen: list[int] = []
        used = 0
        for i in np.argsort(-scores, kind="stable")[: max(self.settings.candidates, k) * 3]:
            chunk = chunks[int(i)]
            if works is not None and chunk.work not in works:
                continue
            if used + len(chunk.text) > self.settings.budget_chars and chosen:
                continue
            if any(_overlaps(chunk, chunks[j]) for j in chosen):
                continue
            if any(containment(self._shingles[int(i)], self._shingles[j]) > 0.6 for j in chosen):
                continue
            chosen.append(int(i))
            used += len(chunk.text)
            if len(chosen) == k:
                break
        return [Hit(rank=r + 1, chunk=chunks[i], score=float(scores[i])) for r, i in enumerate(chosen)]
