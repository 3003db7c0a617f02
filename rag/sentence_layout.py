"""The sentences of passages as the index stores them: each passage's sentence spans in its text and, for each
sentence, its row among the unique sentence texts that get one vector each. Passages in; texts, spans, rows out."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

from rag.cleaning import ends_open
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


RECORD_WORDS = 2  # words of a line of record, at least; the line after it has one more
# A sentence of a passage ends on these (as a paragraph does, see rag.cleaning.ends_sentence, and on a closing
# bracket: "... (Helen Whately MP, Minister of State for Social Care)"; a paragraph's ")" may be "that (non-)"
# broken by a page, a passage's sentence is whole).
_ENDS_SENTENCE = re.compile(r"[.?!:;…'\"’”)\]]\s*$")


def _spans(chunk: Chunk) -> list[tuple[int, int]]:
    """A passage's sentences: split again as one text (as the index always has), but never across a tab that parted
    two of its sentences in their paragraph (a table's cells, a heading run into its paragraph; its anchors), nor
    from a line of record to the next line starting in capitals ("Fax: 020 7307 2801" | "First published 2023 by
    The King's Fund" | "ISBN: 978 1 915303 12 7" are three lines, not one sentence)."""
    parted = [b for _, b, _, _ in chunk.anchors if chunk.text[b : b + 1] == "\t"]
    for (a, b, _, _), (c, d, _, _) in itertools.pairwise(chunk.anchors):
        line, nxt = chunk.text[a:b], chunk.text[c:d]
        # (a table's cell broken over two lines, "► Community" | "Pharmacy Lead.", is no line of record)
        if _ENDS_SENTENCE.search(line) or ends_open(line) or not nxt[:1].isupper():
            continue
        if len(line.split()) >= RECORD_WORDS and len(nxt.split()) >= RECORD_WORDS + 1:
            parted.append(b)
    cuts = [0, *(b + 1 for b in sorted(set(parted))), len(chunk.text) + 1]
    spans: list[tuple[int, int]] = []
    for lo, hi in itertools.pairwise(cuts):
        spans += [(lo + a, lo + b) for a, b in split_sentences(chunk.text[lo : hi - 1])]
    return spans
