"""The sentences of passages as the index stores them: each passage's sentence spans in its text and, for each
sentence, its row among the unique sentence texts that get one vector each. Passages in; texts, spans, rows out."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from rag.schema import Chunk
from rag.sentences import split_sentences


def passage_sentences(
    chunks: Sequence[Chunk], known: Mapping[str, list[tuple[int, int]]] | None = None
) -> tuple[list[str], list[list[tuple[int, int]]], list[list[int]]]:
    """Unique sentence texts of passages, each passage's sentence spans, and the row of each sentence.
    `known` gives the spans of passages already split, by chunk id."""
    texts: list[str] = []
    row_of: dict[str, int] = {}
    spans: list[list[tuple[int, int]]] = []
    rows: list[list[int]] = []
    for chunk in chunks:
        chunk_spans = known[chunk.chunk_id] if known and chunk.chunk_id in known else _spans(chunk)
        spans.append(chunk_spans)
        chunk_rows = []
        for start, end in chunk_spans:
            text = chunk.text[start:end]
            if text not in row_of:
                row_of[text] = len(texts)
                texts.append(text)
            chunk_rows.append(row_of[text])
        rows.append(chunk_rows)
    return texts, spans, rows


def _spans(chunk: Chunk) -> list[tuple[int, int]]:
    """A passage's sentences: split again as one text (as the index always has), but never across a tab that parted
    two of its sentences in their paragraph (a table's cells, a heading run into its paragraph; its anchors)."""
    cuts = [0, *(b + 1 for _, b, _, _ in chunk.anchors if chunk.text[b : b + 1] == "\t"), len(chunk.text) + 1]
    spans: list[tuple[int, int]] = []
    for lo, hi in itertools.pairwise(cuts):
        spans += [(lo + a, lo + b) for a, b in split_sentences(chunk.text[lo : hi - 1])]
    return spans
