"""Merge renderings of one paper: passages held by two copies are kept once, passages only one copy holds stay."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from rag.schema import Chunk

log = logging.getLogger(__name__)

SAME_WORK_CONTAINMENT = 0.5  # share of a document's shingles found in another: same paper
DUPLICATE_CHUNK_CONTAINMENT = 0.7  # share of a passage's shingles found in the primary copy: drop it
_WORD = re.compile(r"[a-z0-9]+")


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """Word n-grams of lowercased letters and digits (hyphenation, punctuation and spacing do not matter)."""
    words = _WORD.findall(text.lower().replace("-", ""))
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def containment(part: set[tuple[str, ...]], whole: set[tuple[str, ...]]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def merge_renderings(
    chunks_by_doc: Mapping[str, Sequence[Chunk]], catalogued: Collection[str] = ()
) -> tuple[list[Chunk], dict[str, str]]:
    """Drop passages that another rendering of the same paper already holds.

    Two documents are one paper when the catalog gives them one `work`, or when half of one's text stands in the
    other. The primary copy is a document with catalog facts (`catalogued` names them), then the one with more
    text, so a stray copy never takes over a catalogued paper; from the others only passages with new content
    stay, relabelled with the primary's work. Returns the kept passages and a map doc -> work.
    """
    docs = sorted(
        chunks_by_doc,
        key=lambda d: (d not in catalogued, -sum(len(c.text) for c in chunks_by_doc[d]), d),
    )
    doc_shingles = {d: set().union(*(shingles(c.text) for c in chunks_by_doc[d])) for d in docs}
    work_of = {d: (chunks_by_doc[d][0].work if chunks_by_doc[d] else d) for d in docs}
    primary_of: dict[str, str] = {}
    for i, doc in enumerate(docs):
        for earlier in docs[:i]:
            if earlier in primary_of:
                continue
            same = work_of[doc] == work_of[earlier] or (
                containment(doc_shingles[doc], doc_shingles[earlier]) >= SAME_WORK_CONTAINMENT
            )
            if same:
                primary_of[doc] = earlier
                break
    kept: list[Chunk] = []
    for doc in sorted(chunks_by_doc):
        primary = primary_of.get(doc)
        if primary is None:
            kept.extend(chunks_by_doc[doc])
            continue
        work_of[doc] = work_of[primary]
        dropped = 0
        for chunk in chunks_by_doc[doc]:
            if containment(shingles(chunk.text), doc_shingles[primary]) >= DUPLICATE_CHUNK_CONTAINMENT:
                dropped += 1
                continue
            kept.append(replace(chunk, work=work_of[primary]))
        log.info("%s is a rendering of %s: %d duplicate passages merged", doc, primary, dropped)
    return kept, work_of
